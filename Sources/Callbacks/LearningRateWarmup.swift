import SwiftKerasCore
import SwiftKerasModels
import SwiftKerasTraining

/// Ramps the learning rate up over the first epochs of data-parallel training, as
/// Horovod's `LearningRateWarmupCallback`: a large global batch trains with a rate scaled
/// by the number of ranks, which is unstable at the start, so the rate starts at
/// `targetLearningRate / ranks` and grows linearly, batch by batch, to
/// `targetLearningRate` at the end of epoch `warmupEpochs`.
///
/// ```swift
/// let strategy = try DataParallel.mpi()
/// let warmup = LearningRateWarmup(
///   targetLearningRate: 0.001 * Float(strategy.size), warmupEpochs: 5, ranks: strategy.size)
/// try model.fit(x: x, y: y, batchSize: 256, epochs: 20, callbacks: [warmup], distribution: strategy)
/// ```
///
/// The rate at batch `b` of epoch `e` (`s` steps per epoch, `n` ranks, `w` warm-up
/// epochs) is `target / n · (t · (n − 1) / w + 1)` with `t = e + (b + 1) / s`, Horovod's
/// formula; after the warm-up the rate is left alone (a scheduler may take over).
public final class LearningRateWarmup: Callback {
  /// The rate reached at the end of the warm-up.
  public let targetLearningRate: Float
  /// The number of epochs the ramp takes.
  public let warmupEpochs: Int
  /// The number of ranks the rate was scaled for.
  public let ranks: Int
  private var epoch = 0

  /// Creates the warm-up; `ranks` is the number of data-parallel ranks (the strategy's
  /// `size`).
  public init(targetLearningRate: Float, warmupEpochs: Int = 5, ranks: Int) {
    self.targetLearningRate = targetLearningRate
    self.warmupEpochs = warmupEpochs
    self.ranks = ranks
  }

  public override func onTrainBegin(logs: Logs) throws {
    guard warmupEpochs > 0, ranks > 0, targetLearningRate.isFinite else {
      throw SwiftKerasError(
        .invalidArgument,
        "LearningRateWarmup: warmupEpochs (\(warmupEpochs)) and ranks (\(ranks)) must be positive and the target rate finite (\(targetLearningRate))"
      )
    }
  }

  public override func onEpochBegin(_ epoch: Int, logs: Logs) throws { self.epoch = epoch }

  public override func onTrainBatchBegin(_ batch: Int, logs: Logs) throws {
    guard epoch < warmupEpochs, let optimizer = model?.optimizer else { return }
    let steps = Float(max(params.steps ?? 1, 1))
    let progress = Float(epoch) + Float(batch + 1) / steps
    let size = Float(ranks)
    optimizer.learningRate =
      targetLearningRate / size * (progress * (size - 1) / Float(warmupEpochs) + 1)
  }
}
