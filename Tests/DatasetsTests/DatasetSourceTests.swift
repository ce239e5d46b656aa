import Foundation
import SwiftKeras
import SwiftKerasCore
import SwiftKerasDatasets
import TestSupport
import XCTest

/// The Dataset sources against Keras (Tests/Fixtures/pipeline.json, written by
/// Scripts/fixtures/pipeline.py) and against files the tests write.
final class DatasetSourceTests: XCTestCase {
  static let fixture: FixtureJSON = {
    let data = (try? Data(contentsOf: fixtureURL("pipeline.json"))) ?? Data("{}".utf8)
    return FixtureJSON((try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:])
  }()
  var images: String { fixtureURL("pipeline/images").path }

  func cases(_ key: String) throws -> [[String: Any]] {
    try XCTUnwrap(Self.fixture[key] as? [[String: Any]], "fixture has no \(key)")
  }

  func testLegacyNumpyShuffleMatchesNumpy() throws {
    for item in try cases("numpy_shuffle") {
      let seed = try XCTUnwrap(item["seed"] as? Int)
      let n = try XCTUnwrap(item["n"] as? Int)
      var order = Array(0..<n)
      var generator = LegacyNumpyShuffle(seed: UInt64(seed))
      generator.shuffle(&order)
      XCTAssertEqual(order, item["order"] as? [Int], "seed \(seed)")
    }
  }

  func testImageSplitPutsTheSameFilesInEachSubsetAsKeras() throws {
    let all = try cases("image_split")
    XCTAssertEqual(all.count, 6)
    for item in all {
      let seed = try XCTUnwrap(item["seed"] as? Int)
      let split = try XCTUnwrap(item["validation_split"] as? Double)
      let subset: DatasetSubset = item["subset"] as? String == "training" ? .training : .validation
      let data = try imageDatasetFromDirectory(
        images, imageSize: [4, 4], batchSize: nil, validationSplit: split, subset: subset,
        seed: UInt64(seed))
      XCTAssertEqual(data.classNames, item["class_names"] as? [String])
      let files = data.filePaths?.map { String($0.dropFirst(images.count + 1)) }
      XCTAssertEqual(files, item["files"] as? [String], "seed \(seed) split \(split) \(subset)")
      XCTAssertEqual(data.count, files?.count)
    }
  }

  func testTextSplitHoldsKerassTexts() throws {
    let all = try cases("text_split")
    XCTAssertEqual(all.count, 4)
    for item in all {
      let seed = try XCTUnwrap(item["seed"] as? Int)
      let split = try XCTUnwrap(item["validation_split"] as? Double)
      let subset: DatasetSubset = item["subset"] as? String == "training" ? .training : .validation
      let data = try textDatasetFromDirectory(
        fixtureURL("pipeline/texts").path, batchSize: nil, maxLength: 6,
        validationSplit: split, subset: subset, seed: UInt64(seed))
      XCTAssertEqual(data.classNames, item["class_names"] as? [String])
      let pairs = try data.elements().map {
        ($0.x[0].strings?.first ?? "", Int(try $0.y[0].tensor().scalar))
      }.sorted { $0.0 < $1.0 }
      XCTAssertEqual(pairs.map(\.0), item["texts"] as? [String], "seed \(seed) \(subset)")
      XCTAssertEqual(pairs.map(\.1), item["labels"] as? [Int])
    }
  }

  func testResizedPixelsEqualKeras() throws {
    let all = try cases("image_resize")
    XCTAssertGreaterThanOrEqual(all.count, 16)
    for item in all {
      let file = try XCTUnwrap(item["file"] as? String)
      let size = try XCTUnwrap(item["size"] as? [Int])
      let crop = try XCTUnwrap(item["crop"] as? Bool)
      let mode: ColorMode = item["color_mode"] as? String == "grayscale" ? .grayscale : .rgb
      let image = try DecodedImage.read(fixtureURL("pipeline/images/" + file), mode: mode)
      let array = try image.resized(to: (size[0], size[1]), cropToAspectRatio: crop)
      XCTAssertEqual(array.shape, item["shape"] as? [Int], file)
      let expected = try XCTUnwrap(item["pixels"] as? [Double])
      let got = try array.tensor().scalars
      XCTAssertEqual(got.count, expected.count)
      let worst = zip(got, expected).map { abs(Double($0) - $1) }.max() ?? 0
      XCTAssertLessThanOrEqual(worst, 1e-3, "\(file) \(size) crop \(crop) \(mode)")
    }
  }

  func testJPEGPixelsEqualTensorFlowsDecoding() throws {
    let all = try cases("jpeg_decode")
    XCTAssertEqual(all.count, 6)
    for item in all {
      let file = try XCTUnwrap(item["file"] as? String)
      let mode: ColorMode = item["color_mode"] as? String == "grayscale" ? .grayscale : .rgb
      let image = try DecodedImage.read(fixtureURL("pipeline/images/" + file), mode: mode)
      XCTAssertEqual([image.height, image.width, image.channels], item["shape"] as? [Int], file)
      let expected = try XCTUnwrap(item["pixels"] as? [Int])
      XCTAssertEqual(image.pixels.map(Int.init), expected, "\(file) \(mode)")
    }
  }

  func testImageBatchesHaveKerasShapesAndLabels() throws {
    let data = try imageDatasetFromDirectory(
      images, labelMode: .categorical, imageSize: [6, 5], batchSize: 4, shuffle: false)
    XCTAssertEqual(data.count, 3)
    let batches = try data.elements()
    XCTAssertEqual(batches.map { $0.x[0].shape }, [[4, 6, 5, 3], [4, 6, 5, 3], [3, 6, 5, 3]])
    // Unshuffled, the files come class by class: Zebra (3), ant (4), bee (4).
    XCTAssertEqual(try batches[0].y[0].tensor().scalars, [1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0])
    let binary = try imageDatasetFromDirectory(
      images, labelMode: .binary, classNames: ["bee", "ant"], imageSize: [4, 4], batchSize: 8,
      shuffle: false)
    XCTAssertEqual(binary.classNames, ["bee", "ant"])
    XCTAssertEqual(try binary.elements()[0].y[0].tensor().scalars, [0, 0, 0, 0, 1, 1, 1, 1])
    XCTAssertThrowsError(try imageDatasetFromDirectory(images, labelMode: .binary)) {
      XCTAssertTrue("\($0)".contains("2 classes"), "\($0)")
    }
    XCTAssertThrowsError(
      try imageDatasetFromDirectory(images, validationSplit: 0.2, subset: .training)
    ) { XCTAssertTrue("\($0)".contains("seed"), "\($0)") }
  }

  func testImagesOfTheTargetSizeStayBytesUntilBatched() throws {
    let data = try imageDatasetFromDirectory(
      images, labelMode: nil, classNames: ["Zebra"], colorMode: .grayscale, imageSize: [4, 4],
      batchSize: nil, shuffle: false)
    let first = try XCTUnwrap(try data.elements().first)
    guard case .bytes = first.x[0].storage else {
      return XCTFail("a 4×4 image read at 4×4 should stay bytes")
    }
    XCTAssertTrue(first.y.isEmpty)
    let png = try DecodedImage.read(fixtureURL("pipeline/images/Zebra/z0.png"), mode: .grayscale)
    XCTAssertEqual(try first.x[0].tensor().scalars, png.pixels.map(Float.init))
  }

  func testTruncatedImagesThrowNamingTheFileOrAreSkippedAndCounted() throws {
    let bad = fixtureURL("pipeline/bad").path
    let strict = try imageDatasetFromDirectory(
      bad, imageSize: [4, 4], batchSize: 2, shuffle: false)
    XCTAssertThrowsError(try strict.elements()) { error in
      XCTAssertTrue("\(error)".contains("cut.jpg") || "\(error)".contains("cut.png"), "\(error)")
      XCTAssertTrue("\(error)".contains("truncated"), "\(error)")
    }
    for name in ["cut.png", "cut.jpg"] {
      let url = fixtureURL("pipeline/bad/broken/" + name)
      XCTAssertThrowsError(try DecodedImage.read(url, mode: .rgb)) { error in
        XCTAssertTrue("\(error)".contains(name), "\(error)")
      }
    }
    let log = BadFileLog()
    let lenient = try imageDatasetFromDirectory(
      bad, imageSize: [4, 4], batchSize: 2, shuffle: false, onBadFile: .skip(log))
    let batches = try lenient.elements()
    XCTAssertEqual(batches.count, 1)
    XCTAssertEqual(batches[0].x[0].shape, [1, 4, 4, 3])
    XCTAssertEqual(try batches[0].y[0].tensor().scalars, [1])  // "good" sorts after "broken"
    _ = try lenient.elements()
    XCTAssertEqual(log.count, 2)
    XCTAssertEqual(
      log.skipped.map { URL(fileURLWithPath: $0.item).lastPathComponent }, ["cut.jpg", "cut.png"])
  }

  func testEmptyClassFolderThrowsNamingItOrIsCounted() throws {
    let root = try makeTemporaryDirectory(self)
    try FileManager.default.createDirectory(
      at: root.appendingPathComponent("empty"), withIntermediateDirectories: true)
    try FileManager.default.createDirectory(
      at: root.appendingPathComponent("full"), withIntermediateDirectories: true)
    try FileManager.default.copyItem(
      at: fixtureURL("pipeline/images/ant/a0.png"), to: root.appendingPathComponent("full/a.png"))
    XCTAssertThrowsError(try imageDatasetFromDirectory(root.path)) { error in
      XCTAssertTrue("\(error)".contains("empty"), "\(error)")
    }
    let log = BadFileLog()
    let data = try imageDatasetFromDirectory(root.path, imageSize: [2, 2], onBadFile: .skip(log))
    XCTAssertEqual(log.count, 1)
    XCTAssertEqual(data.classNames, ["empty", "full"])
    XCTAssertThrowsError(try imageDatasetFromDirectory(root.appendingPathComponent("none").path))
  }

  func testLinkedFoldersInsideAClassAreNotFollowed() throws {
    let root = try makeTemporaryDirectory(self)
    let folder = root.appendingPathComponent("only")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try FileManager.default.copyItem(
      at: fixtureURL("pipeline/images/ant/a0.png"), to: folder.appendingPathComponent("a.png"))
    // A link back to the class folder: followed, it would list the file forever.
    try FileManager.default.createSymbolicLink(
      at: folder.appendingPathComponent("loop"), withDestinationURL: folder)
    let data = try imageDatasetFromDirectory(root.path, imageSize: [2, 2], shuffle: false)
    XCTAssertEqual(data.filePaths?.map { URL(fileURLWithPath: $0).lastPathComponent }, ["a.png"])
  }

  func testTimeseriesWindowsEqualKeras() throws {
    let data = Tensor(shape: [20, 2], scalars: (0..<40).map(Float.init))
    let targets = Tensor(shape: [20], scalars: (100..<120).map(Float.init))
    let all = try cases("timeseries")
    XCTAssertEqual(all.count, 5)
    for item in all {
      let windows = try timeseriesDatasetFromArray(
        data, targets: targets, sequenceLength: try XCTUnwrap(item["sequence_length"] as? Int),
        sequenceStride: item["sequence_stride"] as? Int ?? 1,
        samplingRate: item["sampling_rate"] as? Int ?? 1, batchSize: 4,
        startIndex: item["start_index"] as? Int, endIndex: item["end_index"] as? Int)
      XCTAssertEqual(windows.count, ((item["count"] as? Int ?? 0) + 3) / 4)
      let batches = try windows.elements()
      XCTAssertEqual(
        try batches.flatMap { try $0.x[0].tensor().scalars }.map(Double.init),
        item["windows"] as? [Double], "\(item.keys.sorted())")
      XCTAssertEqual(
        try batches.flatMap { try $0.y[0].tensor().scalars }.map(Double.init),
        item["targets"] as? [Double])
    }
    XCTAssertThrowsError(
      try timeseriesDatasetFromArray(data, targets: nil, sequenceLength: 3, samplingRate: 0))
    XCTAssertThrowsError(
      try timeseriesDatasetFromArray(data, targets: nil, sequenceLength: 3, endIndex: 20))
    XCTAssertThrowsError(
      try timeseriesDatasetFromArray(
        data, targets: nil, sequenceLength: 3, batchSize: Int.max / 2)
    ) { XCTAssertTrue("\($0)".contains("maximumTensorBytes"), "\($0)") }
    let shuffled = try timeseriesDatasetFromArray(
      data, targets: targets, sequenceLength: 3, batchSize: nil, shuffle: true, seed: 2)
    let labels = try shuffled.elements().map { try $0.y[0].tensor().scalar }
    XCTAssertEqual(labels.sorted(), (100..<118).map(Float.init))
  }

  // MARK: - CSV

  func writeCSV(_ text: String) throws -> String {
    let url = try makeTemporaryDirectory(self).appendingPathComponent("table.csv")
    try Data(text.utf8).write(to: url)
    return url.path
  }

  func testCSVReadsHeaderNumbersStringsAndLabel() throws {
    let path = try writeCSV(
      "radius,kind,\"note, quoted\",target\n1.5,b,\"two\nlines\",malignant\n2,a,x,benign\n-3e1,b,y,malignant\n"
    )
    let table = try CSVTable.read(path)
    XCTAssertEqual(table.columnNames, ["radius", "kind", "note, quoted", "target"])
    XCTAssertEqual(table.rowCount, 3)
    XCTAssertEqual(table.column("radius")?.values, [1.5, 2, -30])
    XCTAssertNil(table.column("radius")?.vocabulary)
    XCTAssertEqual(table.column("kind")?.vocabulary, ["a", "b"])
    XCTAssertEqual(table.column("kind")?.values, [1, 0, 1])
    let data = try Dataset.csv(path, label: "target", columns: ["kind", "radius"])
    XCTAssertEqual(data.classNames, ["benign", "malignant"])
    let batch = try XCTUnwrap(try data.batch(3).elements().first)
    XCTAssertEqual(try batch.x[0].tensor().scalars, [1, 1.5, 0, 2, 1, -30])
    XCTAssertEqual(try batch.y[0].tensor().scalars, [1, 0, 1])
    let shuffled = try Dataset.csv(path, label: "target").shuffle(seed: 1).batch(32)
    XCTAssertEqual(try shuffled.elements()[0].x[0].shape, [3, 3])
  }

  func testCSVMissingValuesUseDefaultsOrThrowNamingTheLine() throws {
    let path = try writeCSV("a,b\n1,2\n3,\n5,NA\n")
    let table = try CSVTable.read(path, missingValues: ["", "NA"], columnDefaults: ["b": -1])
    XCTAssertEqual(table.column("b")?.values, [2, -1, -1])
    // Without "NA" as a missing value, column b holds a string and is a string column.
    XCTAssertEqual(
      try CSVTable.read(path, columnDefaults: ["b": 0]).column("b")?.vocabulary, ["", "2", "NA"])
    XCTAssertThrowsError(try CSVTable.read(path, missingValues: ["", "NA"])) { error in
      XCTAssertTrue("\(error)".contains("line 3"), "\(error)")
      XCTAssertTrue("\(error)".contains("'b'"), "\(error)")
    }
  }

  func testCSVBadRowsThrowNamingFileAndLineOrAreSkipped() throws {
    // The quoted field spans two lines, so the short row is on line 5.
    let path = try writeCSV("x,y\n1,\"a\nb\"\n2,c\n3\n4,d\n")
    XCTAssertThrowsError(try Dataset.csv(path, label: "x")) { error in
      XCTAssertTrue("\(error)".contains("table.csv' line 5"), "\(error)")
      XCTAssertTrue("\(error)".contains("1 fields"), "\(error)")
    }
    let numbers = try writeCSV(
      "x,y\n" + (0..<150).map { "\($0),\($0 * 2)" }.joined(separator: "\n") + "\n7,oops\n")
    XCTAssertThrowsError(try CSVTable.read(numbers)) { error in
      XCTAssertTrue("\(error)".contains("line 152"), "\(error)")
      XCTAssertTrue("\(error)".contains("'oops'"), "\(error)")
    }
    let log = BadFileLog()
    let skipped = try CSVTable.read(numbers, onBadRow: .skip(log))
    XCTAssertEqual(skipped.rowCount, 150)
    XCTAssertEqual(log.count, 1)
    XCTAssertThrowsError(try CSVTable.read(path, columns: ["nope"])) {
      XCTAssertTrue("\($0)".contains("'nope'"), "\($0)")
    }
  }

  // MARK: - Text and IDX

  func testTextDatasetReadsClassFolders() throws {
    let root = try makeTemporaryDirectory(self)
    let texts = ["neg": ["bad film", "dull"], "pos": ["great", "loved it", "fun"]]
    for (label, documents) in texts {
      let folder = root.appendingPathComponent(label)
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      for (i, text) in documents.enumerated() {
        try Data(text.utf8).write(to: folder.appendingPathComponent("\(i).txt"))
      }
    }
    try Data("ignored".utf8).write(to: root.appendingPathComponent("pos/notes.md"))
    let data = try textDatasetFromDirectory(root.path, batchSize: 8, maxLength: 4, shuffle: false)
    XCTAssertEqual(data.classNames, ["neg", "pos"])
    let batch = try XCTUnwrap(try data.elements().first)
    XCTAssertEqual(batch.x[0].strings, ["bad ", "dull", "grea", "love", "fun"])
    XCTAssertEqual(try batch.y[0].tensor().scalars, [0, 0, 1, 1, 1])
    XCTAssertThrowsError(try batch.x[0].tensor())
  }

  func testFashionMNISTDatasetKeepsBytesAndMatchesLoad() throws {
    let test = try FashionMNIST.dataset(.test)
    XCTAssertEqual(test.count, 10_000)
    XCTAssertEqual(test.classNames, FashionMNIST.classNames)
    let first = try XCTUnwrap(try test.take(1).elements().first)
    guard case .bytes = first.x[0].storage else { return XCTFail("pixels should stay bytes") }
    let (_, (xTest, yTest)) = try FashionMNIST.load()
    let batch = try XCTUnwrap(try test.batch(64).take(1).elements().first)
    XCTAssertEqual(try batch.x[0].tensor().scalars, xTest[rows: 0..<64].scalars)
    XCTAssertEqual(try batch.y[0].tensor().scalars, yTest[rows: 0..<64].scalars)
  }
}

/// Damaged image and CSV files never crash the process: every prefix and many random
/// corruptions of the fixture files either decode or throw a SwiftKerasError.
final class DamagedFileTests: XCTestCase {
  func testEveryPrefixAndRandomCorruptionOfAnImageThrowsOrDecodes() throws {
    let directory = try makeTemporaryDirectory(self)
    var generator = RandomGenerator(seed: 17)
    for name in ["bee/b0.png", "bee/b1.jpg", "Zebra/z2.jpg", "bee/b3.png"] {
      let original = try [UInt8](Data(contentsOf: fixtureURL("pipeline/images/" + name)))
      var variants: [[UInt8]] = stride(from: 0, to: original.count, by: 7).map {
        Array(original[0..<$0])
      }
      for _ in 0..<60 {
        var damaged = original
        for _ in 0..<3 {
          let position = Int(generator.next() % UInt64(damaged.count))
          damaged[position] = UInt8(truncatingIfNeeded: generator.next())
        }
        variants.append(damaged)
      }
      var failures = 0
      for (i, bytes) in variants.enumerated() {
        let url = directory.appendingPathComponent(
          "v\(i)" + (name.hasSuffix("png") ? ".png" : ".jpg"))
        try Data(bytes).write(to: url)
        do {
          let image = try DecodedImage.read(url, mode: .rgb)
          XCTAssertEqual(image.pixels.count, image.width * image.height * 3)
        } catch let error as SwiftKerasError {
          failures += 1
          XCTAssertTrue(error.message.contains(url.lastPathComponent), error.message)
        }
      }
      // Every strict prefix of the file is missing data: all of them must fail.
      XCTAssertGreaterThanOrEqual(failures, original.count / 7, name)
    }
  }

  func testEmptyAndHeaderOnlyCSVFiles() throws {
    let directory = try makeTemporaryDirectory(self)
    let empty = directory.appendingPathComponent("empty.csv")
    try Data().write(to: empty)
    XCTAssertThrowsError(try CSVTable.read(empty.path)) { error in
      XCTAssertTrue("\(error)".contains("empty.csv"), "\(error)")
    }
    let headerOnly = directory.appendingPathComponent("header.csv")
    try Data("a,b\n".utf8).write(to: headerOnly)
    let table = try CSVTable.read(headerOnly.path)
    XCTAssertEqual(table.rowCount, 0)
    // No rows, no batches (fit then throws that the dataset yields no batches).
    XCTAssertEqual(try Dataset.csv(headerOnly.path, label: "b").batch(4).elements().count, 0)
    let latin1 = directory.appendingPathComponent("latin1.csv")
    try Data([0x61, 0x0A, 0xE9, 0x0A]).write(to: latin1)
    XCTAssertThrowsError(try CSVTable.read(latin1.path)) { error in
      XCTAssertTrue("\(error)".contains("UTF-8"), "\(error)")
    }
    XCTAssertThrowsError(try CSVTable.read(directory.appendingPathComponent("missing.csv").path)) {
      XCTAssertTrue("\($0)".contains("missing.csv"), "\($0)")
    }
  }
}
