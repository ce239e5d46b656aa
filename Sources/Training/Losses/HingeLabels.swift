import SwiftKerasCore

extension LossKernels {
  /// Whether every label is exactly 0 or 1, in which case hinge losses map them to −1/1.
  static func labelsAreBinary(_ yTrue: Tensor) -> Bool {
    yTrue.withUnsafeBufferPointer { buffer in buffer.allSatisfy { $0 == 0 || $0 == 1 } }
  }

  /// A hinge loss averaged over the last axis: `f(margin, label)` gives the value and its
  /// derivative where the margin `1 − label · yPred` is not negative, and 0/1 labels are
  /// first mapped to −1/1, as Keras's `hinge` and `squared_hinge` both do.
  static func hinge(
    _ yTrue: Tensor, _ yPred: Tensor, _ f: (_ margin: Float, _ label: Float) -> (Float, Float)
  ) -> Tensor {
    let binary = labelsAreBinary(yTrue)
    return meanOverLastAxis(yTrue, yPred) { t, p in
      let label = binary ? 2 * t - 1 : t
      let margin = 1 - label * p
      return margin >= 0 ? f(margin, label) : (0, 0)
    }
  }
}
