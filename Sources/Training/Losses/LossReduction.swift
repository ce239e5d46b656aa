import SwiftKerasCore

/// How a loss turns its per-sample values into the number it returns, as Keras's
/// `reduction` argument.
///
/// ```swift
/// let loss = MeanSquaredError(reduction: .sum)
/// ```
public enum LossReduction: String, Sendable, CaseIterable {
  /// The sum of the weighted values divided by their number of elements (Keras's default).
  /// With sample weights this still divides by the element count, not the weight sum.
  case sumOverBatchSize = "sum_over_batch_size"
  /// The sum of the weighted values.
  case sum = "sum"
  /// No reduction: the weighted per-sample values.
  case none = "none"
  /// Same as ``sumOverBatchSize``.
  case mean = "mean"
  /// The sum of the weighted values divided by the sum of the sample weights.
  case meanWithSampleWeight = "mean_with_sample_weight"

  /// Parses a Keras reduction string (`"sum_over_batch_size"`, `"sum"`, `"none"`, `"mean"`,
  /// `"mean_with_sample_weight"`).
  ///
  /// - Throws: `SwiftKerasError.unknownIdentifier` for any other string.
  public init(identifier: String) throws {
    self = try caseNamed(identifier, kind: "loss reduction")
  }

  /// The Keras config value: the reduction string.
  var configValue: ConfigValue { .string(rawValue) }
}
