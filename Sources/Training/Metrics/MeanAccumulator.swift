import SwiftKerasCore

/// The running weighted total and count of Keras's `Mean` metric, with
/// `reduce_to_samplewise_values`'s rules for values of any rank and sample weights.
struct MeanAccumulator {
  var total: Double = 0
  var count: Double = 0

  /// The mean so far, 0 before any update (`divide_no_nan`).
  var mean: Double { count == 0 ? 0 : total / count }

  mutating func reset() {
    total = 0
    count = 0
  }

  /// Adds per-sample values laid out as `[rows, width]` row-major (each row averaged),
  /// without weights: the allocation-free path used by accuracy metrics.
  mutating func add(rows: Int, width: Int, values: UnsafePointer<Float>) {
    if width == 1 {
      var s: Double = 0
      for i in 0..<rows { s += Double(values[i]) }
      total += s
    } else {
      for r in 0..<rows {
        var s: Float = 0
        for j in 0..<width { s += values[r * width + j] }
        total += Double(s / Float(width))
      }
    }
    count += Double(rows)
  }

  /// Adds `values` weighted by `sampleWeight` exactly as Keras's `Mean.update_state`.
  ///
  /// - Throws: `SwiftKerasError.shapeMismatch` when the weight does not fit the values.
  mutating func add(_ values: Tensor, sampleWeight: Tensor?, metric: String) throws {
    var v = values.detached
    guard let sampleWeight else {
      if v.rank == 0 {
        total += Double(v.scalar)
        count += 1
        return
      }
      let rows = v.shape[0]
      let width = rows == 0 ? 0 : v.count / rows
      v.withUnsafeBufferPointer { buffer in
        if let base = buffer.baseAddress { add(rows: rows, width: width, values: base) }
      }
      return
    }
    let (aligned, alignedWeight) = LossReducer.aligned(v, sampleWeight.detached)
    v = aligned
    var w = alignedWeight
    if v.rank > w.rank { v = v.axisMean(Array(w.rank..<v.rank)) }
    guard let common = Broadcasting.shape(w.shape, v.shape), common == v.shape else {
      throw SwiftKerasError(
        .shapeMismatch,
        "\(metric): sample_weight of shape \(sampleWeight.shape) does not fit values of shape \(values.shape)"
      )
    }
    w = w.broadcast(toShape: v.shape)
    v = v * w
    if w.rank > 1 { w = w.axisMean(Array(1..<w.rank)) }
    if v.rank > 1 { v = v.axisMean(Array(1..<v.rank)) }
    total += MeanAccumulator.sum(v)
    count += MeanAccumulator.sum(w)
  }

  /// The sum of a tensor's elements in Double.
  static func sum(_ t: Tensor) -> Double {
    t.withUnsafeBufferPointer { buffer in buffer.reduce(0) { $0 + Double($1) } }
  }
}

/// Zeros for `width` per-output sums when a metric sizes its sums from its first batch
/// (`existing` is 0), or nil when they already have that width; throws `mismatch` when a
/// later batch has another width. FBetaScore and R2Score size theirs this way.
func firstBatchSums(existing: Int, width: Int, mismatch: @autoclosure () -> String) throws
  -> [Double]?
{
  guard existing != width else { return nil }
  guard existing == 0 else { throw SwiftKerasError(.shapeMismatch, mismatch()) }
  return [Double](repeating: 0, count: width)
}
