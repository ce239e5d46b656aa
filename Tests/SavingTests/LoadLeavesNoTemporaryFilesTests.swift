import Foundation
import SwiftKeras
import TestSupport
import XCTest

final class LoadLeavesNoTemporaryFilesTests: XCTestCase {
  /// `.keras` weights are opened in memory: loading writes nothing to the temporary folder.
  func testLoadingAKerasFileWritesNothingToTheTemporaryFolder() throws {
    let folder = try makeTemporaryDirectory("load-no-temp")
    defer { try? FileManager.default.removeItem(at: folder) }
    let model = try Sequential([Input(shape: [3]), Dense(4), Dense(2)])
    try model.compile(optimizer: "adam", loss: "mse")
    try model.fit(x: Tensor.zeros(shape: [4, 3]), y: Tensor.zeros(shape: [4, 2]), verbose: 0)
    let path = folder.appendingPathComponent("model.keras").path
    try model.save(to: path)

    let temporary = FileManager.default.temporaryDirectory
    let before = Set(try FileManager.default.contentsOfDirectory(atPath: temporary.path))
    let restored = try loadModel(from: path)
    try restored.loadWeights(from: path)
    let after = Set(try FileManager.default.contentsOfDirectory(atPath: temporary.path))
    XCTAssertEqual(after.subtracting(before).filter { $0.contains("swiftkeras") }, [])
    XCTAssertEqual(restored.getWeights().map(\.scalars), model.getWeights().map(\.scalars))
  }
}
