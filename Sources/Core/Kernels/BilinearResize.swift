import Foundation

/// Where one output row (or column) of a bilinear resize reads its input: the two
/// neighbouring input indices and the weight of the second, with TensorFlow's half-pixel
/// centres (`tf.image.resize`, `keras.ops.image.resize`).
struct BilinearTap {
  let lower: Int
  let upper: Int
  let fraction: Float

  /// The taps of every output index when `input` positions stretch to `output`.
  static func taps(input: Int, output: Int) -> [BilinearTap] {
    let scale = Float(input) / Float(output)
    return (0..<output).map { o in
      let position = (Float(o) + 0.5) * scale - 0.5
      let floorPosition = position.rounded(.down)
      return BilinearTap(
        lower: Swift.max(Int(floorPosition), 0),
        upper: Swift.min(Int(position.rounded(.up)), input - 1),
        fraction: position - floorPosition)
    }
  }
}

extension Tensor {
  /// `[batch, height, width, channels]` input resized to `height × width` by bilinear
  /// interpolation with half-pixel centres, as `keras.ops.image.resize(...,
  /// interpolation="bilinear")` and `keras.layers.UpSampling2D(interpolation="bilinear")`
  /// on TensorFlow, with the same rounding order; its gradient spreads each output
  /// gradient over the four input pixels by the same weights.
  ///
  /// - Precondition: rank 4, a non-empty image and a positive output size.
  public func resizedBilinear2d(height outHeight: Int, width outWidth: Int) -> Tensor {
    precondition(
      rank == 4 && shape[1] > 0 && shape[2] > 0 && outHeight > 0 && outWidth > 0,
      "resizedBilinear2d: needs a rank-4 input with pixels and a positive size, got shape \(shape) to \(outHeight)×\(outWidth)"
    )
    let (n, h, w, c) = (shape[0], shape[1], shape[2], shape[3])
    let rows = BilinearTap.taps(input: h, output: outHeight)
    let columns = BilinearTap.taps(input: w, output: outWidth)
    let outShape = [n, outHeight, outWidth, c]
    let output = TensorStorage(uninitializedCount: Tensor.elementCount(outShape))
    let source = storage.base
    var out = output.base
    for b in 0..<n {
      let image = source + b * h * w * c
      for row in rows {
        let top = image + row.lower * w * c
        let bottom = image + row.upper * w * c
        for column in columns {
          let (left, right) = (column.lower * c, column.upper * c)
          for ch in 0..<c {
            let upper = top[left + ch] + (top[right + ch] - top[left + ch]) * column.fraction
            let lower =
              bottom[left + ch] + (bottom[right + ch] - bottom[left + ch]) * column.fraction
            out[ch] = upper + (lower - upper) * row.fraction
          }
          out += c
        }
      }
    }
    let inputShape = shape
    return Tensor(shape: outShape, storage: output).recorded(from: self) { g in
      let dx = TensorStorage(repeating: 0, count: Tensor.elementCount(inputShape))
      var grad = UnsafePointer(g.storage.base)
      for b in 0..<n {
        let image = dx.base + b * h * w * c
        for row in rows {
          let top = image + row.lower * w * c
          let bottom = image + row.upper * w * c
          let (down, up) = (row.fraction, 1 - row.fraction)
          for column in columns {
            let (left, right) = (column.lower * c, column.upper * c)
            let (across, back) = (column.fraction, 1 - column.fraction)
            for ch in 0..<c {
              let d = grad[ch]
              top[left + ch] += d * up * back
              top[right + ch] += d * up * across
              bottom[left + ch] += d * down * back
              bottom[right + ch] += d * down * across
            }
            grad += c
          }
        }
      }
      return Tensor(shape: inputShape, storage: dx)
    }
  }
}

/// The centred crop of an image with a target's aspect ratio, as Keras's `smart_resize`
/// and `resize(crop_to_aspect_ratio=True)` compute it (in float32, truncated): shared by
/// the image dataset source and the `Resizing` and `CenterCrop` layers.
package enum AspectRatioCrop {
  /// The crop `(top, left, height, width)` of a `height × width` image.
  package static func box(height: Int, width: Int, target: (height: Int, width: Int)) -> (
    top: Int, left: Int, height: Int, width: Int
  ) {
    var cropHeight = Int(Float(width * target.height) / Float(target.width))
    cropHeight = Swift.max(Swift.min(height, cropHeight), 1)
    var cropWidth = Int(Float(height * target.width) / Float(target.height))
    cropWidth = Swift.max(Swift.min(width, cropWidth), 1)
    return (
      Int(Float(height - cropHeight) / 2), Int(Float(width - cropWidth) / 2), cropHeight,
      cropWidth
    )
  }
}
