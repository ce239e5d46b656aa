import Foundation
import SwiftKeras
import TestSupport
import XCTest

@testable import SwiftKerasSaving

final class AtomicFileTests: XCTestCase {
  /// Every format reports a bad destination the same way: `cannot write '<path>': …`, `.io`.
  func testEveryFormatReportsABadDestinationAlike() throws {
    let directory = try makeTemporaryDirectory("atomic-errors")
    defer { try? FileManager.default.removeItem(at: directory) }
    let model = try Sequential([Input(shape: [2]), Dense(1)])
    let missing = directory.appendingPathComponent("missing")
    let folder = directory.appendingPathComponent("taken.keras")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
    let savers: [(String, (String) throws -> Void)] = [
      (".keras", { try model.save(to: $0) }),
      (".weights.h5", { try model.saveWeights(to: $0) }),
      (".skw", { try WeightsFile.save(model, to: URL(fileURLWithPath: $0)) }),
    ]
    for (suffix, save) in savers {
      let path = missing.appendingPathComponent("model" + suffix).path
      XCTAssertThrowsError(try save(path)) { error in
        let error = error as? SwiftKerasError
        XCTAssertEqual(error?.kind, .io, suffix)
        XCTAssertEqual(
          error?.message, "cannot write '\(path)': folder '\(missing.path)' does not exist")
      }
      let taken = directory.appendingPathComponent("taken" + suffix)
      try? FileManager.default.createDirectory(at: taken, withIntermediateDirectories: false)
      XCTAssertThrowsError(try save(taken.path)) { error in
        XCTAssertEqual(
          (error as? SwiftKerasError)?.message, "cannot write '\(taken.path)': it is a folder")
      }
    }
    XCTAssertFalse(FileManager.default.fileExists(atPath: missing.path), "no folder is created")
  }

  /// A temporary file a killed save left behind is removed by the next save to that path.
  func testTheNextSaveRemovesAStaleTemporaryFile() throws {
    let directory = try makeTemporaryDirectory("atomic-stale")
    defer { try? FileManager.default.removeItem(at: directory) }
    let target = directory.appendingPathComponent("w.skw")
    let stale = directory.appendingPathComponent(
      AtomicFile.temporaryPrefix(of: target) + "left-by-a-kill")
    try Data([1, 2, 3]).write(to: stale)
    try AtomicFile.write(Data([4, 5]), to: target)
    XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), ["w.skw"])
    XCTAssertEqual(try Data(contentsOf: target), Data([4, 5]))
  }
}
