import Foundation
import SwiftKerasCore
import SwiftKerasModels
import SwiftKerasSaving
import SwiftKerasTraining

/// The shared base of callbacks that watch one logged quantity (Keras's
/// `MonitorCallback`): ``EarlyStopping``, ``ModelCheckpoint`` and ``ReduceLROnPlateau``.
///
/// The direction is resolved at the first epoch end, as Keras's `_set_monitor_op`:
/// `.min` and `.max` are taken as given; with `.auto` a monitored `loss` (or `val_loss`,
/// or any name ending in `_loss`) is minimized, a metric whose Keras class has
/// `_direction == "up"` is maximized (accuracy, AUC, precision, recall, F-scores, IoU,
/// R², …) and a known error metric (MSE, MAE, crossentropies, hinge, …) is minimized.
/// Any other name raises an error out of `fit`, as Keras does, asking for `mode`.
///
/// As Keras, the compiled metric object logged under the monitored name decides first
/// (its ``MetricDirection``, so a renamed `Precision(name: "prec")` is maximized); the
/// name rule above covers names with no such object (checked against Keras in the tests).
open class MonitorCallback: Callback {
  /// The logged quantity watched, e.g. `"val_loss"`.
  public let monitor: String
  /// The mode asked for.
  public let mode: MonitorMode
  /// The minimum change that counts as an improvement (its absolute value).
  public let minDelta: Double
  /// The best value seen so far (nil before the first one), a `Float` as the logs are.
  public var best: Float? { bestValue.map { Float($0) } }
  /// The best value, kept in `Double` as Keras keeps its Python float for comparisons.
  var bestValue: Double?
  /// Where warnings go (once per callback for an unknown monitor): standard error by
  /// default.
  public var warn: (String) -> Void = { message in
    FileHandle.standardError.write(Data(("WARNING: " + message + "\n").utf8))
  }
  /// Where verbose messages go: standard output by default.
  public var log: (String) -> Void = { print($0) }

  /// `true` when higher is better, once resolved.
  public private(set) var maximizes: Bool?
  private var warnedMissing = false

  /// Creates the base with Keras's arguments.
  public init(monitor: String, mode: MonitorMode, minDelta: Double, baseline: Double? = nil) {
    self.monitor = monitor
    self.mode = mode
    self.minDelta = abs(minDelta)
    self.bestValue = baseline
    super.init()
  }

  /// Resolves the direction if not done.
  ///
  /// - Throws: ``SwiftKerasError`` when `.auto` cannot tell which way is better.
  func resolveDirection() throws {
    if maximizes != nil { return }
    switch mode {
    case .min: maximizes = false
    case .max: maximizes = true
    case .auto:
      if let direction = compiledDirection() ?? MonitorCallback.inferDirection(monitor) {
        maximizes = direction
      } else {
        throw SwiftKerasError(
          .invalidArgument,
          "\(type(of: self)) callback received monitor=\(monitor), but SwiftKeras isn't able to automatically determine whether that metric should be maximized or minimized. Pass mode: .max in order to monitor based on the highest metric value, or mode: .min to use the lowest value."
        )
      }
    }
  }

  /// As Keras: a monitored loss is minimized; otherwise the compiled metric logged under
  /// the name says which way it improves (nil when there is none or it does not say).
  private func compiledDirection() -> Bool? {
    let name = monitor.hasPrefix("val_") ? String(monitor.dropFirst(4)) : monitor
    if name == "loss" { return false }
    guard let metric = model?.metrics.first(where: { $0.name == name }) else { return nil }
    switch metric.direction {
    case .up: return true
    case .down: return false
    case .unknown: return nil
    }
  }

  /// `true` to maximize, `false` to minimize, nil when the name says nothing.
  static func inferDirection(_ monitor: String) -> Bool? {
    var name = monitor.hasPrefix("val_") ? String(monitor.dropFirst(4)) : monitor
    name = name.lowercased()
    if name == "loss" || name.hasSuffix("_loss") { return false }
    let up = [
      "acc", "auc", "precision", "recall", "f1", "fbeta", "iou", "r2", "accuracy",
      "specificity", "sensitivity", "top_k", "true_positives", "true_negatives",
    ]
    let down = [
      "mse", "mae", "mape", "msle", "mean_squared", "mean_absolute", "crossentropy", "hinge",
      "kl_divergence", "kld", "poisson", "log_cosh", "logcosh", "false_positives",
      "false_negatives", "cosine_similarity_loss", "huber",
    ]
    if down.contains(where: { name.contains($0) }) { return false }
    if up.contains(where: { name.contains($0) }) { return true }
    if name.contains("cosine_similarity") { return true }
    return nil
  }

  /// Keras's `_is_improvement`: `current - minDelta > reference` when maximizing,
  /// `current + minDelta < reference` when minimizing; anything beats a missing reference.
  ///
  /// As Keras on its TensorFlow, JAX and PyTorch backends (where `ops.greater`/`ops.less`
  /// convert their Python-float operands to float32 tensors), the shifted value and the
  /// reference are compared as `Float`s, the shift itself being computed in `Double`.
  public func isImprovement(_ current: Double, over reference: Double?) -> Bool {
    guard let reference else { return true }
    if maximizes == true { return Float(current - minDelta) > Float(reference) }
    return Float(current + minDelta) < Float(reference)
  }

  /// The monitored value from `logs`, warning once (naming the keys present) when absent.
  func monitorValue(_ logs: Logs, what: String) -> Double? {
    if let value = logs[monitor] { return Double(value) }
    if !warnedMissing {
      warnedMissing = true
      warn(
        "\(what) conditioned on metric `\(monitor)` which is not available. Available metrics are: \(logs.keys.sorted().joined(separator: ","))"
      )
    }
    return nil
  }
}
