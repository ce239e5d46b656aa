import SwiftKerasCore

/// Shared shape checks and inner loops of the accuracy metrics.
enum AccuracyKernels {
  /// The index of the largest of `n` values (the first on ties), as TensorFlow's argmax.
  @inline(__always)
  static func argmax(_ row: UnsafePointer<Float>, _ n: Int) -> Int {
    var best = 0
    var bestValue = row[0]
    var j = 1
    while j < n {
      if row[j] > bestValue {
        best = j
        bestValue = row[j]
      }
      j += 1
    }
    return best
  }

  /// TensorFlow's `in_top_k`: whether fewer than `k` values beat `row[target]` (ties
  /// straddling the boundary count as in), false for a bad target or non-finite values.
  @inline(__always)
  static func inTopK(_ row: UnsafePointer<Float>, _ n: Int, target: Float, k: Int) -> Bool {
    guard target >= 0, target < Float(n), target == target.rounded(.towardZero) else {
      return false
    }
    let value = row[Int(target)]
    var greater = 0
    for j in 0..<n {
      if !row[j].isFinite { return false }
      if row[j] > value { greater += 1 }
    }
    return greater < k
  }

  /// The label shape of a sparse metric: `yTrue` with a trailing 1 dropped. Throws unless
  /// it equals `yPred`'s shape without its class axis.
  static func sparseLabelRows(yTrue: Tensor, yPred: Tensor, metric: String) throws -> Int {
    guard yPred.rank >= 1, (yPred.shape.last ?? 0) > 0 else {
      throw SwiftKerasError(
        .shapeMismatch, "\(metric): y_pred must have a non-empty class axis, got \(yPred.shape)")
    }
    let expected = Array(yPred.shape.dropLast())
    var labels = yTrue.shape
    if labels.count == yPred.rank && labels.last == 1 { labels.removeLast() }
    guard labels == expected else {
      throw SwiftKerasError(
        .shapeMismatch,
        "\(metric): y_true of shape \(yTrue.shape) does not fit y_pred of shape \(yPred.shape); expected labels of shape \(expected)"
      )
    }
    return yTrue.count
  }

  /// Throws unless `yTrue` and `yPred` have the same shape with a non-empty class axis.
  static func requireSameShape(yTrue: Tensor, yPred: Tensor, metric: String) throws {
    guard yTrue.shape == yPred.shape, yPred.rank >= 1, (yPred.shape.last ?? 0) > 0 else {
      throw SwiftKerasError(
        .shapeMismatch,
        "\(metric): y_true of shape \(yTrue.shape) must have the same shape as y_pred of shape \(yPred.shape)"
      )
    }
  }
}

/// The part every mean-of-matches accuracy metric shares: a scratch buffer for per-sample
/// matches reused across batches, and Keras's weighted mean of them.
public class MatchMeanMetric {
  /// The name the metric is logged under.
  public var name: String
  var accumulator = MeanAccumulator()
  var scratch: [Float] = []

  init(metricName: String) { self.name = metricName }

  /// Fills `count` matches through `body`, then accumulates them (shape `shape`) with the
  /// sample weights.
  func accumulate(
    count: Int, shape: [Int], sampleWeight: Tensor?,
    _ body: (UnsafeMutablePointer<Float>) -> Void
  ) throws {
    if scratch.count < count { scratch = [Float](repeating: 0, count: count) }
    let rows = shape.first ?? 1
    try scratch.withUnsafeMutableBufferPointer { buffer in
      guard let base = buffer.baseAddress else { return }
      body(base)
      if sampleWeight == nil && !shape.isEmpty {
        accumulator.add(rows: rows, width: rows == 0 ? 1 : count / rows, values: base)
      } else {
        let values = Tensor(shape: shape) { out in
          out.baseAddress?.update(from: base, count: count)
        }
        try accumulator.add(values, sampleWeight: sampleWeight, metric: name)
      }
    }
  }

  /// The weighted mean of the matches so far.
  public func result() -> Float { Float(accumulator.mean) }

  /// Forgets everything accumulated.
  public func reset() { accumulator.reset() }
}
