import Foundation
import SwiftKerasCore
import SwiftKerasModels
import SwiftKerasSaving
import SwiftKerasTraining

/// Backs up the training state so an interrupted `fit` resumes where it stopped, as
/// `keras.callbacks.BackupAndRestore`.
///
/// ```swift
/// let backup = BackupAndRestore(backupDirectory: "/tmp/backup")
/// try model.fit(x: x, y: y, epochs: 10, callbacks: [backup])   // interrupted at epoch 4…
/// try model.fit(x: x, y: y, epochs: 10, callbacks: [backup])   // …resumes at epoch 4
/// ```
///
/// At each save (every epoch end, or every N batches) one file,
/// `backupDirectory/latest.skw` (the ``WeightsFile`` format, written atomically), holds:
/// the model weights; the optimizer's state variables, ``Optimizer/iterations`` and
/// learning rate; the number of finished epochs, the batches already trained of the
/// current one (with `saveFreq: .batches(n)`); and the fit's ``Model/shuffleSeed``.
/// When training begins and the file exists, all of it is restored and `fit` starts at
/// the saved epoch and batch: it reads the epoch's first batches again without training
/// on them (a tensor or ``Dataset`` pass depends only on the seed and the epoch), so
/// the pipeline stands exactly where it stood. A seeded run that is interrupted — at an
/// epoch's end or inside one — and resumed ends with the same weights as one that was
/// not (for models without other randomness during training, such as Dropout, which
/// draws from the global generator and is not restored).
///
/// When training ends normally the directory is deleted (`deleteCheckpoint`); when `fit`
/// throws, `onTrainEnd` does not run and the backup stays for the next `fit`.
public final class BackupAndRestore: Callback {
  /// Rank 0 alone prints / writes files in data-parallel training.
  public override var runsOnChiefOnly: Bool { true }

  /// The directory of the backup.
  public let backupDirectory: URL
  /// When to back up.
  public let saveFrequency: SaveFrequency
  /// Whether the backup is deleted when training ends normally.
  public let deleteCheckpoint: Bool
  /// The epoch the last `fit` resumed from (nil when it started fresh).
  public private(set) var restoredEpoch: Int?

  private var currentEpoch = 0
  private var batchesSinceLastSave = 0
  private var lastBatchSeen = 0
  /// Batches trained in the current epoch (0 at an epoch's end).
  private var stepsDoneInEpoch = 0

  /// The backup file.
  public var backupFile: URL { backupDirectory.appendingPathComponent("latest.skw") }

  /// Creates the callback.
  public init(
    backupDirectory: String, saveFreq: SaveFrequency = .epoch, deleteCheckpoint: Bool = true
  ) {
    self.backupDirectory = URL(fileURLWithPath: backupDirectory)
    self.saveFrequency = saveFreq
    self.deleteCheckpoint = deleteCheckpoint
  }

  public override func onTrainBegin(logs: Logs) throws {
    restoredEpoch = nil
    batchesSinceLastSave = 0
    lastBatchSeen = 0
    stepsDoneInEpoch = 0
    if case .batches(let n) = saveFrequency, n <= 0 {
      throw SwiftKerasError(
        .invalidArgument,
        "BackupAndRestore: saveFreq must be .epoch or a positive number of batches, got \(n)")
      return
    }
    guard let model, FileManager.default.fileExists(atPath: backupFile.path) else { return }
    do {
      try restore(into: model)
    } catch {
      throw error
    }
  }

  public override func onEpochEnd(_ epoch: Int, logs: Logs) throws {
    currentEpoch = epoch + 1
    lastBatchSeen = 0
    stepsDoneInEpoch = 0
    if saveFrequency == .epoch { try save() }
  }

  public override func onTrainBatchEnd(_ batch: Int, logs: Logs) throws {
    stepsDoneInEpoch = batch + 1
    guard case .batches(let n) = saveFrequency else { return }
    batchesSinceLastSave += batch <= lastBatchSeen ? batch + 1 : batch - lastBatchSeen
    lastBatchSeen = batch
    if batchesSinceLastSave >= n {
      batchesSinceLastSave = 0
      try save()
    }
  }

  public override func onTrainEnd(logs: Logs) throws {
    if deleteCheckpoint { try? FileManager.default.removeItem(at: backupDirectory) }
  }

  private func save() throws {
    guard let model else { return }
    var metadata = [
      "epoch": String(currentEpoch), "batch": String(lastBatchSeen),
      "shuffle_seed": String(model.shuffleSeed), "steps_done": String(stepsDoneInEpoch),
    ]
    var entries = zip(model.weights, model.getWeights()).map {
      WeightsFile.Entry(name: "model/" + $0.name, tensor: $1)
    }
    if let optimizer = model.optimizer {
      metadata["iterations"] = String(optimizer.iterations)
      metadata["learning_rate"] = String(optimizer.learningRate.bitPattern)
      entries += optimizer.stateVariables().map {
        WeightsFile.Entry(name: "optimizer/" + $0.name, tensor: $0.untrackedValue)
      }
    }
    try AtomicFile.createFolder(backupDirectory)
    try WeightsFile(metadata: metadata, entries: entries).write(to: backupFile)
  }

  private func restore(into model: Model) throws {
    let file = try WeightsFile.read(from: backupFile)
    let weightCount = model.weights.count
    let modelEntries = file.entries.filter { $0.name.hasPrefix("model/") }
    let optimizerEntries = file.entries.filter { $0.name.hasPrefix("optimizer/") }
    guard modelEntries.count == weightCount else {
      throw SwiftKerasError(
        .invalidData,
        "BackupAndRestore: the backup in '\(backupFile.path)' holds \(modelEntries.count) weights, the model has \(weightCount)"
      )
    }
    guard let epochText = file.metadata["epoch"], let epoch = Int(epochText),
      let seedText = file.metadata["shuffle_seed"], let seed = UInt64(seedText)
    else {
      throw SwiftKerasError(
        .invalidData,
        "BackupAndRestore: the backup in '\(backupFile.path)' has no epoch or shuffle seed")
    }
    try model.setWeights(modelEntries.map { $0.tensor })
    if let optimizer = model.optimizer {
      try optimizer.build(variables: model.trainableWeights)
      if !optimizerEntries.isEmpty || !optimizer.stateVariables().isEmpty {
        try optimizer.loadStateValues(optimizerEntries.map { $0.tensor })
      }
      if let iterations = file.metadata["iterations"].flatMap(Int.init) {
        optimizer.iterations = iterations
      }
      if let bits = file.metadata["learning_rate"].flatMap(UInt32.init) {
        let rate = Float(bitPattern: bits)
        // Setting the rate fixes a constant; leave a schedule alone when it agrees.
        if optimizer.learningRate != rate { optimizer.learningRate = rate }
      }
    }
    model.shuffleSeed = seed
    model.resumeEpoch = epoch
    // Backups from before the field existed resume at the epoch's start.
    let stepsDone = file.metadata["steps_done"].flatMap(Int.init) ?? 0
    model.resumeStep = stepsDone > 0 ? stepsDone : nil
    stepsDoneInEpoch = stepsDone
    lastBatchSeen = max(stepsDone - 1, 0)
    currentEpoch = epoch
    restoredEpoch = epoch
  }
}
