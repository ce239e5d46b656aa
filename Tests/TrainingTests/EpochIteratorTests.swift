import SwiftKeras
import TestSupport
import XCTest

final class EpochIteratorTests: XCTestCase {
  /// Ten samples whose single feature is their index.
  private let data = TrainingBatch(
    x: [Tensor(shape: [10, 1], scalars: (0..<10).map(Float.init))],
    y: [Tensor((0..<10).map(Float.init))])

  private func indices(_ batch: TrainingBatch) -> [Int] { batch.x[0].scalars.map { Int($0) } }

  func testOnePassPerEpochCoversEverySampleOnce() throws {
    var iterator = try EpochIterator(data: data, batchSize: 4, shuffle: true, seed: 1)
    XCTAssertEqual(iterator.stepsPerEpoch, 3)
    var orders: [[Int]] = []
    for epoch in 0..<2 {
      iterator.beginEpoch(epoch)
      let seen = try (0..<iterator.stepsPerEpoch).flatMap { _ in indices(try iterator.next()) }
      XCTAssertEqual(seen.sorted(), Array(0..<10))
      orders.append(seen)
    }
    XCTAssertNotEqual(orders[0], orders[1], "each epoch reshuffles")
  }

  func testSameSeedSameBatchesAndStepsPerEpochContinues() throws {
    func run(seed: UInt64) throws -> [[Int]] {
      var iterator = try EpochIterator(
        data: data, batchSize: 3, shuffle: false, stepsPerEpoch: 2, seed: seed)
      var batches: [[Int]] = []
      for epoch in 0..<3 {
        iterator.beginEpoch(epoch)
        for _ in 0..<2 { batches.append(indices(try iterator.next())) }
      }
      return batches
    }
    // An epoch continues where the last stopped; a pass ends with a short batch.
    XCTAssertEqual(
      try run(seed: 5), [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9], [0, 1, 2], [3, 4, 5]])
    var a = try EpochIterator(data: data, batchSize: 4, shuffle: true, seed: 9)
    var b = try EpochIterator(data: data, batchSize: 4, shuffle: true, seed: 9)
    a.beginEpoch(2)
    b.beginEpoch(2)
    XCTAssertEqual(indices(try a.next()), indices(try b.next()))
  }

  func testValidationSplitHoldsOutTheTailAndBadArgumentsThrow() throws {
    let iterator = try EpochIterator(data: data, batchSize: 4, shuffle: false, validationSplit: 0.2)
    XCTAssertEqual(iterator.data.count, 8)
    XCTAssertEqual(iterator.validationData.map { indices($0) }, [8, 9])
    XCTAssertThrowsError(try EpochIterator(data: data, batchSize: 0, shuffle: false))
    XCTAssertThrowsError(
      try EpochIterator(data: data, batchSize: 4, shuffle: false, stepsPerEpoch: 0))
    XCTAssertThrowsError(
      try EpochIterator(data: data, batchSize: 4, shuffle: false, validationSplit: 1))
  }
}
