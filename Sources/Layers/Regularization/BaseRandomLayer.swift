import SwiftKerasCore

/// What the dropout and noise layers share, as Keras's layers holding a `SeedGenerator`:
/// the optional `seed` hyperparameter, the generator drawn from it, and an output shaped
/// as the input.
public class BaseRandomLayer: Layer {
  /// The seed of the layer's generator, when given.
  @Config public var seed: UInt64? = nil
  /// Made on first use rather than at creation, because ``Layer/init(config:)`` sets
  /// `seed` after the layer's properties are initialised.
  lazy var generator = seed.map(RandomGenerator.init(seed:)) ?? unseededGenerator
  /// Drawn when the layer is created, so the global seed orders draws as before.
  private let unseededGenerator = GlobalRandom.makeGenerator()

  /// The generator's state, which data-parallel training copies from rank 0.
  package var generatorState: [UInt64] {
    get { generator.state }
    set { generator.state = newValue }
  }

  public override func computeOutputShape(inputShapes: [Shape]) throws -> Shape {
    inputShapes[0]
  }

  /// Throws unless `rate` lies in [0, 1], or in [0, 1) when `includingOne` is false
  /// (Gaussian dropout's noise has no finite deviation at 1).
  func checkRate(_ rate: Float, includingOne: Bool = true) throws {
    guard rate >= 0, includingOne ? rate <= 1 : rate < 1 else {
      throw SwiftKerasError(
        .invalidArgument,
        "layer '\(name)' (\(className)): rate must be in [0, 1\(includingOne ? "]" : ")"), got \(rate)"
      )
    }
  }

  /// `input` times a mask of `maskShape` (broadcast over `input`) whose entries are 0 with
  /// probability `rate` and `1 / (1 - rate)` otherwise, so the expected sum is unchanged.
  func dropped(_ input: Tensor, rate: Float, maskShape: [Int]) -> Tensor {
    if rate >= 1 { return input * 0 }
    let keep: Float = 1 / (1 - rate)
    // The closure cannot capture the lazy property inout, so it draws from a copy.
    var local = generator
    // Data-parallel: draw the whole global batch's mask and keep this rank's rows.
    let shard = RandomBatchShard.current.value
    let sharded = shard.flatMap { maskShape.first == $0.rows.count ? $0 : nil }
    var drawnShape = maskShape
    if let sharded { drawnShape[0] = sharded.total }
    var mask = Tensor(shape: drawnShape) { out in
      local.fillUniform(out)
      for i in 0..<out.count { out[i] = out[i] < rate ? 0 : keep }
    }
    generator = local
    if let sharded { mask = mask[rows: sharded.rows] }
    return input * mask
  }
}
