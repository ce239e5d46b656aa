extension Tensor {
  /// `[batch, height, width, channels]` input with zero rows added above and below and
  /// zero columns left and right, as `keras.layers.ZeroPadding2D`.
  ///
  /// - Precondition: rank 4 and non-negative amounts.
  public func zeroPadded2d(top: Int, bottom: Int, left: Int, right: Int) -> Tensor {
    precondition(
      rank == 4 && top >= 0 && bottom >= 0 && left >= 0 && right >= 0,
      "zeroPadded2d: needs rank 4 and non-negative padding, got shape \(shape)")
    let (n, h, w, c) = (shape[0], shape[1], shape[2], shape[3])
    let outShape = [n, h + top + bottom, w + left + right, c]
    let output = TensorStorage(repeating: 0, count: Tensor.elementCount(outShape))
    Tensor.copyWindow(
      from: storage.base, fromSize: (h, w), fromOrigin: (0, 0), to: output.base,
      toSize: (outShape[1], outShape[2]), toOrigin: (top, left), extent: (h, w), batch: n,
      channels: c)
    return Tensor(shape: outShape, storage: output).recorded(from: self) { g in
      g.cropped2d(top: top, bottom: bottom, left: left, right: right)
    }
  }

  /// `[batch, height, width, channels]` input without `top`/`bottom` rows and
  /// `left`/`right` columns, as `keras.layers.Cropping2D`.
  ///
  /// - Precondition: rank 4, non-negative amounts that leave at least one row and column.
  public func cropped2d(top: Int, bottom: Int, left: Int, right: Int) -> Tensor {
    precondition(
      rank == 4 && top >= 0 && bottom >= 0 && left >= 0 && right >= 0
        && top + bottom < shape[1] && left + right < shape[2],
      "cropped2d: cannot crop (\(top), \(bottom), \(left), \(right)) from shape \(shape)")
    let (n, h, w, c) = (shape[0], shape[1], shape[2], shape[3])
    let outShape = [n, h - top - bottom, w - left - right, c]
    let output = TensorStorage(uninitializedCount: Tensor.elementCount(outShape))
    Tensor.copyWindow(
      from: storage.base, fromSize: (h, w), fromOrigin: (top, left), to: output.base,
      toSize: (outShape[1], outShape[2]), toOrigin: (0, 0), extent: (outShape[1], outShape[2]),
      batch: n, channels: c)
    return Tensor(shape: outShape, storage: output).recorded(from: self) { g in
      g.zeroPadded2d(top: top, bottom: bottom, left: left, right: right)
    }
  }

  /// Each pixel of `[batch, height, width, channels]` input repeated `size.0` times down
  /// and `size.1` times across (nearest neighbour), as `keras.layers.UpSampling2D`.
  ///
  /// - Precondition: rank 4 and positive factors.
  public func upsampled2d(size: (Int, Int)) -> Tensor {
    precondition(
      rank == 4 && size.0 > 0 && size.1 > 0,
      "upsampled2d: needs rank 4 and positive factors, got shape \(shape), size \(size)")
    let (n, h, w, c) = (shape[0], shape[1], shape[2], shape[3])
    let (sh, sw) = size
    let outShape = [n, h * sh, w * sw, c]
    let output = TensorStorage(uninitializedCount: Tensor.elementCount(outShape))
    let source = storage.base
    var out = output.base
    for b in 0..<n {
      for i in 0..<h {
        let line = out
        for j in 0..<w {
          let pixel = source + ((b * h + i) * w + j) * c
          for _ in 0..<sw {
            out.update(from: pixel, count: c)
            out += c
          }
        }
        for _ in 1..<Swift.max(sh, 1) where sh > 1 {
          out.update(from: line, count: w * sw * c)
          out += w * sw * c
        }
      }
    }
    let inputShape = shape
    return Tensor(shape: outShape, storage: output).recorded(from: self) { g in
      let dx = TensorStorage(repeating: 0, count: Tensor.elementCount(inputShape))
      var grad = UnsafePointer(g.storage.base)
      for b in 0..<n {
        for i in 0..<h {
          for _ in 0..<sh {
            for j in 0..<w {
              let pixel = dx.base + ((b * h + i) * w + j) * c
              for _ in 0..<sw {
                for ch in 0..<c { pixel[ch] += grad[ch] }
                grad += c
              }
            }
          }
        }
      }
      return Tensor(shape: inputShape, storage: dx)
    }
  }

  /// Copies an `extent` block of pixels between two `[batch, H, W, channels]` buffers.
  static func copyWindow(
    from source: UnsafePointer<Float>, fromSize: (Int, Int), fromOrigin: (Int, Int),
    to target: UnsafeMutablePointer<Float>, toSize: (Int, Int), toOrigin: (Int, Int),
    extent: (Int, Int), batch: Int, channels: Int
  ) {
    let lineCount = extent.1 * channels
    for b in 0..<batch {
      for i in 0..<extent.0 {
        let from =
          source + ((b * fromSize.0 + fromOrigin.0 + i) * fromSize.1 + fromOrigin.1) * channels
        let to = target + ((b * toSize.0 + toOrigin.0 + i) * toSize.1 + toOrigin.1) * channels
        to.update(from: from, count: lineCount)
      }
    }
  }
}
