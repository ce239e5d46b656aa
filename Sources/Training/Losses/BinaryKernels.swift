import Foundation
import SwiftKerasCore

extension LossKernels {
  /// Element-wise binary cross-entropy of probabilities clipped to `[ε, 1 − ε]`.
  static func binaryCrossentropy(_ target: Tensor, _ probabilities: Tensor) -> Tensor {
    let eps = epsilon
    return elementwise(target, probabilities) { t, p in
      let pc = Swift.min(Swift.max(p, eps), 1 - eps)
      let value = -(t * Foundation.log(pc) + (1 - t) * Foundation.log(1 - pc))
      let inside = p >= eps && p <= 1 - eps
      return (value, inside ? -t / pc + (1 - t) / (1 - pc) : 0)
    }
  }

  /// Element-wise binary cross-entropy of logits in the stable form
  /// `max(x, 0) − x·t + log(1 + e^−|x|)`, with gradient `σ(x) − t`.
  static func binaryCrossentropyFromLogits(_ target: Tensor, _ logits: Tensor) -> Tensor {
    elementwise(target, logits) { t, x in
      let value = Swift.max(x, 0) - x * t + Foundation.log1p(Foundation.exp(-Swift.abs(x)))
      return (value, 1 / (1 + Foundation.exp(-x)) - t)
    }
  }

  /// The logistic sigmoid, differentiable, in one pass.
  static func sigmoid(_ x: Tensor) -> Tensor {
    elementwise(x.detached, x) { _, z in
      let s = 1 / (1 + Foundation.exp(-z))
      return (s, s * (1 - s))
    }
  }

  /// Keras's binary label smoothing: `t · (1 − s) + s / 2`.
  static func smoothBinary(_ target: Tensor, _ smoothing: Float) -> Tensor {
    smoothing == 0 ? target : target.mapped { $0 * (1 - smoothing) + 0.5 * smoothing }
  }

  /// One-hot (or soft) labels pulled towards uniform over the last axis's classes, as
  /// Keras's categorical losses smooth them.
  static func smoothCategorical(_ target: Tensor, _ smoothing: Float) -> Tensor {
    let classes = Float(target.shape.last ?? 1)
    return smoothing == 0
      ? target : target.mapped { $0 * (1 - smoothing) + smoothing / classes }
  }

  /// Throws unless `smoothing` is in `[0, 1]`.
  static func validateSmoothing(_ smoothing: Float, loss: String) throws {
    guard smoothing >= 0 && smoothing <= 1 else {
      throw SwiftKerasError(
        .invalidArgument, "\(loss): label_smoothing must be in [0, 1], got \(smoothing)")
    }
  }
}
