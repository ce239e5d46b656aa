import SwiftKerasCore

/// The part the four categorical accuracies share: each row of `yPred`'s last axis scores 1
/// when its prediction matches the row's class, read from a one-hot row of `yTrue` or, with
/// sparse labels, from an integer label. Plain accuracies match the argmax;
/// ``TopKMatchMetric`` matches the `k` largest.
public class ClassMatchMetric: MatchMeanMetric {
  /// Higher is better.
  public var direction: MetricDirection { .up }

  /// Whether labels are class indices rather than one-hot rows.
  let sparseLabels: Bool

  init(metricName: String, sparseLabels: Bool) {
    self.sparseLabels = sparseLabels
    super.init(metricName: metricName)
  }

  /// Whether `row`'s prediction matches class `target`: the argmax does.
  func matches(target: Float, row: UnsafePointer<Float>, classes: Int) -> Bool {
    Float(AccuracyKernels.argmax(row, classes)) == target
  }

  /// Accumulates the batch's matches in one pass over the buffers.
  public func update(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor?) throws {
    let rows: Int
    if sparseLabels {
      rows = try AccuracyKernels.sparseLabelRows(yTrue: yTrue, yPred: yPred, metric: name)
    } else {
      try AccuracyKernels.requireSameShape(yTrue: yTrue, yPred: yPred, metric: name)
      rows = yPred.count / yPred.shape[yPred.rank - 1]
    }
    let classes = yPred.shape[yPred.rank - 1]
    let (t, p, sparse) = (yTrue.detached, yPred.detached, sparseLabels)
    try t.withUnsafeBufferPointer { labels in
      try p.withUnsafeBufferPointer { pred in
        try accumulate(
          count: rows, shape: Array(yPred.shape.dropLast()), sampleWeight: sampleWeight
        ) { out in
          guard let predBase = pred.baseAddress, let labelBase = labels.baseAddress else { return }
          for r in 0..<rows {
            let target =
              sparse
              ? labelBase[r] : Float(AccuracyKernels.argmax(labelBase + r * classes, classes))
            out[r] = matches(target: target, row: predBase + r * classes, classes: classes) ? 1 : 0
          }
        }
      }
    }
  }
}
