import SwiftKerasCore

/// A metric whose accumulated state is a vector of sums, so the states of several
/// processes add up to the state of one process that saw all their batches. Data-parallel
/// training merges them to log global values.
///
/// Every built-in metric conforms. A custom metric that does not is logged with this
/// process's own value.
public protocol MergeableMetric: Metric {
  /// The accumulated sums, flattened; an empty vector before the first update for metrics
  /// that size themselves from their first batch. Setting a vector read from this metric,
  /// or a sum of such vectors (shorter ones padded with zeros), restores that state.
  var mergeableState: [Double] { get set }
}

extension MeanAccumulator {
  var state: [Double] {
    get { [total, count] }
    set {
      total = newValue.first ?? 0
      count = newValue.count > 1 ? newValue[1] : 0
    }
  }
}

extension Mean: MergeableMetric {
  /// `[total, count]`.
  public var mergeableState: [Double] {
    get { accumulator.state }
    set { accumulator.state = newValue }
  }
}

extension LossMetric: MergeableMetric {
  /// `[total, count]`.
  public var mergeableState: [Double] {
    get { accumulator.state }
    set { accumulator.state = newValue }
  }
}

extension CustomMetric: MergeableMetric {
  /// `[total, count]`.
  public var mergeableState: [Double] {
    get { accumulator.state }
    set { accumulator.state = newValue }
  }
}

extension RootMeanSquaredError: MergeableMetric {
  /// `[total, count]` of the squared errors.
  public var mergeableState: [Double] {
    get { accumulator.state }
    set { accumulator.state = newValue }
  }
}

extension MatchMeanMetric {
  /// `[total, count]` of the matches.
  public var mergeableState: [Double] {
    get { accumulator.state }
    set { accumulator.state = newValue }
  }
}

extension CategoricalAccuracy: MergeableMetric {}
extension SparseCategoricalAccuracy: MergeableMetric {}
extension TopKCategoricalAccuracy: MergeableMetric {}
extension SparseTopKCategoricalAccuracy: MergeableMetric {}
extension BinaryAccuracy: MergeableMetric {}

extension ConfusionCounts {
  /// The four count vectors, one after another.
  var flattened: [Double] { truePositives + falsePositives + trueNegatives + falseNegatives }

  /// Counts for `thresholds` thresholds read from `flattened` at `offset`.
  init(thresholds: Int, flattened: [Double], offset: Int) {
    func part(_ k: Int) -> [Double] {
      (0..<thresholds).map { i in
        let index = offset + k * thresholds + i
        return index < flattened.count ? flattened[index] : 0
      }
    }
    self.init(thresholds: thresholds)
    truePositives = part(0)
    falsePositives = part(1)
    trueNegatives = part(2)
    falseNegatives = part(3)
  }
}

extension ThresholdRatioMetric: MergeableMetric {
  /// The confusion counts per threshold.
  public var mergeableState: [Double] {
    get { counts.flattened }
    set { counts = ConfusionCounts(thresholds: thresholds.count, flattened: newValue, offset: 0) }
  }
}

extension AUC: MergeableMetric {
  /// The confusion counts per threshold, label after label.
  public var mergeableState: [Double] {
    get { labelCounts.flatMap(\.flattened) }
    set {
      let block = 4 * thresholds.count
      let labels = Swift.max(1, block == 0 ? 1 : (newValue.count + block - 1) / block)
      labelCounts = (0..<labels).map {
        ConfusionCounts(thresholds: thresholds.count, flattened: newValue, offset: $0 * block)
      }
    }
  }
}

extension FBetaScore: MergeableMetric {
  /// True positives, false positives, false negatives and label weights per class.
  public var mergeableState: [Double] {
    get { truePositives + falsePositives + falseNegatives + intermediateWeights }
    set {
      let width = newValue.count / 4
      func part(_ k: Int) -> [Double] { Array(newValue[(k * width)..<((k + 1) * width)]) }
      (truePositives, falsePositives) = (part(0), part(1))
      (falseNegatives, intermediateWeights) = (part(2), part(3))
    }
  }
}

extension R2Score: MergeableMetric {
  /// Per output: the label sums, squared sums, squared residuals and weights; then the
  /// sample count.
  public var mergeableState: [Double] {
    get { sum + squaredSum + residual + count + [numSamples] }
    set {
      let width = Swift.max(0, (newValue.count - 1) / 4)
      func part(_ k: Int) -> [Double] { Array(newValue[(k * width)..<((k + 1) * width)]) }
      (sum, squaredSum, residual, count) = (part(0), part(1), part(2), part(3))
      numSamples = newValue.count > 4 * width ? newValue[4 * width] : 0
    }
  }
}
