import Foundation
import SwiftKerasCore
import SwiftKerasModels
import SwiftKerasSaving
import SwiftKerasTraining

/// Saves the model (by default its weights, in the ``WeightsFile`` format) at some
/// frequency, as `keras.callbacks.ModelCheckpoint`.
///
/// ```swift
/// let checkpoint = ModelCheckpoint(
///   filepath: "checkpoints/ckpt-{epoch:02d}-{val_loss:.4f}.skw",
///   monitor: "val_loss", saveBestOnly: true)
/// try model.fit(x: x, y: y, epochs: 10, validationSplit: 0.2, callbacks: [checkpoint])
/// ```
///
/// `filepath` may hold `{epoch}` (1-based, as Keras), `{batch}` (1-based, when saving
/// every N batches) and any logged key, with a Python format spec (see
/// ``FilepathTemplate``). With `saveBestOnly`, a file is written only when the monitored
/// value improves on the best so far (and on `initialValueThreshold` when given).
///
/// By default the file name picks the format, as in Keras 3: `.keras` saves the whole
/// model (`model.save(to:)`), `.weights.h5` the weights (`model.saveWeights(to:)`), any
/// other name SwiftKeras's own ``WeightsFile`` format. Every format is written atomically.
/// Pass `saver` to write something else. Save errors are raised out of `fit`.
public final class ModelCheckpoint: MonitorCallback {
  /// Rank 0 alone prints / writes files in data-parallel training.
  public override var runsOnChiefOnly: Bool { true }

  /// The path template.
  public let filepath: FilepathTemplate
  /// 0 silent, 1 prints a message on each save decision.
  public let verbose: Int
  /// Whether only improvements of the monitored value are saved.
  public let saveBestOnly: Bool
  /// Whether only the weights are saved (informational for custom savers; the default
  /// saver always saves weights).
  public let saveWeightsOnly: Bool
  /// When to save.
  public let saveFrequency: SaveFrequency
  /// Writes `model` to a URL.
  public let saver: (Model, URL) throws -> Void
  /// The paths saved, in order.
  public private(set) var savedPaths: [String] = []

  private var currentEpoch = 0
  private var batchesSinceLastSave = 0
  private var lastBatchSeen: Int?

  /// Creates the callback with Keras's arguments and defaults.
  public init(
    filepath: String, monitor: String = "val_loss", verbose: Int = 0, saveBestOnly: Bool = false,
    saveWeightsOnly: Bool = false, mode: MonitorMode = .auto, saveFreq: SaveFrequency = .epoch,
    initialValueThreshold: Double? = nil,
    saver: ((Model, URL) throws -> Void)? = nil
  ) {
    self.filepath = FilepathTemplate(filepath)
    self.verbose = verbose
    self.saveBestOnly = saveBestOnly
    self.saveWeightsOnly = saveWeightsOnly
    self.saveFrequency = saveFreq
    self.saver = saver ?? ModelCheckpoint.saveByExtension
    super.init(monitor: monitor, mode: mode, minDelta: 0, baseline: initialValueThreshold)
  }

  /// The default saver: the format follows the file name (see the type's documentation).
  public static func saveByExtension(_ model: Model, to url: URL) throws {
    let path = url.path
    if path.hasSuffix(".keras") {
      try model.save(to: path)
    } else if path.hasSuffix(".weights.h5") {
      try model.saveWeights(to: path)
    } else {
      try WeightsFile.save(model, to: url)
    }
  }

  public override func onTrainBegin(logs: Logs) throws {
    if case .batches(let n) = saveFrequency, n <= 0 {
      throw SwiftKerasError(
        .invalidArgument,
        "ModelCheckpoint: saveFreq must be .epoch or a positive number of batches, got \(n)")
    }
  }

  public override func onEpochBegin(_ epoch: Int, logs: Logs) throws { currentEpoch = epoch }

  public override func onTrainBatchEnd(_ batch: Int, logs: Logs) throws {
    guard case .batches(let n) = saveFrequency, n > 0 else { return }
    // Keras's _should_save_on_batch: batches are counted across epochs.
    if let last = lastBatchSeen, batch > last {
      batchesSinceLastSave += batch - last
    } else {
      batchesSinceLastSave += batch + 1
    }
    lastBatchSeen = batch
    guard batchesSinceLastSave >= n else { return }
    batchesSinceLastSave = 0
    try save(epoch: currentEpoch, batch: batch, logs: logs)
  }

  public override func onEpochEnd(_ epoch: Int, logs: Logs) throws {
    try resolveDirection()
    if saveFrequency == .epoch { try save(epoch: epoch, batch: nil, logs: logs) }
  }

  private func save(epoch: Int, batch: Int?, logs: Logs) throws {
    guard let model else { return }
    var values: [String: FilepathTemplate.Value] = [:]
    for (key, value) in logs { values[key] = .float(Double(value)) }
    values["epoch"] = .int(epoch + 1)
    if let batch, logs["batch"] == nil { values["batch"] = .int(batch + 1) }
    let path = try filepath.format(values)
    guard try shouldSave(epoch: epoch, logs: logs, path: path) else { return }
    try AtomicFile.createFolder(URL(fileURLWithPath: path).deletingLastPathComponent())
    try saver(model, URL(fileURLWithPath: path))
    savedPaths.append(path)
  }

  private func shouldSave(epoch: Int, logs: Logs, path: String) throws -> Bool {
    guard saveBestOnly else {
      if verbose > 0 { log("\nEpoch \(epoch + 1): saving model to \(path)") }
      return true
    }
    guard let current = monitorValue(logs, what: "ModelCheckpoint saving")
    else { return true }
    try resolveDirection()
    let bestText = bestValue.map { String(format: "%.5f", $0) } ?? "None"
    if isImprovement(current, over: bestValue) {
      if verbose > 0 {
        log(
          "\nEpoch \(epoch + 1): \(monitor) improved from \(bestText) to \(String(format: "%.5f", current)), saving model to \(path)"
        )
      }
      bestValue = current
      return true
    }
    if verbose > 0 { log("\nEpoch \(epoch + 1): \(monitor) did not improve from \(bestText)") }
    return false
  }
}
