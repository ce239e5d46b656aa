import Foundation
import SwiftKeras
import SwiftKerasCore
import SwiftKerasDatasets
import TestSupport
import XCTest

/// The Dataset operators on small tensors whose rows are their own indices, so every
/// expected order is written by hand.
final class DatasetPipelineTests: XCTestCase {
  /// x row i is [i, 10 i], y row i is i.
  func rows(_ n: Int) -> Dataset {
    Dataset(
      x: Tensor(shape: [n, 2], scalars: (0..<n).flatMap { [Float($0), Float(10 * $0)] }),
      y: Tensor(shape: [n], scalars: (0..<n).map(Float.init)))
  }

  /// The labels of every element of one pass, flattened.
  func labels(_ data: Dataset, seed: UInt64 = 1, pass: Int = 0) throws -> [Float] {
    try data.elements(seed: seed, pass: pass).flatMap { try $0.y[0].tensor().scalars }
  }

  func testRowsComeInOrderWithoutCopyingAndCountIsKnown() throws {
    let data = rows(5)
    XCTAssertEqual(data.count, 5)
    XCTAssertFalse(data.isBatched)
    let elements = try data.elements()
    XCTAssertEqual(elements.count, 5)
    XCTAssertEqual(try elements[3].x[0].tensor().scalars, [3, 30])
    XCTAssertEqual(elements[3].x[0].shape, [2])
    XCTAssertEqual(try labels(data), [0, 1, 2, 3, 4])
  }

  func testTensorSourceSharesTheTensorsBuffers() throws {
    var x = Tensor(repeating: 1, shape: [1000, 10])
    XCTAssertTrue(isKnownUniquelyReferenced(&x.storage))
    let data = Dataset(x: x, y: Tensor.zeros([1000]))
    // The dataset holds the same buffer: nothing was copied.
    XCTAssertFalse(isKnownUniquelyReferenced(&x.storage))
    withExtendedLifetime(data) {}
  }

  func testBatchKeepsTheRemainderUnlessDropped() throws {
    let batched = rows(10).batch(3)
    XCTAssertTrue(batched.isBatched)
    XCTAssertEqual(batched.count, 4)
    let batches = try batched.elements()
    XCTAssertEqual(batches.map { $0.x[0].shape }, [[3, 2], [3, 2], [3, 2], [1, 2]])
    XCTAssertEqual(try batches[1].x[0].tensor().scalars, [3, 30, 4, 40, 5, 50])
    let dropped = rows(10).batch(3, dropRemainder: true)
    XCTAssertEqual(dropped.count, 3)
    XCTAssertEqual(try dropped.elements().count, 3)
  }

  func testBatchOfAStreamStacksElements() throws {
    // filter makes the source a stream: batch then stacks element by element.
    let evens = rows(10).filter { _, y in Int(y.scalar) % 2 == 0 }
    XCTAssertEqual(evens.cardinality, .unknown)
    let batches = try evens.batch(2).elements()
    XCTAssertEqual(try batches.map { try $0.y[0].tensor().scalars }, [[0, 2], [4, 6], [8]])
  }

  func testUnbatchUndoesBatch() throws {
    XCTAssertEqual(try labels(rows(7).batch(3).unbatch()), [0, 1, 2, 3, 4, 5, 6])
    let element = try rows(7).batch(3).unbatch().elements()[4]
    XCTAssertEqual(try element.x[0].tensor().scalars, [4, 40])
  }

  func testSeededShuffleIsARepeatablePermutationThatChangesPerPass() throws {
    let data = rows(50).shuffle(seed: 7)
    let first = try labels(data, seed: 1, pass: 0)
    XCTAssertEqual(first.sorted(), (0..<50).map(Float.init))
    XCTAssertNotEqual(first, (0..<50).map(Float.init))
    // The explicit seed wins over the iteration's seed.
    XCTAssertEqual(try labels(data, seed: 99, pass: 0), first)
    XCTAssertNotEqual(try labels(data, seed: 1, pass: 1), first)
    let fixed = rows(50).shuffle(seed: 7, reshuffleEachIteration: false)
    XCTAssertEqual(try labels(fixed, pass: 0), try labels(fixed, pass: 3))
  }

  func testUnseededShuffleFollowsTheIterationSeed() throws {
    let data = rows(30).shuffle()
    XCTAssertEqual(try labels(data, seed: 5), try labels(data, seed: 5))
    XCTAssertNotEqual(try labels(data, seed: 5), try labels(data, seed: 6))
  }

  func testShuffledBatchesGatherTheShuffledRows() throws {
    let data = rows(12).shuffle(seed: 3)
    let order = try labels(data)
    let batches = try data.batch(5).elements()
    XCTAssertEqual(try batches.flatMap { try $0.y[0].tensor().scalars }, order)
    // x follows y row for row.
    let x = try batches[0].x[0].tensor().scalars
    XCTAssertEqual(x[2], order[1])
    XCTAssertEqual(x[3], 10 * order[1])
  }

  func testStreamShuffleUsesItsBuffer() throws {
    let stream = rows(20).filter { _, _ in true }
    // A buffer of one element cannot reorder anything.
    XCTAssertEqual(try labels(stream.shuffle(bufferSize: 1, seed: 2)), (0..<20).map(Float.init))
    let shuffled = try labels(stream.shuffle(bufferSize: 5, seed: 2))
    XCTAssertEqual(shuffled.sorted(), (0..<20).map(Float.init))
    XCTAssertNotEqual(shuffled, (0..<20).map(Float.init))
    // With a buffer of 5, element k cannot come out before position k - 4.
    for (position, label) in shuffled.enumerated() {
      XCTAssertLessThanOrEqual(Int(label), position + 4)
    }
    XCTAssertEqual(try labels(stream.shuffle(bufferSize: 5, seed: 2)), shuffled)
    XCTAssertThrowsError(try stream.shuffle().elements()) { error in
      XCTAssertTrue("\(error)".contains("bufferSize"))
    }
  }

  func testTakeSkipRepeatConcatenate() throws {
    XCTAssertEqual(try labels(rows(10).skip(3).take(4)), [3, 4, 5, 6])
    XCTAssertEqual(rows(10).skip(3).take(4).count, 4)
    XCTAssertEqual(try labels(rows(3).repeat(2)), [0, 1, 2, 0, 1, 2])
    XCTAssertEqual(rows(3).repeat(2).count, 6)
    XCTAssertEqual(rows(3).repeat().cardinality, .infinite)
    XCTAssertEqual(try labels(rows(3).repeat().take(7)), [0, 1, 2, 0, 1, 2, 0])
    XCTAssertEqual(try labels(rows(2).concatenate(rows(3))), [0, 1, 0, 1, 2])
    XCTAssertEqual(rows(2).concatenate(rows(3)).count, 5)
    // The stream forms give the same.
    let stream = rows(3).filter { _, _ in true }
    XCTAssertEqual(try labels(stream.concatenate(stream)), [0, 1, 2, 0, 1, 2])
    XCTAssertEqual(try labels(stream.skip(1)), [1, 2])
  }

  func testRepeatReshufflesEachRepetition() throws {
    let twice = try labels(rows(20).shuffle(seed: 4).repeat(2))
    XCTAssertEqual(twice.count, 40)
    XCTAssertEqual(Array(twice[0..<20]).sorted(), Array(twice[20..<40]).sorted())
    XCTAssertNotEqual(Array(twice[0..<20]), Array(twice[20..<40]))
  }

  func testZipTakesInputsAndTargetsFromBothSides() throws {
    let images = Dataset(x: Tensor(shape: [3, 1], scalars: [5, 6, 7]))
    let labels = Dataset(x: Tensor(shape: [4], scalars: [1, 0, 1, 0]))
    let pairs = Dataset.zip(x: images, y: labels)
    XCTAssertEqual(pairs.count, 3)
    let elements = try pairs.batch(3).elements()
    XCTAssertEqual(try elements[0].x[0].tensor().scalars, [5, 6, 7])
    XCTAssertEqual(try elements[0].y[0].tensor().scalars, [1, 0, 1])
    let both = rows(2).zip(rows(2))
    XCTAssertEqual(try both.elements()[1].x.count, 2)
  }

  func testMapOnBatchesScales() throws {
    let scaled = rows(4).batch(2).map { x, y in (x / 10, y) }
    XCTAssertEqual(try scaled.elements()[1].x[0].tensor().scalars, [0.2, 2, 0.3, 3])
    XCTAssertEqual(scaled.count, 2)
  }

  func testPrefetchAndWorkerMapsGiveTheSameElementsWhateverTheTiming() throws {
    let slow = rows(40).shuffle(seed: 9).batch(4).map(onWorkerThread: true) { x, y in
      usleep(UInt32.random(in: 0..<800))
      return (x + 1, y)
    }.prefetch(3)
    let reference = try rows(40).shuffle(seed: 9).batch(4).map { x, y in (x + 1, y) }
      .elements().map { try $0.x[0].tensor().scalars }
    for _ in 0..<3 {
      XCTAssertEqual(try slow.elements().map { try $0.x[0].tensor().scalars }, reference)
    }
  }

  func testPrefetchWorkerReservesACoreWhileComputing() throws {
    let busy = rows(4).map { element in
      // Read on the worker thread while it computes this element.
      XCTAssertGreaterThanOrEqual(ComputeThreads.reservedCount, 1)
      return element
    }.prefetch(1)
    XCTAssertEqual(try busy.elements().count, 4)
    // The worker returned its core before handing over the end of the pass (a worker
    // of an earlier test still finishing an element would hold one for a moment).
    var waited = 0
    while ComputeThreads.reservedCount > 0 && waited < 200 {
      usleep(5000)
      waited += 1
    }
    XCTAssertEqual(ComputeThreads.reservedCount, 0)
  }

  func testPrefetchPassesErrorsOnInOrder() throws {
    let failing = rows(5).map { element in
      if try element.y[0].tensor().scalar == 3 {
        throw SwiftKerasError(.invalidData, "row 3 is bad")
      }
      return element
    }.prefetch(2)
    let iterator = try failing.makeIterator(seed: 1)
    for expected in 0..<3 {
      XCTAssertEqual(try iterator.next()?.y[0].tensor().scalar, Float(expected))
    }
    XCTAssertThrowsError(try iterator.next()) { XCTAssertTrue("\($0)".contains("row 3 is bad")) }
    XCTAssertNil(try iterator.next())
  }

  func testCacheRunsTheStagesBeforeItOnce() throws {
    let counter = Counter()
    let cached = rows(6).map { element in
      counter.increment()
      return element
    }.cache().shuffle(bufferSize: 6, seed: 1)
    let first = try labels(cached, pass: 0)
    let second = try labels(cached, pass: 1)
    XCTAssertEqual(counter.value, 6)
    XCTAssertEqual(first.sorted(), second.sorted())
  }

  func testFileCacheReplaysFromTheFileInALaterPipeline() throws {
    let directory = try makeTemporaryDirectory(self)
    let path = directory.appendingPathComponent("rows.cache").path
    let counter = Counter()
    func pipeline() -> Dataset {
      rows(5).map { element in
        counter.increment()
        return element
      }.batch(2).cache(file: path)
    }
    let written = try pipeline().elements()
    XCTAssertEqual(counter.value, 5)
    XCTAssertTrue(FileManager.default.fileExists(atPath: path))
    let replayed = try pipeline().elements()
    XCTAssertEqual(counter.value, 5)
    XCTAssertEqual(
      try replayed.map { try $0.x[0].tensor().scalars },
      try written.map { try $0.x[0].tensor().scalars })
    XCTAssertEqual(replayed.map { $0.x[0].shape }, [[2, 2], [2, 2], [1, 2]])
  }

  func testCacheLargerThanItsMemoryBudgetSpillsToAFile() throws {
    let counter = Counter()
    // 50 rows of 3 floats are 600 bytes; a 100-byte budget forces the spill.
    let cached = rows(50).map { element in
      counter.increment()
      return element
    }.cache(memoryLimitBytes: 100)
    let first = try labels(cached)
    let second = try labels(cached)
    XCTAssertEqual(first, (0..<50).map(Float.init))
    XCTAssertEqual(second, first)
    XCTAssertEqual(counter.value, 50)
  }

  func testCorruptCacheFileThrowsNamingIt() throws {
    let directory = try makeTemporaryDirectory(self)
    let url = directory.appendingPathComponent("bad.cache")
    try Data("SwiftKeras dataset cache 1\n\u{1}\u{2}".utf8).write(to: url)
    XCTAssertThrowsError(try rows(3).cache(file: url.path).elements()) { error in
      XCTAssertTrue("\(error)".contains("bad.cache"), "\(error)")
    }
  }

  func testBytesStayBytesUntilBatched() throws {
    let block = ByteBlock([0, 1, 2, 3, 250, 255])
    let images = try DataArray(shape: [3, 2], bytes: block)
    let data = Dataset(arrays: DatasetElement(x: [images], y: [DataArray(Tensor([0, 1, 2]))]))
    let element = try data.elements()[2]
    guard case .bytes = element.x[0].storage else {
      return XCTFail("an unbatched element should still hold bytes")
    }
    let batch = try data.shuffle(seed: 1).batch(3).elements()[0]
    guard case .float = batch.x[0].storage else { return XCTFail("a batch should hold floats") }
    let order = try batch.y[0].tensor().scalars.map { Int($0) }
    let expected = order.flatMap { [[0, 1], [2, 3], [250, 255]][$0].map(Float.init) }
    XCTAssertEqual(try batch.x[0].tensor().scalars, expected)
    // A stream batch converts the same way.
    let streamed = try data.filter { _ in true }.batch(3).elements()[0]
    XCTAssertEqual(try streamed.x[0].tensor().scalars, [0, 1, 2, 3, 250, 255])
  }

  func testInvalidArgumentsThrowWhenIterationStarts() throws {
    for (name, data) in [
      ("size", rows(3).batch(0)), ("bufferSize", rows(3).shuffle(bufferSize: 0)),
      ("count", rows(3).take(-1)), ("bufferSize", rows(3).prefetch(0)),
    ] {
      XCTAssertThrowsError(try data.elements()) { error in
        XCTAssertTrue("\(error)".contains(name), "\(error)")
      }
    }
    let mismatched = Dataset(x: Tensor.zeros([4, 2]), y: Tensor.zeros([3]))
    XCTAssertThrowsError(try mismatched.elements()) { error in
      XCTAssertTrue("\(error)".contains("3 rows") || "\(error)".contains("4 rows"), "\(error)")
    }
    XCTAssertThrowsError(try rows(3).repeat().elements())
    // Elements of different shapes cannot be batched.
    let ragged = Dataset.zip(x: rows(2), y: rows(2)).concatenate(rows(2)).batch(4)
    XCTAssertThrowsError(try ragged.elements()) { error in
      XCTAssertTrue("\(error)".contains("shape"), "\(error)")
    }
  }

  func testPyDatasetIsABatchedSource() throws {
    let source = Squares()
    let data = Dataset(source)
    XCTAssertTrue(data.isBatched)
    XCTAssertEqual(data.count, 3)
    let batches = try data.elements()
    XCTAssertEqual(try batches[2].y[0].tensor().scalars, [16, 25])
    try data.epochEnded()
    XCTAssertEqual(source.epochsEnded, 1)
    // A batch that throws ends the pass with its error.
    let iterator = try Dataset(Failing()).makeIterator(seed: 1)
    XCTAssertNotNil(try iterator.next())
    XCTAssertThrowsError(try iterator.next()) {
      XCTAssertTrue("\($0)".contains("batch 1"), "\($0)")
    }
  }
}

/// Two samples per batch: x = 2b, 2b + 1 and y = x².
final class Squares: PyDataset, @unchecked Sendable {
  var epochsEnded = 0
  var batchCount: Int { 3 }
  subscript(index: Int) -> DatasetElement {
    get throws {
      let x = Tensor(shape: [2, 1], scalars: [Float(2 * index), Float(2 * index + 1)])
      return DatasetElement(x: [x], y: [(x * x).reshaped(to: [2])])
    }
  }
  func onEpochEnd() throws { epochsEnded += 1 }
}

/// A thread-safe count of calls.
final class Counter: @unchecked Sendable {
  private let lock = NSLock()
  private var count = 0
  func increment() { lock.withLock { count += 1 } }
  var value: Int { lock.withLock { count } }
}

/// Its second batch cannot be read.
final class Failing: PyDataset {
  var batchCount: Int { 2 }
  subscript(index: Int) -> DatasetElement {
    get throws {
      guard index == 0 else { throw SwiftKerasError(.io, "batch \(index) is unreadable") }
      return DatasetElement(x: [Tensor.zeros([2, 1])], y: [Tensor.zeros([2])])
    }
  }
}
