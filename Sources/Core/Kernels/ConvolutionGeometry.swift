/// How a convolution or pooling window treats the borders of its input.
public enum ConvolutionPadding: Equatable, Sendable {
  /// No padding: windows lie wholly inside the input (Keras `"valid"`).
  case valid
  /// Zero padding so the output has `ceil(input / stride)` positions, split as TensorFlow
  /// does (the extra cell, if any, after) (Keras `"same"`).
  case same
  /// Explicit zero padding before and after each spatial axis.
  case explicit(top: Int, bottom: Int, left: Int, right: Int)

  /// Parses Keras's padding names `"valid"` and `"same"` (any case).
  public init(keras name: String) throws {
    switch name.lowercased() {
    case "valid": self = .valid
    case "same": self = .same
    default:
      throw SwiftKerasError.unknownIdentifier(name, kind: "padding", valid: ["same", "valid"])
    }
  }
}

/// The number of window positions along one axis of length `input` (Keras's
/// `compute_conv_output_length`), and the padding placed before the first position.
///
/// For `.explicit` padding the axis's amounts are `top` (before) and `bottom` (after).
///
/// - Returns: nil when the (dilated) window does not fit the padded input, or a length
///   would overflow.
public func convolutionOutputLength(
  input: Int, kernel: Int, stride: Int, dilation: Int = 1, padding: ConvolutionPadding
) -> Int? {
  guard input >= 0, kernel > 0, stride > 0, dilation > 0,
    let span = checkedMultiply(kernel - 1, dilation).flatMap({ checkedAdd($0, 1) })
  else { return nil }
  switch padding {
  case .same:
    return input / stride + (input % stride == 0 ? 0 : 1)
  case .valid:
    return input >= span ? (input - span) / stride + 1 : nil
  case .explicit(let top, let bottom, _, _):
    guard top >= 0, bottom >= 0,
      let padded = checkedAdd(input, top).flatMap({ checkedAdd($0, bottom) })
    else { return nil }
    return padded >= span ? (padded - span) / stride + 1 : nil
  }
}

extension ConvolutionPadding {
  /// The padding of the width axis, with its amounts moved to `top` / `bottom`.
  fileprivate var columns: ConvolutionPadding {
    if case .explicit(_, _, let left, let right) = self {
      return .explicit(top: left, bottom: right, left: 0, right: 0)
    }
    return self
  }
}

/// The shape of one 2-D window sweep over `[batch, height, width, channels]` data: sizes,
/// window, strides, dilations and padding, with output extents resolved.
struct ConvolutionGeometry {
  /// Images swept; a chunk of a batch is the same geometry with fewer images.
  var batch: Int
  let height: Int
  let width: Int
  let channels: Int
  let kernelHeight: Int
  let kernelWidth: Int
  let strideHeight: Int
  let strideWidth: Int
  let dilationHeight: Int
  let dilationWidth: Int
  let padTop: Int
  let padLeft: Int
  let outHeight: Int
  let outWidth: Int

  /// Resolves the geometry, or returns nil when the window does not fit.
  init?(
    batch: Int, height: Int, width: Int, channels: Int, kernel: (Int, Int), strides: (Int, Int),
    dilation: (Int, Int), padding: ConvolutionPadding
  ) {
    guard
      let oh = convolutionOutputLength(
        input: height, kernel: kernel.0, stride: strides.0, dilation: dilation.0, padding: padding),
      let ow = convolutionOutputLength(
        input: width, kernel: kernel.1, stride: strides.1, dilation: dilation.1,
        padding: padding.columns),
      oh > 0, ow > 0
    else { return nil }
    self.batch = batch
    self.height = height
    self.width = width
    self.channels = channels
    kernelHeight = kernel.0
    kernelWidth = kernel.1
    strideHeight = strides.0
    strideWidth = strides.1
    dilationHeight = dilation.0
    dilationWidth = dilation.1
    outHeight = oh
    outWidth = ow
    switch padding {
    case .valid:
      padTop = 0
      padLeft = 0
    case .same:
      // TensorFlow's split: the smaller half before.
      let totalH = Swift.max((oh - 1) * strides.0 + (kernel.0 - 1) * dilation.0 + 1 - height, 0)
      let totalW = Swift.max((ow - 1) * strides.1 + (kernel.1 - 1) * dilation.1 + 1 - width, 0)
      padTop = totalH / 2
      padLeft = totalW / 2
    case .explicit(let top, _, let left, _):
      padTop = top
      padLeft = left
    }
  }

  /// Rows of the patch matrix: one per output position of every image.
  var patchRows: Int { batch * outHeight * outWidth }
  /// Output positions of one image.
  var positionsPerImage: Int { outHeight * outWidth }

  /// The same sweep over `count` images only (a chunk of the batch).
  func images(_ count: Int) -> ConvolutionGeometry {
    var chunk = self
    chunk.batch = count
    return chunk
  }
  /// Whether a patch is exactly one input pixel (1×1 window, stride 1, no padding).
  var isPointwise: Bool {
    kernelHeight == 1 && kernelWidth == 1 && strideHeight == 1 && strideWidth == 1 && padTop == 0
      && padLeft == 0 && outHeight == height && outWidth == width
  }

  /// Copies every window of channels `[channelOffset, channelOffset + groupChannels)` of
  /// `image` into the rows of `columns` (`patchRows × kh·kw·groupChannels`, each row in
  /// `[kh, kw, channel]` order), writing zeros where a window leaves the image.
  func im2col(
    _ image: UnsafePointer<Float>, into columns: UnsafeMutablePointer<Float>,
    channelOffset: Int = 0, groupChannels: Int
  ) {
    let rowLength = kernelHeight * kernelWidth * groupChannels
    let contiguousRows = dilationWidth == 1 && groupChannels == channels
    var row = columns
    for n in 0..<batch {
      let imageBase = image + n * height * width * channels + channelOffset
      for oh in 0..<outHeight {
        for ow in 0..<outWidth {
          var cell = row
          for i in 0..<kernelHeight {
            let ih = oh * strideHeight - padTop + i * dilationHeight
            if ih < 0 || ih >= height {
              cell.update(repeating: 0, count: kernelWidth * groupChannels)
              cell += kernelWidth * groupChannels
              continue
            }
            let lineBase = imageBase + ih * width * channels
            let firstColumn = ow * strideWidth - padLeft
            if contiguousRows && firstColumn >= 0 && firstColumn + kernelWidth <= width {
              // The window's row is one run of memory.
              copyRun(
                from: lineBase + firstColumn * channels, to: cell, count: kernelWidth * channels)
              cell += kernelWidth * channels
              continue
            }
            for j in 0..<kernelWidth {
              let iw = firstColumn + j * dilationWidth
              if iw < 0 || iw >= width {
                cell.update(repeating: 0, count: groupChannels)
              } else if groupChannels == 1 {
                cell.pointee = lineBase[iw * channels]
              } else {
                cell.update(from: lineBase + iw * channels, count: groupChannels)
              }
              cell += groupChannels
            }
          }
          row += rowLength
        }
      }
    }
  }

  /// The adjoint of ``im2col(_:into:channelOffset:groupChannels:)``: adds every row of
  /// `columns` back onto the pixels its window covers (the image must be initialised).
  func col2im(
    _ columns: UnsafePointer<Float>, addingInto image: UnsafeMutablePointer<Float>,
    channelOffset: Int = 0, groupChannels: Int
  ) {
    let rowLength = kernelHeight * kernelWidth * groupChannels
    var row = columns
    for n in 0..<batch {
      let imageBase = image + n * height * width * channels + channelOffset
      for oh in 0..<outHeight {
        for ow in 0..<outWidth {
          var cell = row
          for i in 0..<kernelHeight {
            let ih = oh * strideHeight - padTop + i * dilationHeight
            if ih < 0 || ih >= height {
              cell += kernelWidth * groupChannels
              continue
            }
            let lineBase = imageBase + ih * width * channels
            for j in 0..<kernelWidth {
              let iw = ow * strideWidth - padLeft + j * dilationWidth
              if iw >= 0 && iw < width {
                let target = lineBase + iw * channels
                for c in 0..<groupChannels { target[c] += cell[c] }
              }
              cell += groupChannels
            }
          }
          row += rowLength
        }
      }
    }
  }
}

/// Copies `count` floats; runs of up to four (a 3-wide window on one channel, the
/// usual first layer) are assigned directly rather than through a `memmove` call.
@inline(__always)
private func copyRun(
  from source: UnsafePointer<Float>, to target: UnsafeMutablePointer<Float>, count: Int
) {
  switch count {
  case 1:
    target[0] = source[0]
  case 2:
    target[0] = source[0]
    target[1] = source[1]
  case 3:
    target[0] = source[0]
    target[1] = source[1]
    target[2] = source[2]
  case 4:
    target[0] = source[0]
    target[1] = source[1]
    target[2] = source[2]
    target[3] = source[3]
  default:
    target.update(from: source, count: count)
  }
}
