import Foundation
import SwiftKeras
import SwiftKerasSaving

/// The file readers as fuzz targets: each takes arbitrary bytes and must return, throwing
/// inside as it likes, but never trap. The libFuzzer executables under `Fuzz/` call them
/// (`make fuzz`), and a test runs them over the committed corpora (`make test`).
public enum FuzzTargets {
  /// The targets by name: the names of the corpus folders under `Fuzz/corpus`.
  public static let all: [String: @Sendable (Data) -> Void] = [
    "keras": keras, "weights": weights, "json": json, "skw": skw, "idx": idx,
  ]

  /// A `.keras` archive given to `loadModel`.
  public static func keras(_ data: Data) {
    _ = try? loadModel(archive: data, source: "fuzz.keras")
  }

  /// A `.weights.h5` file loaded into a small model, opened in memory.
  public static func weights(_ data: Data) {
    guard let model = try? Sequential([Input(shape: [4]), Dense(3), Dense(2)]) else { return }
    try? model.loadWeights(image: data, name: "fuzz.weights.h5")
  }

  /// A model config given to `modelFromJSON`, then a prediction on its input shape (some
  /// configs only fail when run). Tensors are limited to 256 MB here, so that what the
  /// library lets through stays under the fuzzer's 4 GB memory limit (the default 4 GiB
  /// per tensor would not).
  public static func json(_ data: Data) {
    let options = RuntimeOptions.current
    RuntimeOptions.current.maximumTensorBytes = min(options.maximumTensorBytes, 256 << 20)
    defer { RuntimeOptions.current = options }
    guard let model = try? modelFromJSON(String(decoding: data, as: UTF8.self)) else { return }
    var shape = model.inputs.first?.shape
    if let sequential = model as? Sequential { shape = sequential.inputShape }
    guard let shape else { return }
    let sample = [2] + shape.dropFirst().map { min($0 ?? 1, 64) }
    // The harness's own input stays small: a 6-D input of 64s would be gigabytes here,
    // which is the caller's allocation, not the reader's.
    guard
      sample.reduce(1, { $0.multipliedReportingOverflow(by: max($1, 1)).partialValue }) <= 1 << 22
    else { return }
    _ = try? model.predict(x: Tensor.zeros(shape: sample), verbose: 0)
  }

  /// A `.skw` weights file decoded.
  public static func skw(_ data: Data) {
    _ = try? WeightsFile(decoding: data)
  }

  /// An IDX file (raw or gzip) read with a 64 MB limit on its decoded size.
  public static func idx(_ data: Data) {
    // A folder of the fuzzer's own, so tests that watch the temporary folder for files
    // SwiftKeras leaves behind never see the fuzzer's inputs.
    let url = fuzzFolder.appendingPathComponent("\(UUID().uuidString).idx")
    guard (try? data.write(to: url)) != nil else { return }
    defer { try? FileManager.default.removeItem(at: url) }
    _ = try? IDXFile.read(from: url, maximumDecodedBytes: 64 << 20)
  }
}

/// Where the IDX target writes its inputs: a folder per process under the temporary folder.
private let fuzzFolder: URL = {
  let folder = FileManager.default.temporaryDirectory
    .appendingPathComponent("fuzz-idx-\(ProcessInfo.processInfo.processIdentifier)")
  try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  return folder
}()
