import Foundation
import SwiftKerasCore
import SwiftKerasLayers
import SwiftKerasModels
import SwiftKerasTraining

/// The Keras version written into a `.keras` file's metadata: the format SwiftKeras follows.
let kerasFormatVersion = "3.15.1"

extension Model {
  /// Saves the whole model to a Keras 3 `.keras` archive, as `model.save`: a ZIP with
  /// `metadata.json`, `config.json` (architecture, `build_config`, and `compile_config`
  /// when compiled) and `model.weights.h5` (weights, plus the optimizer's state under
  /// `optimizer/vars` once training has created it). `keras.models.load_model` and
  /// ``loadModel(from:)`` read it. The archive is written to a temporary file and
  /// renamed into place (see ``AtomicFile``).
  ///
  /// - Throws: when `path` does not end in `.keras`, the model is subclassed, or the file
  ///   cannot be written.
  public func save(to path: String) throws {
    guard path.hasSuffix(".keras") else {
      throw SwiftKerasError(
        .invalidArgument, "save: the file name must end in '.keras', got '\(path)'")
    }
    guard var config = try serializedConfig().objectValue else {
      throw SwiftKerasError(.invalidState, "model '\(name)' has no config")
    }
    if let compileConfig = try compileConfig() { config["compile_config"] = compileConfig }
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.dateFormat = "yyyy-MM-dd@HH:mm:ss"
    let metadata: ConfigValue = [
      "keras_version": .string(kerasFormatVersion),
      "date_saved": .string(formatter.string(from: Date())),
    ]
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    var archive = ZipArchive()
    archive.add("metadata.json", data: try encoder.encode(metadata))
    archive.add("config.json", data: try encoder.encode(ConfigValue.object(config)))
    archive.add("model.weights.h5", data: try weightsFileData(includingOptimizer: true))
    // Layers' assets (an adapted lookup's vocabulary) under their weights paths, as Keras.
    for entry in WeightsLayout(model: self).entries {
      for (file, bytes) in try entry.layer.saveAssets().sorted(by: { $0.key < $1.key }) {
        let folder = entry.path.isEmpty ? "assets" : "assets/\(entry.path)"
        archive.add("\(folder)/\(file)", data: Data(bytes))
      }
    }
    try AtomicFile.write(archive.serialized(), to: URL(fileURLWithPath: path))
  }

  /// The bytes of a weights file for this model (HDF5 needs a real file, so it goes
  /// through a temporary one).
  private func weightsFileData(includingOptimizer: Bool) throws -> Data {
    let temporary = FileManager.default.temporaryDirectory
      .appendingPathComponent("swiftkeras-\(UUID().uuidString).weights.h5").path
    defer { try? FileManager.default.removeItem(atPath: temporary) }
    try HDF5File.withLock {
      let file = try HDF5File.create(at: temporary)
      defer { file.close() }
      try WeightsLayout(model: self).write(to: file)
      if includingOptimizer, let optimizer { try OptimizerState.write(optimizer, to: file) }
    }
    return try Data(contentsOf: URL(fileURLWithPath: temporary))
  }
}

/// Loads a model saved as a `.keras` archive by ``Model/save(to:)`` or by Keras's
/// `model.save`, as `keras.models.load_model`: rebuilds the architecture, loads the
/// weights, and when the file has a `compile_config` compiles the model with the saved
/// optimizer, whose state (iterations, learning rate, slots) is restored so training
/// resumes where it stopped.
///
/// - Throws: when the file is missing, not a ZIP archive, lacks `config.json` or
///   `model.weights.h5`, or its config or weights do not fit together; custom layers
///   must be registered first (``registerCustomLayer(name:factory:)``).
public func loadModel(from path: String) throws -> Model {
  try loadModel(archive: try readFile(path), source: path)
}

/// ``loadModel(from:)`` on the bytes of a `.keras` archive; `path` names it in errors.
package func loadModel(archive data: Data, source path: String) throws -> Model {
  let archive = try ZipArchive(data: data, source: path)
  guard let configData = archive.member("config.json") else {
    throw SwiftKerasError(
      .invalidData, "'\(path)' has no config.json; it is not a .keras model file")
  }
  guard let weightsData = archive.member("model.weights.h5") else {
    throw SwiftKerasError(
      .invalidData, "'\(path)' has no model.weights.h5; it is not a .keras model file")
  }
  let config: ConfigValue
  do {
    config = try JSONDecoder().decode(ConfigValue.self, from: configData)
  } catch {
    throw SwiftKerasError(.invalidData, "'\(path)': config.json is not valid JSON: \(error)")
  }
  let model = try modelFromConfig(config)
  try withWeightsImage(weightsData, name: "\(path)/model.weights.h5") { file in
    try model.loadWeights(from: file)
    for entry in WeightsLayout(model: model).entries {
      let folder = entry.path.isEmpty ? "assets" : "assets/\(entry.path)"
      try entry.layer.loadAssets { name in archive.member("\(folder)/\(name)").map { [UInt8]($0) } }
    }
    if let compileConfig = config["compile_config"], compileConfig != .null,
      compileConfig.objectValue?.isEmpty == false
    {
      guard let serializedOptimizer = compileConfig["optimizer"] else {
        throw SwiftKerasError(.invalidData, "'\(path)': compile_config has no 'optimizer'")
      }
      let optimizer =
        try serializedOptimizer.stringValue.map { try makeOptimizer($0) }
        ?? makeOptimizer(serialized: serializedOptimizer)
      try OptimizerState.read(into: optimizer, variables: model.trainableWeights, from: file)
      try model.compile(fromConfig: compileConfig, optimizer: optimizer)
      // Expose the restored optimizer at once, as Keras's loaded model does; training
      // resolves the compiled optimizer to this same instance.
      model.optimizer = optimizer
    }
  }
  return model
}
