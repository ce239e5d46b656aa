import SwiftKerasCore

extension Tensor {
  /// The mean along `axes`, as `sum × (1 / n)` with the factor typed as `Float`.
  ///
  /// Losses and metrics use this instead of `mean(alongAxes:)`: Core's `mean` divides
  /// through `Tensor / Float`, whose `1 / rhs` resolves to the same operator again and
  /// recurses without end (Tensor+Arithmetic.swift, `static func / (Tensor, Float)`).
  func axisMean(_ axes: [Int]) -> Tensor {
    let normalized = axes.map { normalizeAxis($0, op: "mean") }
    let n = normalized.reduce(1) { $0 * shape[$1] }
    let inverse: Float = n == 0 ? .nan : 1 / Float(n)
    return sum(alongAxes: normalized) * inverse
  }
}
