import SwiftKerasCore

/// The flattened labels, predictions and weights Keras's
/// `update_confusion_matrix_variables` works on, after its rank alignment, `class_id`
/// slicing and sample-weight broadcasting.
struct ConfusionInputs {
  /// 1 where the label is non-zero, else 0.
  var labels: [Float]
  var predictions: [Float]
  /// One weight per element (all ones without sample weights).
  var weights: [Float]

  /// Keras's `NEG_INF`: what predictions outside the top k become.
  static let negativeInfinity: Float = -1e10

  init(
    yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor?, topK: Int? = nil, classId: Int?,
    metric: String
  ) throws {
    let (ps, ts) = LossReducer.alignedShapes(yPred.shape, yTrue.shape)
    guard ps == ts else {
      throw SwiftKerasError(
        .shapeMismatch,
        "\(metric): y_true of shape \(yTrue.shape) must have the same shape as y_pred of shape \(yPred.shape)"
      )
    }
    var p = yPred.detached.reshaped(to: ps)
    var t = yTrue.detached.reshaped(to: ts)
    var w: Tensor? = nil
    if let sampleWeight {
      let expanded = sampleWeight.shape + [1]
      let (_, ws) = LossReducer.alignedShapes(ts, expanded, expandRank1: false)
      w = sampleWeight.detached.reshaped(to: ws)
    }
    if let topK {
      let classes = p.shape.last ?? 0
      guard p.rank >= 1, topK <= classes else {
        throw SwiftKerasError(
          .invalidArgument,
          "\(metric): top_k \(topK) needs predictions with at least \(topK) classes on the last axis; got \(yPred.shape)"
        )
      }
      p = ConfusionInputs.keepingTopK(p, topK)
    }
    if let classId {
      guard p.rank >= 2, classId >= 0, classId < p.shape[p.rank - 1] else {
        throw SwiftKerasError(
          .invalidArgument,
          "\(metric): class_id \(classId) needs y_pred of shape (samples, classes) with more than \(classId) classes; got \(yPred.shape)"
        )
      }
      p = p.slice(classId..<(classId + 1), alongAxis: -1)
      t = t.slice(classId..<(classId + 1), alongAxis: -1)
    }
    labels = t.scalars.map { $0 != 0 ? 1 : 0 }
    predictions = p.scalars
    if let w {
      guard let common = Broadcasting.shape(w.shape, p.shape), common == p.shape else {
        throw SwiftKerasError(
          .shapeMismatch,
          "\(metric): sample_weight of shape \(sampleWeight?.shape ?? []) does not fit y_pred of shape \(yPred.shape)"
        )
      }
      weights = w.broadcast(toShape: p.shape).scalars
    } else {
      weights = [Float](repeating: 1, count: predictions.count)
    }
  }
}

extension ConfusionInputs {
  /// `x` with all but the `k` largest entries of each row (last axis) replaced by
  /// -10¹⁰, as Keras's `_filter_top_k`; ties go to the lower index, as `top_k` does.
  static func keepingTopK(_ x: Tensor, _ k: Int) -> Tensor {
    let classes = x.shape.last ?? 1
    var values = x.scalars
    var order = [Int](repeating: 0, count: classes)
    for start in stride(from: 0, to: values.count, by: classes) {
      for j in 0..<classes { order[j] = j }
      order.sort { a, b in
        let (va, vb) = (values[start + a], values[start + b])
        return va > vb || (va == vb && a < b)
      }
      for j in order[k...] { values[start + j] = negativeInfinity }
    }
    return Tensor(shape: x.shape, scalars: values)
  }
}

/// True/false positive/negative counts per threshold.
struct ConfusionCounts {
  var truePositives: [Double]
  var falsePositives: [Double]
  var trueNegatives: [Double]
  var falseNegatives: [Double]

  init(thresholds: Int) {
    truePositives = [Double](repeating: 0, count: thresholds)
    falsePositives = truePositives
    trueNegatives = truePositives
    falseNegatives = truePositives
  }

  mutating func reset() { self = ConfusionCounts(thresholds: truePositives.count) }

  /// Keras's general path: a prediction is positive when strictly above the threshold.
  mutating func add(_ inputs: ConfusionInputs, thresholds: [Float]) {
    for (k, threshold) in thresholds.enumerated() {
      var tp: Double = 0
      var fp: Double = 0
      var tn: Double = 0
      var fn: Double = 0
      for i in 0..<inputs.predictions.count {
        let w = Double(inputs.weights[i])
        let positive = inputs.predictions[i] > threshold
        if inputs.labels[i] != 0 {
          if positive { tp += w } else { fn += w }
        } else {
          if positive { fp += w } else { tn += w }
        }
      }
      truePositives[k] += tp
      falsePositives[k] += fp
      trueNegatives[k] += tn
      falseNegatives[k] += fn
    }
  }

  /// `a / b`, or 0 where `b` is 0 (`divide_no_nan`).
  static func ratio(_ a: Double, _ b: Double) -> Double { b == 0 ? 0 : a / b }
}

/// Throws unless every threshold is in `[0, 1]`.
func validateThresholds(_ thresholds: [Float], metric: String) throws {
  guard !thresholds.isEmpty, thresholds.allSatisfy({ $0 >= 0 && $0 <= 1 }) else {
    throw SwiftKerasError(
      .invalidArgument, "\(metric): thresholds must be non-empty and in [0, 1], got \(thresholds)")
  }
}
