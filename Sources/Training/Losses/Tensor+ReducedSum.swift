import SwiftKerasCore

extension Tensor {
  /// `Σ self / divisor` as a scalar (0 when `divisor` is 0, as `divide_no_nan`), recorded
  /// as a single tape entry whose backward fills the input's shape with `g / divisor`.
  ///
  /// The last step of every loss reduction; one pass forward, one fill backward.
  func reducedSum(dividedBy divisor: Float) -> Tensor {
    var total: Double = 0
    withUnsafeBufferPointer { buffer in
      for x in buffer { total += Double(x) }
    }
    let value: Float = divisor == 0 ? 0 : Float(total) / divisor
    let inputShape = shape
    return Tensor(shape: [], scalars: [value]).recorded(from: self) { g in
      let scale: Float = divisor == 0 ? 0 : g.scalar / divisor
      return Tensor(repeating: scale, shape: inputShape)
    }
  }
}
