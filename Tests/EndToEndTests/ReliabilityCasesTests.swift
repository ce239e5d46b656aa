import Foundation
import SwiftKeras
import TestSupport
import XCTest

/// Every file of `../shared/reliability-cases/` (bad input that once trapped the process or
/// loaded what it should refuse) given to its reader: each must throw a `SwiftKerasError`.
final class ReliabilityCasesTests: XCTestCase {
  /// The shared folder beside the repository, when this checkout has it.
  private static let folder: URL? = {
    let repository = URL(fileURLWithPath: #filePath)
      .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let folder = repository.deletingLastPathComponent()
      .appendingPathComponent("shared/reliability-cases")
    return FileManager.default.fileExists(atPath: folder.path) ? folder : nil
  }()

  /// The cases found (the copies committed under Tests/Fixtures/reliability-cases when the
  /// shared folder is absent, as on CI).
  private var cases: URL {
    Self.folder ?? fixtureURL("reliability-cases")
  }

  private func assertThrowsKerasError(
    _ name: String, file: StaticString = #filePath, line: UInt = #line,
    _ body: () throws -> Void
  ) {
    do {
      try body()
      XCTFail("\(name): loaded without an error", file: file, line: line)
    } catch let error as SwiftKerasError {
      XCTAssertFalse(error.message.isEmpty, name, file: file, line: line)
    } catch {
      XCTFail(
        "\(name): threw \(type(of: error)) instead of SwiftKerasError: \(error)", file: file,
        line: line)
    }
  }

  private func files(ending suffix: String) throws -> [URL] {
    try FileManager.default.contentsOfDirectory(at: cases, includingPropertiesForKeys: nil)
      .filter { $0.lastPathComponent.hasSuffix(suffix) }
      .sorted { $0.lastPathComponent < $1.lastPathComponent }
  }

  func testJSONConfigsThrow() throws {
    let jsons = try files(ending: ".json")
    XCTAssertGreaterThanOrEqual(jsons.count, 19)
    for url in jsons {
      let text = try String(contentsOf: url, encoding: .utf8)
      assertThrowsKerasError(url.lastPathComponent) {
        let model = try modelFromJSON(text)
        // Some configs load and fail on first use: predict on the input shape.
        var inputShape = model.inputs.first?.shape
        if let sequential = model as? Sequential { inputShape = sequential.inputShape }
        if let shape = inputShape {
          let sample = [2] + shape.dropFirst().map { $0 ?? 1 }
          _ = try model.predict(x: Tensor.zeros(shape: sample), verbose: 0)
        }
      }
    }
  }

  func testKerasArchivesThrow() throws {
    let archives = try files(ending: ".keras")
    XCTAssertGreaterThanOrEqual(archives.count, 7)
    for url in archives {
      assertThrowsKerasError(url.lastPathComponent) { _ = try loadModel(from: url.path) }
    }
  }

  func testWeightsFilesReachingOutsideThemselvesAreRefused() throws {
    let weights = try files(ending: ".weights.h5")
    XCTAssertEqual(weights.count, 2)
    for url in weights {
      let model = try Sequential([Input(shape: [4]), Dense(16)])
      let before = model.getWeights().map(\.scalars)
      assertThrowsKerasError(url.lastPathComponent) { try model.loadWeights(from: url.path) }
      XCTAssertEqual(model.getWeights().map(\.scalars), before, "a refused file changes nothing")
    }
  }

  func testSKWFilesThrow() throws {
    let skw = try files(ending: ".skw")
    XCTAssertEqual(skw.count, 2)
    for url in skw {
      assertThrowsKerasError(url.lastPathComponent) { _ = try WeightsFile.read(from: url) }
    }
  }

  func testBackupFolderTrapEndsFitWithAnError() throws {
    let model = try Sequential([Input(shape: [3]), Dense(2)])
    try model.compile(optimizer: "sgd", loss: "mse")
    // A copy: a successful fit would delete its backup folder.
    let folder = try makeTemporaryDirectory("backup-dir-trap")
    defer { try? FileManager.default.removeItem(at: folder) }
    let copy = folder.appendingPathComponent("backup")
    try FileManager.default.copyItem(
      at: cases.appendingPathComponent("backup-dir-trap"), to: copy)
    let backup = BackupAndRestore(backupDirectory: copy.path)
    assertThrowsKerasError("backup-dir-trap") {
      try model.fit(
        x: Tensor.zeros(shape: [4, 3]), y: Tensor.zeros(shape: [4, 2]), epochs: 1, verbose: 0,
        callbacks: [backup])
    }
  }

  func testIDXReaderTakesAMaximumDecodedSize() throws {
    let url = try XCTUnwrap(try files(ending: ".idx.gz").first)
    assertThrowsKerasError(url.lastPathComponent) {
      _ = try IDXFile.read(from: url, maximumDecodedBytes: 64 << 20)
    }
  }
}
