import Foundation
import SwiftKerasCore

/// Fused loss kernels: each computes its values in one pass over the buffers and records
/// a single tape entry whose backward writes the gradient with respect to `yPred`.
enum LossKernels {
  /// Keras's `backend.epsilon()`.
  static let epsilon: Float = 1e-7

  /// Applies `f(yTrue, yPred) -> (value, d value / d yPred)` element-wise after
  /// broadcasting both inputs to a common shape; differentiable with respect to `yPred`.
  ///
  /// - Precondition: the shapes broadcast together.
  @inline(__always)
  static func elementwise(
    _ yTrue: Tensor, _ yPred: Tensor, _ f: (Float, Float) -> (Float, Float)
  ) -> Tensor {
    guard let outShape = Broadcasting.shape(yTrue.shape, yPred.shape) else {
      preconditionFailure(
        "loss: y_true of shape \(yTrue.shape) does not broadcast with y_pred of shape \(yPred.shape)"
      )
    }
    let t = yTrue.shape == outShape ? yTrue.detached : yTrue.detached.broadcast(toShape: outShape)
    let p = yPred.shape == outShape ? yPred.detached : yPred.detached.broadcast(toShape: outShape)
    let n = t.count
    let needsGradient = yPred.recordingTape != nil
    let values = TensorStorage(uninitializedCount: n)
    let derivatives = TensorStorage(uninitializedCount: needsGradient ? n : 0)
    let tp = t.storage.base
    let pp = p.storage.base
    let vp = values.base
    if needsGradient {
      let dp = derivatives.base
      for i in 0..<n {
        let (v, d) = f(tp[i], pp[i])
        vp[i] = v
        dp[i] = d
      }
    } else {
      for i in 0..<n { vp[i] = f(tp[i], pp[i]).0 }
    }
    let out = Tensor(shape: outShape, storage: values)
    guard needsGradient else { return out }
    let derivative = Tensor(shape: outShape, storage: derivatives)
    let predShape = yPred.shape
    return out.recorded(from: yPred) { g in
      let scaled = g.shape == outShape ? g.zipped(with: derivative, *) : g * derivative
      return scaled.sumToShape(predShape)
    }
  }

  /// Per-row sparse categorical cross-entropy over the last axis of `yPred`, as Keras's
  /// TensorFlow backend: probabilities are clipped to `[ε, 1 − ε]` and renormalised by
  /// the softmax of their logs; logits go through a log-softmax.
  ///
  /// Rows whose label equals `ignoreClass` give 0 and no gradient; labels that are not an
  /// integer in `[0, classes)` give NaN (validate first to get an error instead).
  static func sparseCrossentropy(
    labels: Tensor, yPred: Tensor, fromLogits: Bool, ignoreClass: Int?
  ) -> Tensor {
    let classes = yPred.shape.last ?? 1
    let rows = labels.count
    precondition(
      rows * classes == yPred.count,
      "sparse_categorical_crossentropy: labels of shape \(labels.shape) do not fit y_pred of shape \(yPred.shape)"
    )
    let needsGradient = yPred.recordingTape != nil
    let values = TensorStorage(uninitializedCount: rows)
    let gradient = TensorStorage(uninitializedCount: needsGradient ? rows * classes : 0)
    let lp = labels.storage.base
    let pp = yPred.storage.base
    let vp = values.base
    let gp = gradient.base
    let eps = epsilon
    let ignored = ignoreClass.map { Float($0) }
    for r in 0..<rows {
      let row = pp + r * classes
      let labelValue = lp[r]
      if let ignored, labelValue == ignored {
        vp[r] = 0
        if needsGradient { (gp + r * classes).initialize(repeating: 0, count: classes) }
        continue
      }
      guard labelValue >= 0, labelValue < Float(classes),
        labelValue == labelValue.rounded(.towardZero)
      else {
        vp[r] = .nan
        if needsGradient { (gp + r * classes).initialize(repeating: 0, count: classes) }
        continue
      }
      let label = Int(labelValue)
      if fromLogits {
        let m = rowMax(row, classes)
        let s = expSum(row, classes, shift: m, keepingIn: needsGradient ? gp + r * classes : nil)
        if needsGradient {
          let g = gp + r * classes
          let inverse = 1 / s
          for j in 0..<classes { g[j] *= inverse }
          g[label] -= 1
        }
        vp[r] = m + Foundation.log(s) - row[label]
      } else {
        var s: Float = 0
        for j in 0..<classes { s += Swift.min(Swift.max(row[j], eps), 1 - eps) }
        let pl = Swift.min(Swift.max(row[label], eps), 1 - eps)
        vp[r] = Foundation.log(s) - Foundation.log(pl)
        if needsGradient {
          let g = gp + r * classes
          let inverse = 1 / s
          for j in 0..<classes {
            let x = row[j]
            g[j] = (x >= eps && x <= 1 - eps) ? inverse : 0
          }
          if row[label] >= eps && row[label] <= 1 - eps { g[label] -= 1 / pl }
        }
      }
    }
    let out = Tensor(shape: labels.shape, storage: values)
    guard needsGradient else { return out }
    let predShape = yPred.shape
    return out.recorded(from: yPred) { g in
      scaleRows(gradient, by: g, rows: rows, classes: classes, shape: predShape)
    }
  }

  /// Categorical cross-entropy over the last axis, as Keras's TensorFlow backend:
  /// probabilities are renormalised to sum to one, clipped to `[ε, 1 − ε]`, then
  /// `−Σ t log p`; logits use `Σ t (logsumexp(z) − z)`.
  ///
  /// - Precondition: `yTrue` and `yPred` have the same shape.
  static func categoricalCrossentropy(yTrue: Tensor, yPred: Tensor, fromLogits: Bool) -> Tensor {
    precondition(
      yTrue.shape == yPred.shape && yPred.rank >= 1,
      "categorical_crossentropy: y_true of shape \(yTrue.shape) must match y_pred of shape \(yPred.shape)"
    )
    let classes = yPred.shape[yPred.rank - 1]
    let rows = classes == 0 ? 0 : yPred.count / classes
    let needsGradient = yPred.recordingTape != nil
    let values = TensorStorage(uninitializedCount: rows)
    let gradient = TensorStorage(uninitializedCount: needsGradient ? rows * classes : 0)
    let t = yTrue.detached
    let tp = t.storage.base
    let pp = yPred.storage.base
    let vp = values.base
    let gp = gradient.base
    let eps = epsilon
    for r in 0..<rows {
      let row = pp + r * classes
      let target = tp + r * classes
      if fromLogits {
        var m = rowMax(row, classes)
        if !m.isFinite { m = 0 }
        // Keep the exponentials in the gradient buffer so they are computed once.
        let s = expSum(row, classes, shift: m, keepingIn: needsGradient ? gp + r * classes : nil)
        let lse = m + Foundation.log(s)
        var loss: Float = 0
        var targetSum: Float = 0
        for j in 0..<classes {
          loss += target[j] * (lse - row[j])
          targetSum += target[j]
        }
        vp[r] = loss
        if needsGradient {
          let g = gp + r * classes
          let scale = targetSum / s
          for j in 0..<classes { g[j] = g[j] * scale - target[j] }
        }
      } else {
        var s: Float = 0
        for j in 0..<classes { s += row[j] }
        var loss: Float = 0
        for j in 0..<classes {
          let q = row[j] / s
          loss -= target[j] * Foundation.log(Swift.min(Swift.max(q, eps), 1 - eps))
        }
        vp[r] = loss
        if needsGradient {
          // a_j = dL/dq_j; dL/dp_k = a_k / s − Σ_j a_j p_j / s².
          let g = gp + r * classes
          var dot: Float = 0
          for j in 0..<classes {
            let q = row[j] / s
            let a: Float = (q >= eps && q <= 1 - eps) ? -target[j] / q : 0
            g[j] = a
            dot += a * row[j]
          }
          let inverse = 1 / s
          let shift = dot * inverse * inverse
          for j in 0..<classes { g[j] = g[j] * inverse - shift }
        }
      }
    }
    let out = Tensor(shape: Array(yPred.shape.dropLast()), storage: values)
    guard needsGradient else { return out }
    let predShape = yPred.shape
    return out.recorded(from: yPred) { g in
      scaleRows(gradient, by: g, rows: rows, classes: classes, shape: predShape)
    }
  }

  /// `gradient[r, :] * g[r]` as a new tensor of `shape`.
  /// The largest of a row's `classes` logits (-infinity for an empty row).
  @inline(__always)
  private static func rowMax(_ row: UnsafePointer<Float>, _ classes: Int) -> Float {
    var m = -Float.infinity
    for j in 0..<classes { m = Swift.max(m, row[j]) }
    return m
  }

  /// `Σ exp(row[j] - shift)`, the softmax denominator both cross-entropy kernels need,
  /// keeping each exponential in `exponentials` when given (the gradient buffer).
  @inline(__always)
  private static func expSum(
    _ row: UnsafePointer<Float>, _ classes: Int, shift: Float,
    keepingIn exponentials: UnsafeMutablePointer<Float>?
  ) -> Float {
    var s: Float = 0
    if let exponentials {
      for j in 0..<classes {
        let e = Foundation.exp(row[j] - shift)
        exponentials[j] = e
        s += e
      }
    } else {
      for j in 0..<classes { s += Foundation.exp(row[j] - shift) }
    }
    return s
  }

  private static func scaleRows(
    _ gradient: TensorStorage, by g: Tensor, rows: Int, classes: Int, shape: [Int]
  ) -> Tensor {
    Tensor(shape: shape) { out in
      guard let o = out.baseAddress else { return }
      let gp = gradient.base
      let scale = g.storage.base
      for r in 0..<rows {
        let s = scale[r]
        let src = gp + r * classes
        let dst = o + r * classes
        for j in 0..<classes { dst[j] = src[j] * s }
      }
    }
  }
}

extension LossKernels {
  /// Aligns ranks as Keras, applies the element-wise kernel and averages the last axis.
  ///
  /// When the aligned shapes are equal (the usual case) this is one fused pass that
  /// records a single tape entry; otherwise it broadcasts first.
  @inline(__always)
  static func meanOverLastAxis(
    _ yTrue: Tensor, _ yPred: Tensor, _ f: (Float, Float) -> (Float, Float)
  ) -> Tensor {
    let (t, p) = LossReducer.aligned(yTrue, yPred)
    guard t.shape == p.shape, p.rank >= 1, let width = p.shape.last, width > 0 else {
      let values = elementwise(t, p, f)
      return values.rank == 0 ? values : values.axisMean([-1])
    }
    let rows = p.count / width
    let needsGradient = p.recordingTape != nil
    let means = TensorStorage(uninitializedCount: rows)
    let derivatives = TensorStorage(uninitializedCount: needsGradient ? p.count : 0)
    let tp = t.storage.base
    let pp = p.storage.base
    let mp = means.base
    let dp = derivatives.base
    let inverse = 1 / Float(width)
    for r in 0..<rows {
      var total: Float = 0
      let offset = r * width
      if needsGradient {
        for j in 0..<width {
          let (v, d) = f(tp[offset + j], pp[offset + j])
          total += v
          dp[offset + j] = d * inverse
        }
      } else {
        for j in 0..<width { total += f(tp[offset + j], pp[offset + j]).0 }
      }
      mp[r] = total / Float(width)
    }
    let out = Tensor(shape: Array(p.shape.dropLast()), storage: means)
    guard needsGradient else { return out }
    let predShape = p.shape
    return out.recorded(from: p) { g in
      scaleRows(derivatives, by: g, rows: rows, classes: width, shape: predShape)
    }
  }

  /// The base config every loss shares.
  static func baseConfig(name: String, reduction: LossReduction) -> [String: ConfigValue] {
    ["name": .string(name), "reduction": reduction.configValue]
  }
}
