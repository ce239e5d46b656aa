import SwiftKeras
import SwiftKerasCore
import SwiftKerasDatasets
import TestSupport
import XCTest

final class BatchingTests: XCTestCase {
  func testUnshuffledBatchesAreConsecutiveWithASmallerLastBatch() throws {
    var generator = RandomGenerator(seed: 0)
    let batches = try BatchSequence(count: 10, batchSize: 4, shuffle: false, generator: &generator)
    XCTAssertEqual(batches.count, 3)
    XCTAssertEqual(Array(batches), [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]])
    XCTAssertNil(batches.order)
    XCTAssertEqual(try BatchSequence(count: 0, batchSize: 4, shuffle: false).count, 0)
    XCTAssertEqual(Array(try BatchSequence(count: 3, batchSize: 8, shuffle: false)), [[0, 1, 2]])
  }

  func testShuffledBatchesCoverEverySampleOnceAndRepeatWithTheSeed() throws {
    var g1 = RandomGenerator(seed: 42)
    var g2 = RandomGenerator(seed: 42)
    var g3 = RandomGenerator(seed: 43)
    let a = try BatchSequence(count: 103, batchSize: 10, generator: &g1)
    let b = try BatchSequence(count: 103, batchSize: 10, generator: &g2)
    let c = try BatchSequence(count: 103, batchSize: 10, generator: &g3)
    XCTAssertEqual(a.map(\.count), [Int](repeating: 10, count: 10) + [3])
    XCTAssertEqual(a.flatMap { $0 }.sorted(), Array(0..<103))
    XCTAssertNotEqual(a.flatMap { $0 }, Array(0..<103))
    XCTAssertEqual(Array(a), Array(b))
    XCTAssertNotEqual(Array(a), Array(c))
    // A second epoch from the same generator is a different order.
    let next = try BatchSequence(count: 103, batchSize: 10, generator: &g1)
    XCTAssertNotEqual(Array(a), Array(next))
  }

  func testGlobalSeedMakesShufflingRepeat() throws {
    setRandomSeed(7)
    let a = Array(try BatchSequence(count: 50, batchSize: 8))
    setRandomSeed(7)
    let b = Array(try BatchSequence(count: 50, batchSize: 8))
    XCTAssertEqual(a, b)
  }

  func testShuffleIsRoughlyUniform() throws {
    // Over many epochs each sample lands first about equally often.
    var generator = RandomGenerator(seed: 5)
    var firsts = [Int](repeating: 0, count: 4)
    for _ in 0..<4000 {
      let order = try BatchSequence(count: 4, batchSize: 4, generator: &generator)
      firsts[order[0][0]] += 1
    }
    for n in firsts { XCTAssertEqual(Double(n), 1000, accuracy: 120) }
  }

  func testTensorBatchesGatherMatchingRows() throws {
    var generator = RandomGenerator(seed: 9)
    let x = Tensor(shape: [5, 2], scalars: (0..<10).map { Float($0) })
    let y = Tensor([0, 10, 20, 30, 40])
    let batches = try BatchSequence(count: 5, batchSize: 2, generator: &generator)
    var seen: [Float] = []
    for (xBatch, yBatch) in try batches.tensorBatches(x, y) {
      XCTAssertEqual(xBatch.shape[0], yBatch.shape[0])
      for (row, label) in zip(0..<xBatch.shape[0], yBatch.scalars) {
        // Row r of x is [2r, 2r+1] and its label is 10r.
        XCTAssertEqual(xBatch[row, 0] * 5, label)
        XCTAssertEqual(xBatch[row, 1], xBatch[row, 0] + 1)
      }
      seen += yBatch.scalars
    }
    XCTAssertEqual(seen.sorted(), [0, 10, 20, 30, 40])
    assertThrowsSwiftKerasError(.shapeMismatch, mentioning: ["y", "5 samples"]) {
      try batches.tensorBatches(x, Tensor([1, 2]))
    }
  }

  func testInvalidBatchArgumentsThrow() {
    assertThrowsSwiftKerasError(.invalidArgument, mentioning: ["batchSize", "0"]) {
      try BatchSequence(count: 10, batchSize: 0)
    }
    assertThrowsSwiftKerasError(.invalidArgument, mentioning: ["count", "-1"]) {
      try BatchSequence(count: -1, batchSize: 2)
    }
  }

  func testValidationSplitTakesTheLastFraction() throws {
    let x = Tensor(shape: [10, 2], scalars: (0..<20).map { Float($0) })
    let y = Tensor((0..<10).map { Float($0) })
    let (train, validation) = try trainValidationSplit(x: x, y: y, validationSplit: 0.2)
    XCTAssertEqual(train.y, Tensor([0, 1, 2, 3, 4, 5, 6, 7]))
    XCTAssertEqual(validation.y, Tensor([8, 9]))
    XCTAssertEqual(validation.x, Tensor([[16, 17], [18, 19]]))
    XCTAssertEqual(train.x.shape, [8, 2])
    // floor(5 * 0.5) = 2 training samples, 3 validation, as Keras.
    let odd = try trainValidationSplit([Tensor([1, 2, 3, 4, 5])], validationSplit: 0.5)
    XCTAssertEqual(odd.train[0], Tensor([1, 2]))
    XCTAssertEqual(odd.validation[0], Tensor([3, 4, 5]))
    // floor(3 * (1 - 0.1)) = 2.
    let small = try trainValidationSplit([Tensor([1, 2, 3])], validationSplit: 0.1)
    XCTAssertEqual(small.validation[0], Tensor([3]))
  }

  func testValidationSplitErrors() {
    for bad in [0.0, 1.0, -0.5, 1.5] {
      assertThrowsSwiftKerasError(.invalidArgument, mentioning: ["validationSplit"]) {
        try trainValidationSplit([Tensor([1, 2, 3])], validationSplit: bad)
      }
    }
    assertThrowsSwiftKerasError(.invalidArgument, mentioning: ["1 samples"]) {
      try trainValidationSplit([Tensor([1])], validationSplit: 0.5)
    }
    assertThrowsSwiftKerasError(.shapeMismatch, mentioning: ["array 1"]) {
      try trainValidationSplit([Tensor([1, 2, 3]), Tensor([1, 2])], validationSplit: 0.5)
    }
  }

  func testToCategorical() throws {
    XCTAssertEqual(
      try toCategorical(Tensor([0, 2, 1]), numClasses: 4),
      Tensor([[1, 0, 0, 0], [0, 0, 1, 0], [0, 1, 0, 0]]))
    // numClasses defaults to the largest label plus one.
    XCTAssertEqual(try toCategorical(Tensor([1, 0])), Tensor([[0, 1], [1, 0]]))
    // A trailing axis of 1 is dropped, as Keras does.
    let column = Tensor(shape: [3, 1], scalars: [2, 0, 1])
    XCTAssertEqual(try toCategorical(column, numClasses: 3).shape, [3, 3])
    let grid = try toCategorical(Tensor([[0, 1], [2, 0]]), numClasses: 3)
    XCTAssertEqual(grid.shape, [2, 2, 3])
    XCTAssertEqual(grid.scalars, [1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0])
    XCTAssertEqual(try toCategorical(Tensor(2), numClasses: 3), Tensor([0, 0, 1]))
  }

  func testToCategoricalErrors() {
    assertThrowsSwiftKerasError(.invalidData, mentioning: ["label 3", "index 1", "numClasses=3"]) {
      try toCategorical(Tensor([0, 3]), numClasses: 3)
    }
    assertThrowsSwiftKerasError(.invalidData, mentioning: ["-1.0"]) {
      try toCategorical(Tensor([-1]))
    }
    assertThrowsSwiftKerasError(.invalidData, mentioning: ["1.5"]) {
      try toCategorical(Tensor([1.5]))
    }
    assertThrowsSwiftKerasError(.invalidArgument, mentioning: ["numClasses"]) {
      try toCategorical(Tensor([0]), numClasses: 0)
    }
    assertThrowsSwiftKerasError(.invalidData, mentioning: ["empty"]) {
      try toCategorical(Tensor(shape: [0], scalars: []))
    }
  }

  func testNormalize() throws {
    // Hand math: |(3, 4)| = 5; zero rows stay zero.
    XCTAssertEqual(try normalize(Tensor([[3, 4], [0, 0]])), Tensor([[0.6, 0.8], [0, 0]]))
    // Along axis 0: columns (3, 4) and (0, 5).
    XCTAssertEqual(
      try normalize(Tensor([[3, 0], [4, 5]]), axis: 0), Tensor([[0.6, 0], [0.8, 1]]))
    // L1: 1 + 3 = 4.
    XCTAssertEqual(try normalize(Tensor([1, -3]), order: 1), Tensor([0.25, -0.75]))
    // L3: (1 + 8)^(1/3) = 2.080083823.
    let l3 = try normalize(Tensor([1, 2]), order: 3)
    XCTAssertEqual(l3.scalars[0], 0.480749856, accuracy: 1e-6)
    XCTAssertEqual(l3.scalars[1], 0.961499712, accuracy: 1e-6)
    // Rank 3, middle axis.
    let cube = try normalize(Tensor([[[3, 1], [4, 0]]]), axis: 1)
    XCTAssertEqual(cube, Tensor([[[0.6, 1], [0.8, 0]]]))
    assertThrowsSwiftKerasError(.invalidArgument, mentioning: ["order"]) {
      try normalize(Tensor([1]), order: 0)
    }
    assertThrowsSwiftKerasError(.invalidArgument, mentioning: ["axis 2"]) {
      try normalize(Tensor([[1]]), axis: 2)
    }
  }

  func testRescale() {
    XCTAssertEqual(
      rescale(Tensor([0, 127.5, 255]), scale: 1 / 127.5, offset: -1), Tensor([-1, 0, 1]))
    XCTAssertEqual(rescale(Tensor([[2, 4]]), scale: 0.5), Tensor([[1, 2]]))
  }

  func testStandardizer() throws {
    // Column means 2 and 20; population variances 1 and 100.
    let train = Tensor([[1, 10], [3, 30]])
    let standardizer = try Standardizer(adaptingTo: train)
    XCTAssertEqual(standardizer.mean, Tensor([2, 20]))
    XCTAssertEqual(standardizer.variance, Tensor([1, 100]))
    XCTAssertEqual(try standardizer(train), Tensor([[-1, -1], [1, 1]]))
    XCTAssertEqual(try standardizer(Tensor([[2, 40]])), Tensor([[0, 2]]))
    // One statistic over everything: mean 2.5, variance 1.25.
    let global = try Standardizer(adaptingTo: Tensor([1, 2, 3, 4]), axis: nil)
    XCTAssertEqual(global.mean, Tensor(2.5))
    XCTAssertEqual(global.variance, Tensor(1.25))
    // Constant features divide by epsilon instead of zero.
    let constant = try Standardizer(adaptingTo: Tensor([[5], [5]]))
    XCTAssertEqual(try constant(Tensor([[5]])), Tensor([[0]]))
    assertThrowsSwiftKerasError(.shapeMismatch, mentioning: ["3 features", "adapted to 2"]) {
      try standardizer(Tensor([[1, 2, 3]]))
    }
    assertThrowsSwiftKerasError(.invalidArgument, mentioning: ["axis 3"]) {
      try Standardizer(adaptingTo: train, axis: 3)
    }
  }
}
