import SwiftKerasCore

/// Standardises data to zero mean and unit variance with statistics learned from a
/// training set, as Keras's `Normalization` layer after `adapt`.
///
/// The statistics are per feature along `axis` (by default the last), or one mean and
/// variance for the whole tensor when `axis` is `nil`. Applying computes
/// `(x - mean) / max(sqrt(variance), 1e-7)`.
///
/// ```swift
/// let train = Tensor([[1, 10], [3, 30]])
/// let standardizer = try Standardizer(adaptingTo: train)
/// print(standardizer.mean, standardizer.variance)   // [2.0, 20.0] [1.0, 100.0]
/// print(try standardizer(Tensor([[2, 40]])))        // [[0.0, 2.0]]
/// ```
public struct Standardizer {
  /// The feature axis, counted from the end when negative, or `nil` for a single
  /// statistic over all elements.
  public let axis: Int?
  /// The mean of each feature (shape `[features]`, or `[]` when `axis` is `nil`).
  public let mean: Tensor
  /// The population variance of each feature, shaped like ``mean``.
  public let variance: Tensor

  /// The smallest standard deviation divided by, as Keras's `backend.epsilon()`.
  public static let epsilon: Float = 1e-7

  /// Learns the mean and variance of `data`, per feature along `axis`.
  ///
  /// - Throws: ``SwiftKerasError`` `.invalidArgument` if `axis` is outside the rank of
  ///   `data` or `data` has no elements.
  public init(adaptingTo data: Tensor, axis: Int? = -1) throws {
    guard data.count > 0 else {
      throw SwiftKerasError(.invalidArgument, "Standardizer: cannot adapt to an empty tensor")
    }
    let (outer, features, inner) = try Standardizer.layout(data.shape, axis: axis)
    var sums = [Double](repeating: 0, count: features)
    var squares = [Double](repeating: 0, count: features)
    data.withUnsafeBufferPointer { values in
      for o in 0..<outer {
        for f in 0..<features {
          let base = (o * features + f) * inner
          for i in 0..<inner {
            let v = Double(values[base + i])
            sums[f] += v
            squares[f] += v * v
          }
        }
      }
    }
    let n = Double(outer * inner)
    let means = sums.map { $0 / n }
    let variances = zip(squares, means).map { Swift.max(0, $0 / n - $1 * $1) }
    self.axis = axis
    let statShape = axis == nil ? [] : [features]
    mean = Tensor(shape: statShape, scalars: means.map { Float($0) })
    variance = Tensor(shape: statShape, scalars: variances.map { Float($0) })
  }

  /// Splits `shape` into the extents before, at and after the feature axis.
  static func layout(_ shape: [Int], axis: Int?) throws -> (Int, Int, Int) {
    guard let axis else { return (1, 1, shape.reduce(1, *)) }
    guard axis >= -shape.count && axis < shape.count else {
      throw SwiftKerasError(
        .invalidArgument, "Standardizer: axis \(axis) is out of range for shape \(shape)")
    }
    let a = axis < 0 ? axis + shape.count : axis
    return (shape[..<a].reduce(1, *), shape[a], shape[(a + 1)...].reduce(1, *))
  }

  /// Standardises `x` with the learned statistics.
  ///
  /// - Throws: ``SwiftKerasError`` `.shapeMismatch` if `x`'s feature axis does not have the
  ///   adapted number of features.
  public func callAsFunction(_ x: Tensor) throws -> Tensor {
    let (outer, features, inner) = try Standardizer.layout(x.shape, axis: axis)
    guard features == mean.count else {
      throw SwiftKerasError(
        .shapeMismatch,
        "Standardizer: input of shape \(x.shape) has \(features) features along axis "
          + "\(axis.map(String.init) ?? "nil"); adapted to \(mean.count)")
    }
    let means = mean.scalars
    let deviations = variance.scalars.map { Swift.max($0.squareRoot(), Standardizer.epsilon) }
    return Tensor(shape: x.shape) { out in
      x.withUnsafeBufferPointer { values in
        for o in 0..<outer {
          for f in 0..<features {
            let base = (o * features + f) * inner
            let (m, s) = (means[f], deviations[f])
            for i in 0..<inner { out[base + i] = (values[base + i] - m) / s }
          }
        }
      }
    }
  }
}
