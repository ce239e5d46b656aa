import SwiftKerasCore

/// Keras's shape alignment and weighted reduction for losses (`keras/src/losses/loss.py`).
enum LossReducer {
  /// The shapes after Keras's `squeeze_or_expand_to_same_rank`: when ranks differ by one
  /// and the longer shape ends in 1, that axis is squeezed, or a rank-1 shorter shape is
  /// expanded instead when `expandRank1` is set.
  static func alignedShapes(_ a: [Int], _ b: [Int], expandRank1: Bool = true) -> ([Int], [Int]) {
    var (x, y) = (a, b)
    if x.count == y.count { return (x, y) }
    if x.count == y.count + 1, x.last == 1 {
      if y.count == 1 && expandRank1 { y.append(1) } else { x.removeLast() }
    }
    if y.count == x.count + 1, y.last == 1 {
      if x.count == 1 && expandRank1 { x.append(1) } else { y.removeLast() }
    }
    return (x, y)
  }

  /// The two tensors reshaped by ``alignedShapes(_:_:expandRank1:)`` (differentiably).
  static func aligned(_ a: Tensor, _ b: Tensor, expandRank1: Bool = true) -> (Tensor, Tensor) {
    let (sa, sb) = alignedShapes(a.shape, b.shape, expandRank1: expandRank1)
    return (a.reshaped(to: sa), b.reshaped(to: sb))
  }

  /// Keras's `reduce_weighted_values`: merges the mask into the sample weights, weights
  /// the values and reduces them.
  static func reduceWeighted(
    _ values: Tensor, sampleWeight: Tensor?, mask: Tensor?, reduction: LossReduction
  ) -> Tensor {
    var weight = sampleWeight?.detached
    if let mask {
      var floatMask = mask.detached
      if reduction == .sumOverBatchSize || reduction == .mean {
        let total = Float(mask.count)
        let valid = mask.scalars.reduce(Float(0)) { $0 + $1 }
        let scale: Float = valid == 0 ? 0 : total / valid
        floatMask = floatMask.mapped { $0 != 0 ? scale : 0 }
      }
      if let w = weight {
        let (m, sw) = aligned(floatMask, w)
        weight = sw * m
      } else {
        weight = floatMask
      }
    }
    var weighted = values
    if let w = weight {
      let (v, sw) = aligned(values, w)
      weighted = v * sw
    }
    return reduce(weighted, sampleWeight: weight, reduction: reduction)
  }

  /// Keras's `reduce_values`.
  static func reduce(_ values: Tensor, sampleWeight: Tensor?, reduction: LossReduction) -> Tensor {
    if reduction == .none || values.rank == 0 || values.shape == [0] { return values }
    switch reduction {
    case .sum, .none:
      return values.reducedSum(dividedBy: 1)
    case .sumOverBatchSize, .mean, .meanWithSampleWeight:
      var divisor = Float(values.count)
      if reduction == .meanWithSampleWeight, let sampleWeight {
        divisor = sampleWeight.sum().scalar
      }
      return values.reducedSum(dividedBy: divisor)
    }
  }

  /// Throws unless a sample weight of `weightShape` can weight values of `valuesShape`.
  static func validateSampleWeight(_ weightShape: [Int], valuesShape: [Int], loss: String) throws {
    let (v, w) = alignedShapes(valuesShape, weightShape)
    guard Broadcasting.shape(v, w) != nil else {
      throw SwiftKerasError(
        .shapeMismatch,
        "\(loss): sample_weight of shape \(weightShape) does not fit per-sample losses of shape \(valuesShape)"
      )
    }
  }

  /// Throws unless `yTrue` and `yPred` broadcast together after Keras's rank alignment.
  static func validateBroadcastable(_ yTrue: Tensor, _ yPred: Tensor, loss: String) throws {
    let (t, p) = alignedShapes(yTrue.shape, yPred.shape)
    guard Broadcasting.shape(t, p) != nil else {
      throw SwiftKerasError(
        .shapeMismatch,
        "\(loss): y_true of shape \(yTrue.shape) does not match y_pred of shape \(yPred.shape)")
    }
  }

  /// Throws unless `yTrue` and `yPred` have the same shape after Keras's rank alignment.
  static func validateSameShape(_ yTrue: Tensor, _ yPred: Tensor, loss: String) throws {
    let (t, p) = alignedShapes(yTrue.shape, yPred.shape)
    guard t == p, !p.isEmpty else {
      throw SwiftKerasError(
        .shapeMismatch,
        "\(loss): y_true of shape \(yTrue.shape) must have the same shape as y_pred of shape \(yPred.shape)"
      )
    }
  }

  /// Throws unless `axis` names an axis of `shape`.
  static func validateAxis(_ axis: Int, shape: [Int], loss: String) throws {
    guard axis >= -shape.count && axis < shape.count else {
      throw SwiftKerasError(
        .invalidArgument, "\(loss): axis \(axis) is out of range for y_pred of shape \(shape)")
    }
  }
}
