import SwiftKerasCore

// TODO(lead): delete this file and use `Tensor.mean(alongAxes:keepDims:)` once Core's fix
// for the `Tensor / Float` recursion (branch coretests, 5e71adf) is merged: on the
// layers branch `mean` recurses forever through `/ (Tensor, Float)`.

extension Tensor {
  /// The mean along `axes` (negative counts from the end), differentiable, computed as a
  /// sum times an explicitly `Float` scale.
  func averaged(alongAxes axes: [Int], keepDims: Bool = false) -> Tensor {
    let resolved = axes.map { $0 < 0 ? $0 + rank : $0 }
    let n = resolved.reduce(1) { $0 * shape[$1] }
    let scale: Float = 1 / Float(Swift.max(n, 1))
    return sum(alongAxes: resolved, keepDims: keepDims) * scale
  }
}
