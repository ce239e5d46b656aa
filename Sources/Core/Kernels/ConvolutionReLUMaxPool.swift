import CKernels

extension Tensor {
  /// A valid, stride-1 convolution with bias and ReLU, followed by max pooling over
  /// non-overlapping `poolSize` windows — what `Conv2D(f, k, activation: .relu)` then
  /// `MaxPooling2D(p)` compute — as one op.
  ///
  /// For a shallow convolution (kernel height · width · channels up to 64, such as a first
  /// layer on raw images) it runs as one pass that never writes the full-size convolution
  /// output (the C kernels in `Sources/CKernels/conv_pool.c`); otherwise as the two ops it
  /// stands for. Which path runs depends on the shapes and the processor only, so a model
  /// computes the same values whether or not the input is watched by a tape; both paths
  /// agree up to the order of rounding in the convolution's sums.
  ///
  /// - Precondition: ranks 4, a `[kh, kw, channels, filters]` kernel, a `[filters]` bias
  ///   when given, and pooling windows that fit the convolution's output. Layers check
  ///   these first.
  public static func conv2dReLUMaxPool2d(
    _ input: Tensor, _ kernel: Tensor, bias: Tensor?, poolSize: (Int, Int)
  ) -> Tensor {
    conv2dReLUMaxPool2d(input, kernel, bias: bias, poolSize: poolSize, policy: .current)
  }

  static func conv2dReLUMaxPool2d(
    _ input: Tensor, _ kernel: Tensor, bias: Tensor?, poolSize: (Int, Int),
    policy: ConvolutionAlgorithmPolicy
  ) -> Tensor {
    guard
      let plan = ConvolutionPoolingPlan(
        input: input.shape, kernel: kernel.shape, poolSize: poolSize, policy: policy)
    else {
      return conv2d(input, kernel, bias: bias, fusedReLU: true)
        .maxPool2d(poolSize: poolSize, strides: poolSize)
    }
    return plan.run(input, kernel, bias: bias)
  }
}

/// A convolution, ReLU and max pooling fused into one pass (see
/// ``Tensor/conv2dReLUMaxPool2d(_:_:bias:poolSize:)``), for one set of shapes.
struct ConvolutionPoolingPlan {
  let shape: sk_conv_pool2d
  let batch: Int

  /// The plan, or nil when the fused kernels do not apply: a kernel deeper than they
  /// hold, filters not a multiple of 8, windows above 255 cells, an empty batch, a
  /// processor without vector fused multiply-adds, or the `.im2col` policy (everything
  /// unfused).
  init?(input: [Int], kernel: [Int], poolSize: (Int, Int), policy: ConvolutionAlgorithmPolicy) {
    guard policy != .im2col, ProcessorFeatures.hasVectorFMA, input.count == 4, kernel.count == 4,
      input[0] > 0
    else { return nil }
    let (kh, kw, channels, filters) = (kernel[0], kernel[1], kernel[2], kernel[3])
    let (height, width) = (input[1], input[2])
    let (convHeight, convWidth) = (height - kh + 1, width - kw + 1)
    guard channels == input[3], filters > 0, filters % 8 == 0,
      kh * kw * channels <= Int(SK_CONV_POOL_MAX_DEPTH),
      poolSize.0 > 0, poolSize.1 > 0, poolSize.0 * poolSize.1 <= 255,
      convHeight >= poolSize.0, convWidth >= poolSize.1
    else { return nil }
    shape = sk_conv_pool2d(
      height: height, width: width, channels: channels, filters: filters, kernel_height: kh,
      kernel_width: kw, pool_height: poolSize.0, pool_width: poolSize.1,
      out_height: convHeight / poolSize.0, out_width: convWidth / poolSize.1)
    batch = input[0]
  }

  /// Floats of one pooled image.
  private var outputPerImage: Int { shape.out_height * shape.out_width * shape.filters }

  /// Whole images per chunk: up to 16 chunks, so that two or more cores share the work
  /// evenly; the split depends on the batch alone, so results are the same bits everywhere.
  private var imagesPerChunk: Int { Swift.max(1, (batch + 15) / 16) }

  func run(_ input: Tensor, _ kernel: Tensor, bias: Tensor?) -> Tensor {
    var plan = shape
    let output = TensorStorage(uninitializedCount: batch * outputPerImage)
    let argmax = ByteStorage(count: batch * outputPerImage)
    let perChunk = imagesPerChunk
    let chunks = (batch + perChunk - 1) / perChunk
    let source = input.storage.base
    let kernelBase = kernel.storage.base
    let biasBase = bias?.storage.base
    ParallelChunks.forEachChunk(chunks) { chunk, _ in
      let first = chunk * perChunk
      var part = plan
      sk_conv_relu_max_pool2d(
        source, kernelBase, biasBase, output.base, argmax.base, &part, first,
        Swift.min(perChunk, batch - first))
    }
    let result = Tensor(
      shape: [batch, shape.out_height, shape.out_width, shape.filters], storage: output)
    let inputStorage = input.storage
    let inputStorageShape = input.shape
    let kernelShape = kernel.shape
    let depth = Int(sk_conv_relu_max_pool2d_depth(&plan))
    let filters = shape.filters
    let operands = bias.map { [input, kernel, $0] } ?? [input, kernel]
    let inputNeedsGradient = TapeContext.current.map { input.trace.tapeID == $0.id } ?? false
    let kernelStorage = kernel.storage
    return result.recorded(from: operands) { g in
      let grad = g.storage.base
      let dx =
        inputNeedsGradient
        ? inputGradient(grad, pooled: output, argmax: argmax, kernel: kernelStorage) : nil
      // Kernel and bias gradients per chunk, added up in chunk order below.
      let dkParts = TensorStorage(uninitializedCount: chunks * depth * filters)
      let dbParts = TensorStorage(uninitializedCount: chunks * filters)
      ParallelChunks.forEachChunk(chunks) { chunk, _ in
        let first = chunk * perChunk
        var part = plan
        sk_conv_relu_max_pool2d_backward(
          inputStorage.base, output.base, argmax.base, grad,
          dkParts.base + chunk * depth * filters, dbParts.base + chunk * filters, &part, first,
          Swift.min(perChunk, batch - first))
      }
      let dk = Tensor.sumChunks(dkParts, chunks: chunks, length: depth * filters)
      var gradients: [Tensor?] = [
        dx.map { Tensor(shape: inputStorageShape, storage: $0) },
        Tensor(shape: kernelShape, storage: dk),
      ]
      if bias != nil {
        let db = Tensor.sumChunks(dbParts, chunks: chunks, length: filters)
        gradients.append(Tensor(shape: [filters], storage: db))
      }
      return withExtendedLifetime(argmax) { gradients }
    }
  }
}

extension ConvolutionPoolingPlan {
  /// The input gradient: each pooled gradient goes back to the convolution cell that won
  /// its window (where the ReLU passed it), and the convolution's input gradient follows
  /// as in ``Tensor/conv2d(_:_:bias:fusedReLU:strides:padding:dilation:groups:)``: patch
  /// gradients `dConv · Kᵀ` added back into the image.
  fileprivate func inputGradient(
    _ grad: UnsafeMutablePointer<Float>, pooled: TensorStorage, argmax: ByteStorage,
    kernel: TensorStorage
  ) -> TensorStorage {
    let (kh, kw, channels, filters) = (
      shape.kernel_height, shape.kernel_width, shape.channels, shape.filters
    )
    let imageSize = shape.height * shape.width * channels
    let dx = TensorStorage(uninitializedCount: batch * imageSize)
    guard
      let geometry = ConvolutionGeometry(
        batch: batch, height: shape.height, width: shape.width, channels: channels,
        kernel: (kh, kw), strides: (1, 1), dilation: (1, 1), padding: .valid)
    else { return dx }
    let (convHeight, convWidth) = (geometry.outHeight, geometry.outWidth)
    let (poolHeight, poolWidth) = (shape.pool_height, shape.pool_width)
    let (outHeight, outWidth) = (shape.out_height, shape.out_width)
    let depth = kh * kw * channels
    let perChunk = imagesPerChunk
    let chunks = (batch + perChunk - 1) / perChunk
    ParallelChunks.forEachChunk(chunks) { chunk, worker in
      let first = chunk * perChunk
      let part = geometry.images(Swift.min(perChunk, batch - first))
      let rows = part.patchRows
      let dConv = UnsafeMutablePointer<Float>.allocate(capacity: Swift.max(rows * filters, 1))
      defer { dConv.deallocate() }
      dConv.update(repeating: 0, count: rows * filters)
      for image in 0..<part.batch {
        for py in 0..<outHeight {
          for px in 0..<outWidth {
            let o = (((first + image) * outHeight + py) * outWidth + px) * filters
            for f in 0..<filters where pooled.base[o + f] > 0 {
              let cell = Int(argmax.base[o + f])
              let r = py * poolHeight + cell / poolWidth
              let c = px * poolWidth + cell % poolWidth
              dConv[((image * convHeight + r) * convWidth + c) * filters + f] = grad[o + f]
            }
          }
        }
      }
      let target = dx.base + first * imageSize
      target.update(repeating: 0, count: part.batch * imageSize)
      ConvolutionScratch.workers[worker].withBuffer(count: rows * depth) { columns in
        Tensor.gemm(
          transposeA: false, transposeB: true, m: rows, n: depth, k: filters, a: dConv,
          lda: filters, b: kernel.base, ldb: filters, c: columns, ldc: depth,
          singleThreaded: true)
        part.col2im(columns, addingInto: target, groupChannels: channels)
      }
    }
    return dx
  }
}

/// Bytes owned by a class, so that a backward closure keeps them alive.
private final class ByteStorage {
  let base: UnsafeMutablePointer<UInt8>

  init(count: Int) { base = .allocate(capacity: Swift.max(count, 1)) }

  deinit { base.deallocate() }
}
