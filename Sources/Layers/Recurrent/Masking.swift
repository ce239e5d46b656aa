import SwiftKerasCore

/// Masks the time steps whose features all equal `maskValue`, as `keras.layers.Masking`:
/// those steps become zeros and are skipped by the layers after it that use masks
/// (recurrent layers, `GlobalAveragePooling1D`, losses and metrics).
///
/// ```swift
/// let model = try Sequential([Input(shape: [10, 3]), Masking(maskValue: 0), LSTM(8)])
/// ```
public final class Masking: Layer, ConfigInitializable {
  /// The value marking padding: a step is masked when every feature equals it.
  @Config public var maskValue: Float = 0

  /// Creates the layer.
  public convenience init(maskValue: Float = 0, inputShape: [Int?]? = nil, name: String? = nil) {
    self.init(name: name)
    self.maskValue = maskValue
    requestedInputShape = inputShape
  }

  /// The `[batch, steps]` mask of `input`: 1 where some feature differs from `maskValue`.
  private func stepMask(_ input: Tensor) throws -> Tensor {
    guard input.rank >= 2, let features = input.shape.last, features > 0 || input.count == 0 else {
      throw SwiftKerasError(
        .shapeMismatch,
        "layer '\(name)' (Masking) needs inputs [batch, steps, features], got \(input.shape)")
    }
    let rows = features == 0 ? 0 : input.count / features
    let value = maskValue
    return input.detached.withUnsafeBufferPointer { x in
      Tensor(shape: Array(input.shape.dropLast())) { out in
        for row in 0..<rows {
          var kept: Float = 0
          for j in 0..<features where x[row * features + j] != value {
            kept = 1
            break
          }
          out[row] = kept
        }
      }
    }
  }

  public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
    input * (try stepMask(input)).expandingShape(at: input.rank - 1)
  }

  public override var supportsMasking: Bool { true }

  public override func computeMask(_ inputs: [Tensor], mask: Tensor?) throws -> Tensor? {
    try stepMask(inputs[0])
  }

  public override func computeOutputShape(inputShapes: [Shape]) throws -> Shape { inputShapes[0] }
}
