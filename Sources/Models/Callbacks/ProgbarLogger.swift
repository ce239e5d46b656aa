import Foundation
import SwiftKerasCore
import SwiftKerasLayers
import SwiftKerasTraining

/// Prints the progress of fit, evaluate and predict as Keras 3 does; attached
/// automatically when `verbose` is not 0.
public final class ProgbarLogger: Callback {
  /// Rank 0 alone prints / writes files in data-parallel training.
  public override var runsOnChiefOnly: Bool { true }

  private var progbar: Progbar?
  private var seen = 0
  private var target: Int?
  private var verbose = 1
  private var epochs = 1
  private var calledInFit = false
  private let write: ((String) -> Void)?
  private let dynamicDisplay: Bool?

  /// Creates the logger.
  ///
  /// - Parameters:
  ///   - dynamicDisplay: redraw the bar in place (default: when standard output is a terminal).
  ///   - write: where to write (default: standard output).
  public init(dynamicDisplay: Bool? = nil, write: ((String) -> Void)? = nil) {
    self.dynamicDisplay = dynamicDisplay
    self.write = write
  }

  public override func setParams(_ params: TrainingParameters) {
    super.setParams(params)
    verbose = params.verbose
    epochs = params.epochs
    target = params.steps
  }

  private func output(_ text: String) {
    if let write { write(text) } else { writeToStandardOutput(text) }
  }

  private func reset() {
    seen = 0
    progbar = nil
  }

  private func ensureProgbar() {
    if progbar == nil {
      progbar = Progbar(
        target: target, verbose: verbose, unitName: "step", averaging: false,
        dynamicDisplay: dynamicDisplay, write: write)
    }
  }

  private func update(_ batch: Int, _ logs: Logs) {
    ensureProgbar()
    seen = batch + 1
    if verbose == 1 {
      progbar?.update(seen, values: logs.sorted { $0.key < $1.key }, finalize: false)
    }
  }

  private func finish(_ logs: Logs) {
    ensureProgbar()
    if target == nil {
      target = seen
      progbar = Progbar(
        target: seen, verbose: verbose, unitName: "step", averaging: false,
        dynamicDisplay: dynamicDisplay, write: write)
    }
    progbar?.update(target ?? seen, values: logs.sorted { $0.key < $1.key }, finalize: true)
  }

  public override func onTrainBegin(logs: Logs) throws { calledInFit = true }

  public override func onTestBegin(logs: Logs) throws {
    if !calledInFit {
      reset()
      ensureProgbar()
    }
  }

  public override func onPredictBegin(logs: Logs) throws {
    reset()
    ensureProgbar()
  }

  public override func onEpochBegin(_ epoch: Int, logs: Logs) throws {
    reset()
    ensureProgbar()
    if verbose != 0 && epochs > 1 { output("Epoch \(epoch + 1)/\(epochs)\n") }
  }

  public override func onTrainBatchEnd(_ batch: Int, logs: Logs) throws { update(batch, logs) }

  public override func onTestBatchEnd(_ batch: Int, logs: Logs) throws {
    if !calledInFit { update(batch, logs) }
  }

  public override func onPredictBatchEnd(_ batch: Int, logs: Logs) throws { update(batch, [:]) }

  public override func onEpochEnd(_ epoch: Int, logs: Logs) throws { finish(logs) }

  public override func onTestEnd(logs: Logs) throws {
    if !calledInFit { finish(logs) }
  }

  public override func onPredictEnd(logs: Logs) throws { finish([:]) }
}
