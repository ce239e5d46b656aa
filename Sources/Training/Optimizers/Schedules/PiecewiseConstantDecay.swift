import SwiftKerasCore

/// A constant rate between boundaries, as
/// `keras.optimizers.schedules.PiecewiseConstantDecay`: `values[0]` while
/// `step <= boundaries[0]`, `values[i]` while `boundaries[i-1] < step <= boundaries[i]`,
/// and the last value after the last boundary.
///
/// ```swift
/// let schedule = try PiecewiseConstantDecay(boundaries: [100, 200], values: [1.0, 0.5, 0.1])
/// schedule(step: 150)   // 0.5
/// ```
public struct PiecewiseConstantDecay: LearningRateSchedule {
  /// The steps at which the rate changes, increasing.
  public var boundaries: [Int]
  /// The rates, one more than `boundaries`.
  public var values: [Double]
  /// The schedule's name.
  public var name: String

  /// Creates the schedule.
  ///
  /// - Throws: ``SwiftKerasError`` unless `values.count == boundaries.count + 1`.
  public init(boundaries: [Int], values: [Double], name: String = "PiecewiseConstant") throws {
    guard boundaries.count == values.count - 1, !boundaries.isEmpty else {
      throw SwiftKerasError(
        .invalidArgument,
        "The length of boundaries should be 1 less than the length of values. Received: "
          + "boundaries=\(boundaries) of length \(boundaries.count), and values=\(values) of "
          + "length \(values.count).")
    }
    self.boundaries = boundaries
    self.values = values
    self.name = name
  }

  /// The learning rate at `step`.
  public func callAsFunction(step: Int) -> Float {
    // Keras sums indicator * value over the ranges; exactly one indicator is 1 when the
    // boundaries increase.
    var result: Float = 0
    if step <= boundaries[0] { result += Float(values[0]) }
    if step > boundaries[boundaries.count - 1] { result += Float(values[values.count - 1]) }
    for i in 0..<(boundaries.count - 1) where step > boundaries[i] && step <= boundaries[i + 1] {
      result += Float(values[i + 1])
    }
    return result
  }

  /// The Keras configuration.
  public func getConfig() -> ConfigValue {
    [
      "boundaries": .array(boundaries.map { .int($0) }),
      "values": .array(values.map { .double($0) }), "name": .string(name),
    ]
  }
}
