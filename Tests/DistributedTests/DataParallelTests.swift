import SwiftKeras
import TestSupport
import XCTest

/// A group whose collectives are answered from fixed values: rank `rank` of `size`, where
/// rank r ≠ `rank` contributes `others[r]`.
private final class ScriptedCommunicator: Communicator {
  let rank: Int
  let size: Int
  var others: [[Float]] = []
  init(rank: Int, size: Int) {
    self.rank = rank
    self.size = size
  }
  func allGather(_ values: [Float]) throws -> [[Float]] {
    (0..<size).map { $0 == rank ? values : others[$0] }
  }
  func allGather(_ values: [Double]) throws -> [[Double]] { (0..<size).map { _ in values } }
  func allGather(_ values: [Int64]) throws -> [[Int64]] { (0..<size).map { _ in values } }
  func broadcast(_ bytes: inout [UInt8], from root: Int) throws {}
  func barrier() throws {}
  func abort(reason: String) {}
}

final class DataParallelTests: XCTestCase {
  func testShardsCoverEveryRowOnceAndEvenly() {
    for size in 1...5 {
      for count in [0, 1, 4, 63, 64, 501] {
        let shards = (0..<size).map {
          DataParallel(communicator: ScriptedCommunicator(rank: $0, size: size)).shard(count)
        }
        XCTAssertEqual(
          shards.flatMap { Array($0) }, Array(0..<count), "\(count) rows, \(size) ranks")
        let lengths = shards.map(\.count)
        XCTAssertLessThanOrEqual((lengths.max() ?? 0) - (lengths.min() ?? 0), 1)
      }
    }
  }

  /// The sum adds rank 0's values first, then rank 1's, …: with 1, 1e8 and -1e8 that is
  /// (1 + 1e8) - 1e8 = 0 in Float (1 is lost next to 1e8); arrival order 1e8, -1e8, 1
  /// would give 1. Every rank computes the same order, so every rank gets the same bits.
  func testAllReduceAddsInRankOrder() throws {
    for rank in 0..<3 {
      let communicator = ScriptedCommunicator(rank: rank, size: 3)
      let contributions: [[Float]] = [[1, 2], [1e8, 3], [-1e8, 4]]
      communicator.others = contributions
      var values = contributions[rank]
      try communicator.allReduceSum(&values)
      XCTAssertEqual(values, [0, 9], "rank \(rank)")
    }
  }

  /// One-process data-parallel training is plain training, bit for bit.
  func testSingleProcessDistributionEqualsPlainFit() throws {
    func train(_ distribution: DataParallel?) throws -> [Float] {
      GlobalRandom.seed(3)
      let model = try Sequential([
        Input(shape: [4]), Dense(5, activation: .relu), Dense(2, activation: .softmax),
      ])
      try model.compile(
        optimizer: Adam(), loss: "sparse_categorical_crossentropy", metrics: ["accuracy"])
      let x = Tensor(shape: [37, 4], scalars: (0..<148).map { Float(sin(Double($0))) })
      let y = Tensor(shape: [37], scalars: (0..<37).map { Float($0 % 2) })
      try model.fit(x: x, y: y, batchSize: 8, epochs: 2, verbose: 0, distribution: distribution)
      return model.getWeights().flatMap(\.scalars)
    }
    XCTAssertEqual(try train(DataParallel()), try train(nil))
  }

  /// Merged metric states give the metric over all ranks' samples.
  func testMergeableStatesAddUp() throws {
    let labels = Tensor([0, 1, 1, 0, 1, 1])
    let predictions = Tensor(
      shape: [6, 2], scalars: [0.9, 0.1, 0.2, 0.8, 0.6, 0.4, 0.3, 0.7, 0.1, 0.9, 0.5, 0.5])
    let whole = SparseCategoricalAccuracy()
    try whole.update(yTrue: labels, yPred: predictions)
    let first = SparseCategoricalAccuracy()
    let second = SparseCategoricalAccuracy()
    try first.update(yTrue: labels[rows: 0..<4], yPred: predictions[rows: 0..<4])
    try second.update(yTrue: labels[rows: 4..<6], yPred: predictions[rows: 4..<6])
    first.mergeableState = zip(first.mergeableState, second.mergeableState).map(+)
    XCTAssertEqual(first.result(), whole.result())
    let auc = try AUC()
    let aucParts = (try AUC(), try AUC())
    let binary = Tensor([0.2, 0.9, 0.4, 0.3, 0.8, 0.7])
    try auc.update(yTrue: labels, yPred: binary)
    try aucParts.0.update(yTrue: labels[rows: 0..<3], yPred: binary[rows: 0..<3])
    try aucParts.1.update(yTrue: labels[rows: 3..<6], yPred: binary[rows: 3..<6])
    aucParts.0.mergeableState = zip(aucParts.0.mergeableState, aucParts.1.mergeableState).map(+)
    XCTAssertEqual(aucParts.0.result(), auc.result(), accuracy: 1e-6)
  }
}

/// `crossReplicaSum` as 3 ranks holding the same rows would see it.
final class CrossReplicaSumTests: XCTestCase {
  override func tearDown() { CrossReplicaContext.current.value = nil }

  func testIdentityOutsideDataParallelTraining() {
    let x = Tensor([1, 2, 3])
    XCTAssertEqual(crossReplicaSum(x).scalars, [1, 2, 3])
  }

  /// Three identical ranks, each a third of the batch: the sum is 3x and, once the
  /// ranks' shares are applied, its gradient is 3 — what finite differences of 3x give.
  func testGradientMatchesFiniteDifferences() {
    CrossReplicaContext.current.value = CrossReplicaContext(share: 1.0 / 3) { values in
      values.map { $0 * 3 }
    }
    let x = Tensor(shape: [2, 3], scalars: [0.5, -1, 2, 0.25, 1.5, -0.75])
    XCTAssertEqual(crossReplicaSum(x).scalars, x.scalars.map { $0 * 3 })
    assertGradientsMatchFiniteDifferences([x]) { inputs in
      square(crossReplicaSum(inputs[0])) * 0.5
    }
  }

  /// Synchronized BatchNormalization normalizes with the statistics of every rank's
  /// rows: with three identical ranks they are the local ones.
  func testSynchronizedBatchNormalizationUsesTheSummedStatistics() throws {
    let x = Tensor(shape: [4, 2], scalars: [1, 2, 3, 4, 5, 6, 7, 9])
    let plain = BatchNormalization()
    let synchronized = BatchNormalization(synchronized: true)
    let expected = try plain(x, training: true)
    CrossReplicaContext.current.value = CrossReplicaContext(share: 1.0 / 3) { values in
      values.map { $0 * 3 }
    }
    let actual = try synchronized(x, training: true)
    for (a, b) in zip(actual.scalars, expected.scalars) { XCTAssertEqual(a, b, accuracy: 1e-5) }
    XCTAssertEqual(
      synchronized.movingMean?.untrackedValue.scalars ?? [],
      plain.movingMean?.untrackedValue.scalars ?? [])
  }
}
