import CKernels

extension Tensor {
  /// The maximum over each `poolSize` window of `[batch, height, width, channels]`
  /// input, per channel, as `keras.layers.MaxPooling2D` ("same" padding never picks a
  /// padded cell). The gradient flows to the first maximum of each window.
  ///
  /// - Precondition: rank 4 and a window that fits the input.
  public func maxPool2d(
    poolSize: (Int, Int), strides: (Int, Int), padding: ConvolutionPadding = .valid
  ) -> Tensor {
    let geometry = poolingGeometry(poolSize: poolSize, strides: strides, padding: padding)
    let c = shape[3]
    let output = TensorStorage(uninitializedCount: geometry.patchRows * c)
    // A constant each worker passes by its own pointer (no shared `inout`).
    let sweep = geometry.poolSweep
    let source = storage.base
    geometry.forEachImageRange { images in
      withUnsafePointer(to: sweep) {
        sk_max_pool2d(source, output.base, $0, images.lowerBound, images.count)
      }
    }
    let inputShape = shape
    let inputStorage = storage
    let result = Tensor(
      shape: [geometry.batch, geometry.outHeight, geometry.outWidth, c], storage: output)
    return result.recorded(from: self) { g in
      // Each window's gradient goes to the first cell holding its maximum, as TensorFlow.
      let dx = TensorStorage(uninitializedCount: inputStorage.count)
      let grad = g.storage.base
      geometry.forEachImageRange { images in
        withUnsafePointer(to: sweep) {
          sk_max_pool2d_backward(
            inputStorage.base, output.base, grad, dx.base, $0, images.lowerBound, images.count)
        }
      }
      return Tensor(shape: inputShape, storage: dx)
    }
  }

  /// The mean over each `poolSize` window of `[batch, height, width, channels]` input,
  /// per channel, as `keras.layers.AveragePooling2D`. With "same" padding a window's
  /// mean counts only the cells inside the input, as TensorFlow.
  ///
  /// - Precondition: rank 4 and a window that fits the input.
  public func averagePool2d(
    poolSize: (Int, Int), strides: (Int, Int), padding: ConvolutionPadding = .valid
  ) -> Tensor {
    let geometry = poolingGeometry(poolSize: poolSize, strides: strides, padding: padding)
    let c = shape[3]
    let output = TensorStorage(repeating: 0, count: geometry.patchRows * c)
    let source = storage.base
    geometry.forEachWindow { o, n, hs, he, ws, we in
      let out = output.base + o * c
      for ih in hs..<he {
        for iw in ws..<we {
          let base = source + ((n * geometry.height + ih) * geometry.width + iw) * c
          for ch in 0..<c { out[ch] += base[ch] }
        }
      }
      let scale = 1 / Float((he - hs) * (we - ws))
      for ch in 0..<c { out[ch] *= scale }
    }
    let inputShape = shape
    let inputCount = count
    let result = Tensor(
      shape: [geometry.batch, geometry.outHeight, geometry.outWidth, c], storage: output)
    return result.recorded(from: self) { g in
      let dx = TensorStorage(repeating: 0, count: inputCount)
      let grad = g.storage.base
      geometry.forEachWindow { o, n, hs, he, ws, we in
        let scale = 1 / Float((he - hs) * (we - ws))
        let go = grad + o * c
        for ih in hs..<he {
          for iw in ws..<we {
            let base = dx.base + ((n * geometry.height + ih) * geometry.width + iw) * c
            for ch in 0..<c { base[ch] += go[ch] * scale }
          }
        }
      }
      return Tensor(shape: inputShape, storage: dx)
    }
  }

  private func poolingGeometry(
    poolSize: (Int, Int), strides: (Int, Int), padding: ConvolutionPadding
  ) -> ConvolutionGeometry {
    precondition(rank == 4, "pool2d: needs a rank-4 input, got shape \(shape)")
    guard
      let geometry = ConvolutionGeometry(
        batch: shape[0], height: shape[1], width: shape[2], channels: shape[3],
        kernel: poolSize, strides: strides, dilation: (1, 1), padding: padding)
    else {
      preconditionFailure("pool2d: a \(poolSize) window does not fit input \(shape)")
    }
    return geometry
  }
}

extension ConvolutionGeometry {
  /// Runs `body` over ranges of whole images covering the batch, split over the cores
  /// when the batch is large (from 2¹⁸ input floats per part).
  @inline(__always)
  func forEachImageRange(_ body: (Range<Int>) -> Void) {
    let imageSize = Swift.max(height * width * channels, 1)
    ParallelChunks.forEach(
      count: batch, minimumPerChunk: Swift.max(1, (1 << 18) / imageSize), alignment: 1, body)
  }

  /// Calls `body(outputIndex, image, rowStart, rowEnd, columnStart, columnEnd)` for every
  /// output position, with the window clipped to the input.
  ///
  /// Large batches are split into ranges of whole images that run on different cores, so
  /// `body` may only write to data of its own image.
  @inline(__always)
  func forEachWindow(_ body: (Int, Int, Int, Int, Int, Int) -> Void) {
    forEachImageRange { images in
      var o = images.lowerBound * outHeight * outWidth
      for n in images {
        for oh in 0..<outHeight {
          let h0 = oh * strideHeight - padTop
          let hs = Swift.max(h0, 0)
          let he = Swift.min(h0 + kernelHeight, height)
          for ow in 0..<outWidth {
            let w0 = ow * strideWidth - padLeft
            body(o, n, hs, he, Swift.max(w0, 0), Swift.min(w0 + kernelWidth, width))
            o += 1
          }
        }
      }
    }
  }

  /// The sweep in the C kernels' terms.
  var poolSweep: sk_pool2d {
    sk_pool2d(
      height: height, width: width, channels: channels, pool_height: kernelHeight,
      pool_width: kernelWidth, stride_height: strideHeight, stride_width: strideWidth,
      pad_top: padTop, pad_left: padLeft, out_height: outHeight, out_width: outWidth)
  }
}
