import Foundation
import SwiftKerasCore
import SwiftKerasModels
import SwiftKerasSaving
import SwiftKerasTraining

/// Writes scalar summaries for TensorBoard, as `keras.callbacks.TensorBoard` (scalars
/// only: no graphs, histograms, images or profiling).
///
/// ```swift
/// let board = TensorBoard(logDir: "logs/run1")
/// try model.fit(x: x, y: y, epochs: 10, validationSplit: 0.2, callbacks: [board])
/// // tensorboard --logdir logs
/// ```
///
/// As Keras: at each epoch end, the training logs and the learning rate are written as
/// `epoch_<name>` (step = epoch) to an event file in `logDir/train`, and the `val_` logs,
/// with the prefix removed, to `logDir/validation`; after each validation,
/// `evaluation_<name>_vs_iterations` goes to `logDir/validation` at the optimizer's step.
/// With `updateFreq: .batches(N)`, every N-th training batch (counted from 1 across the
/// fit) also writes `batch_<name>` at that global batch number.
public final class TensorBoard: Callback {
  /// Rank 0 alone prints / writes files in data-parallel training.
  public override var runsOnChiefOnly: Bool { true }

  /// How often batch-level scalars are written.
  public enum UpdateFrequency: Equatable, Sendable {
    /// Only at epoch ends.
    case epoch
    /// Also every N training batches.
    case batches(Int)
  }

  /// The root log directory.
  public let logDir: URL
  /// When batch-level scalars are written.
  public let updateFreq: UpdateFrequency
  /// The training event file of the current fit.
  public private(set) var trainWriter: EventFileWriter?
  /// The validation event file of the current fit (created on first use).
  public private(set) var validationWriter: EventFileWriter?
  private var globalTrainBatch = 0

  /// Creates the callback.
  public init(logDir: String = "logs", updateFreq: UpdateFrequency = .epoch) {
    self.logDir = URL(fileURLWithPath: logDir)
    self.updateFreq = updateFreq
  }

  public override func onTrainBegin(logs: Logs) throws {
    globalTrainBatch = 0
    if case .batches(let n) = updateFreq, n <= 0 {
      throw SwiftKerasError(
        .invalidArgument,
        "TensorBoard: updateFreq must be .epoch or a positive number of batches, got \(n)")
      return
    }
    try perform {
      trainWriter = try EventFileWriter(directory: logDir.appendingPathComponent("train"))
    }
  }

  public override func onTrainBatchBegin(_ batch: Int, logs: Logs) throws { globalTrainBatch += 1 }

  public override func onTrainBatchEnd(_ batch: Int, logs: Logs) throws {
    guard case .batches(let n) = updateFreq, n > 0, globalTrainBatch % n == 0, let trainWriter
    else { return }
    try perform {
      try trainWriter.addScalars(
        logs.keys.sorted().map { ("batch_" + $0, logs[$0] ?? .nan) }, step: globalTrainBatch)
    }
  }

  public override func onTestEnd(logs: Logs) throws {
    guard let optimizer = model?.optimizer, trainWriter != nil else { return }
    try perform {
      let writer = try validation()
      try writer.addScalars(
        logs.keys.sorted().map { ("evaluation_\($0)_vs_iterations", logs[$0] ?? .nan) },
        step: optimizer.iterations)
    }
  }

  public override func onEpochEnd(_ epoch: Int, logs: Logs) throws {
    guard let trainWriter, !logs.isEmpty else { return }
    var train = logs.filter { !$0.key.hasPrefix("val_") }
    let validationLogs = logs.filter { $0.key.hasPrefix("val_") }
    if let optimizer = model?.optimizer { train["learning_rate"] = optimizer.learningRate }
    try perform {
      try trainWriter.addScalars(
        train.keys.sorted().map { ("epoch_" + $0, train[$0] ?? .nan) }, step: epoch)
      try trainWriter.flush()
      if !validationLogs.isEmpty {
        let writer = try validation()
        try writer.addScalars(
          validationLogs.keys.sorted().map {
            ("epoch_" + $0.dropFirst(4), validationLogs[$0] ?? .nan)
          }, step: epoch)
        try writer.flush()
      }
    }
  }

  public override func onTrainEnd(logs: Logs) throws {
    try perform {
      try trainWriter?.close()
      try validationWriter?.close()
    }
  }

  private func validation() throws -> EventFileWriter {
    if let validationWriter { return validationWriter }
    let writer = try EventFileWriter(directory: logDir.appendingPathComponent("validation"))
    validationWriter = writer
    return writer
  }

  private func perform(_ body: () throws -> Void) throws { try body() }
}
