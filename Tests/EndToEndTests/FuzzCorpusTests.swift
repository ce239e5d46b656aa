import Foundation
import SwiftKeras
import SwiftKerasFuzzTargets
import TestSupport
import XCTest

/// Replays every committed fuzz corpus (`Fuzz/corpus/<reader>`, reproducers included)
/// through its reader, as `make fuzz` runs it: a regression that traps ends this test.
final class FuzzCorpusTests: XCTestCase {
  func testEveryCorpusFilePassesThroughItsReader() throws {
    let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Fuzz/corpus")
    var replayed = 0
    for (name, target) in FuzzTargets.all.sorted(by: { $0.key < $1.key }) {
      let folder = corpus.appendingPathComponent(name)
      let files = try FileManager.default.contentsOfDirectory(
        at: folder, includingPropertiesForKeys: nil)
      XCTAssertFalse(files.isEmpty, "\(name): empty corpus")
      for file in files {
        target(try Data(contentsOf: file))
        replayed += 1
      }
    }
    XCTAssertGreaterThanOrEqual(replayed, 40)
  }
}
