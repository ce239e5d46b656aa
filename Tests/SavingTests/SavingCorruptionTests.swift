import Foundation
import SwiftKeras
import SwiftKerasCore
import SwiftKerasLayers
import TestSupport
import XCTest

@testable import SwiftKerasModels
@testable import SwiftKerasSaving

/// Corrupt, truncated and inconsistent files throw clear errors; seeded mutations of
/// valid files either throw or load, and never trap.
final class SavingCorruptionTests: XCTestCase {
  /// SplitMix64, so every mutation is reproducible from its seed.
  private struct SeededRandom {
    var state: UInt64
    mutating func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(max(bound, 1))) }
  }

  /// One of: flip bits of a few bytes, overwrite a run with random bytes, truncate,
  /// or duplicate a slice.
  private func mutate(_ data: Data, seed: UInt64) -> Data {
    var random = SeededRandom(state: seed)
    var bytes = [UInt8](data)
    switch random.below(4) {
    case 0:
      for _ in 0...random.below(4) {
        bytes[random.below(bytes.count)] ^= UInt8(1 << random.below(8))
      }
    case 1:
      let start = random.below(bytes.count)
      for i in start..<min(bytes.count, start + 1 + random.below(16)) {
        bytes[i] = UInt8(random.below(256))
      }
    case 2:
      bytes = Array(bytes.prefix(random.below(bytes.count)))
    default:
      let start = random.below(bytes.count)
      let slice = bytes[start..<min(bytes.count, start + 1 + random.below(64))]
      bytes.insert(contentsOf: slice, at: random.below(bytes.count))
    }
    return Data(bytes)
  }

  private func temporaryDirectory() throws -> URL {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "swiftkeras-corrupt-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    addTeardownBlock { try? FileManager.default.removeItem(at: directory) }
    return directory
  }

  /// A small compiled, trained model saved as .keras, and its archive.
  private func validArchive(in directory: URL) throws -> (path: String, archive: ZipArchive) {
    let model = try Sequential(
      [
        Input(shape: [3], name: "x"), Dense(4, activation: .relu, name: "dense"),
        BatchNormalization(name: "bn"), Dense(1, name: "out"),
      ],
      name: "small")
    try model.compile(optimizer: try Adam(learningRate: 0.01), loss: "mse")
    _ = try model.trainOnBatch(x: Tensor([[1, 2, 3], [0, -1, 2]]), y: Tensor([[1], [0]]))
    let path = directory.appendingPathComponent("small.keras").path
    try model.save(to: path)
    return (
      path, try ZipArchive(data: try Data(contentsOf: URL(fileURLWithPath: path)), source: path)
    )
  }

  private func write(_ archive: ZipArchive, to url: URL) throws {
    try archive.serialized().write(to: url)
  }

  private func assertThrows(_ path: String, containing text: String, line: UInt = #line) {
    XCTAssertThrowsError(try loadModel(from: path), line: line) { error in
      XCTAssertTrue("\(error)".contains(text), "\(error)", line: line)
    }
  }

  func testGarbageAndTruncatedArchivesThrow() throws {
    let directory = try temporaryDirectory()
    let (path, _) = try validArchive(in: directory)
    let junk = directory.appendingPathComponent("junk.keras")
    try Data("PK but not really a zip archive at all".utf8).write(to: junk)
    assertThrows(junk.path, containing: "not a valid .keras (ZIP) archive")
    let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
    for fraction in [0.0, 0.1, 0.5, 0.9, 0.999] {
      let cut = directory.appendingPathComponent("cut.keras")
      try bytes.prefix(Int(Double(bytes.count) * fraction)).write(to: cut)
      XCTAssertThrowsError(try loadModel(from: cut.path), "truncated to \(fraction)")
    }
    assertThrows(directory.appendingPathComponent("absent.keras").path, containing: "cannot read")
  }

  func testMissingMembersAreNamed() throws {
    let directory = try temporaryDirectory()
    let (_, archive) = try validArchive(in: directory)
    for missing in ["config.json", "model.weights.h5"] {
      var partial = ZipArchive()
      for member in archive.members where member.name != missing {
        partial.add(member.name, data: member.data)
      }
      let url = directory.appendingPathComponent("missing.keras")
      try write(partial, to: url)
      assertThrows(url.path, containing: missing)
    }
  }

  func testInvalidConfigJSONThrows() throws {
    let directory = try temporaryDirectory()
    let (_, archive) = try validArchive(in: directory)
    let cases: [(String, String)] = [
      ("{\"class_name\": \"Sequential\", \"config\": ", "not valid JSON"),
      ("[1, 2, 3]", "needs 'class_name'"),
      (
        "{\"class_name\": \"Sequential\", \"config\": {\"layers\": [{\"class_name\": \"Conv9D\", \"config\": {}}]}}",
        "Conv9D"
      ),
    ]
    for (text, expected) in cases {
      var changed = ZipArchive()
      for member in archive.members {
        changed.add(member.name, data: member.name == "config.json" ? Data(text.utf8) : member.data)
      }
      let url = directory.appendingPathComponent("config.keras")
      try write(changed, to: url)
      assertThrows(url.path, containing: expected)
    }
  }

  func testWeightsOfTheWrongShapeThrowNamingTheDataset() throws {
    let directory = try temporaryDirectory()
    let (_, archive) = try validArchive(in: directory)
    // The same architecture with a wider first Dense: its weights do not fit.
    let wider = try Sequential(
      [
        Input(shape: [3], name: "x"), Dense(5, activation: .relu, name: "dense"),
        BatchNormalization(name: "bn"), Dense(1, name: "out"),
      ],
      name: "small")
    let widerPath = directory.appendingPathComponent("wider.keras")
    try wider.save(to: widerPath.path)
    let widerArchive = try ZipArchive(data: try Data(contentsOf: widerPath), source: widerPath.path)
    var mixed = ZipArchive()
    for member in archive.members {
      mixed.add(
        member.name,
        data: member.name == "model.weights.h5"
          ? try XCTUnwrap(widerArchive.member(member.name)) : member.data)
    }
    let url = directory.appendingPathComponent("mixed.keras")
    try write(mixed, to: url)
    assertThrows(url.path, containing: "layers/dense/vars/0")
  }

  func testSeededMutationsOfAnArchiveThrowOrLoad() throws {
    let directory = try temporaryDirectory()
    let (path, _) = try validArchive(in: directory)
    let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
    let url = directory.appendingPathComponent("mutated.keras")
    var thrown = 0
    for seed in 0..<300 {
      try mutate(bytes, seed: UInt64(seed)).write(to: url)
      do { _ = try loadModel(from: url.path) } catch { thrown += 1 }
    }
    print("archive fuzz: \(thrown) of 300 mutations threw, \(300 - thrown) loaded")
    // Nearly every mutation is caught (by the ZIP structure or the CRC-32 checks).
    XCTAssertGreaterThan(thrown, 250)
  }

  func testSeededMutationsOfConfigJSONThrowOrLoad() throws {
    let directory = try temporaryDirectory()
    let (_, archive) = try validArchive(in: directory)
    let config = try XCTUnwrap(archive.member("config.json"))
    let url = directory.appendingPathComponent("mutated.keras")
    var outcomes = (loaded: 0, thrown: 0)
    for seed in 0..<300 {
      var changed = ZipArchive()
      for member in archive.members {
        changed.add(
          member.name,
          data: member.name == "config.json"
            ? mutate(config, seed: UInt64(seed) + 1000) : member.data)
      }
      try write(changed, to: url)
      do {
        _ = try loadModel(from: url.path)
        outcomes.loaded += 1
      } catch {
        outcomes.thrown += 1
      }
    }
    print("config.json fuzz: \(outcomes.thrown) of 300 mutations threw, \(outcomes.loaded) loaded")
    XCTAssertEqual(outcomes.loaded + outcomes.thrown, 300)
    XCTAssertGreaterThan(outcomes.thrown, 150)
  }

  func testSeededMutationsOfAWeightsFileThrowOrLoad() throws {
    let directory = try temporaryDirectory()
    let model = try Sequential([Input(shape: [3]), Dense(4, name: "dense"), Dense(2, name: "out")])
    let path = directory.appendingPathComponent("small.weights.h5").path
    try model.saveWeights(to: path)
    let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
    let url = directory.appendingPathComponent("mutated.weights.h5")
    var thrown = 0
    for seed in 0..<300 {
      try mutate(bytes, seed: UInt64(seed) + 5000).write(to: url)
      do { try model.loadWeights(from: url.path) } catch { thrown += 1 }
    }
    print("weights.h5 fuzz: \(thrown) of 300 mutations threw, \(300 - thrown) loaded")
    XCTAssertGreaterThan(thrown, 0)
  }
}
