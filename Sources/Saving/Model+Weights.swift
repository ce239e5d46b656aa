import Foundation
import SwiftKerasCore
import SwiftKerasLayers
import SwiftKerasModels
import SwiftKerasTraining

extension Model {
  /// Saves every weight to a Keras 3 `.weights.h5` file, as `model.save_weights`.
  ///
  /// The file uses Keras's own HDF5 layout (`layers/dense/vars/0`, ...), so
  /// `keras_model.load_weights(path)` reads it into the same architecture. The file is
  /// written to a temporary path first and renamed into place.
  ///
  /// - Throws: when `path` does not end in `.weights.h5` (as Keras requires) or the file
  ///   cannot be written.
  public func saveWeights(to path: String) throws {
    guard path.hasSuffix(".weights.h5") else {
      throw SwiftKerasError(
        .invalidArgument, "saveWeights: the file name must end in '.weights.h5', got '\(path)'")
    }
    try AtomicFile.write(to: path) { temporary in
      try HDF5File.withLock {
        let file = try HDF5File.create(at: temporary)
        defer { file.close() }
        try WeightsLayout(model: self).write(to: file)
      }
    }
  }

  /// Loads weights saved by ``saveWeights(to:)`` or by Keras's `model.save_weights`
  /// (or the weights inside a `.keras` archive) into this model, which must have the
  /// same architecture and be built.
  ///
  /// Every array is read and checked (count and shape per layer) before any weight
  /// changes, so a failed load leaves the model as it was.
  ///
  /// - Throws: when the model is not built, the file is not a Keras weights file, or a
  ///   layer's arrays are missing or of the wrong shape.
  public func loadWeights(from path: String) throws {
    guard built || isBuiltForSummary else {
      throw SwiftKerasError(
        .invalidState,
        "model '\(name)' is not built; give it an Input or call it on data before loadWeights")
    }
    if path.hasSuffix(".keras") {
      // As Keras, a whole-model archive's weights can be loaded on their own.
      let archive = try ZipArchive(data: try readFile(path), source: path)
      guard let weights = archive.member("model.weights.h5") else {
        throw SwiftKerasError(
          .invalidData, "'\(path)' has no model.weights.h5; it is not a .keras model file")
      }
      try withWeightsImage(weights, name: "\(path)/model.weights.h5") { file in
        try loadWeights(from: file)
      }
      return
    }
    try HDF5File.withLock {
      let file = try HDF5File.open(at: path)
      defer { file.close() }
      try loadWeights(from: file)
    }
  }

  /// Loads the weights of a `.weights.h5` file held in memory; `name` stands for it in
  /// errors.
  package func loadWeights(image: Data, name: String) throws {
    try withWeightsImage(image, name: name) { file in try loadWeights(from: file) }
  }

  /// Loads every weight from an open weights file, all-or-nothing.
  func loadWeights(from file: HDF5File) throws {
    let values = try WeightsLayout(model: self).read(from: file)
    for (variable, value) in values { variable.assign(value) }
  }
}

/// The bytes of the file at `path`, or an error naming it.
func readFile(_ path: String) throws -> Data {
  do {
    return try Data(contentsOf: URL(fileURLWithPath: path))
  } catch {
    throw SwiftKerasError(.io, "cannot read '\(path)': \(error.localizedDescription)")
  }
}

/// Runs `body` on the weights file held in `data` (the `model.weights.h5` member of a
/// `.keras` archive), opened in memory: nothing is written to the system's temporary
/// folder. `name` stands for the file in error messages.
func withWeightsImage<R>(_ data: Data, name: String, _ body: (HDF5File) throws -> R) throws -> R {
  try HDF5File.withLock {
    let file = try HDF5File.open(image: data, name: name)
    defer { file.close() }
    return try body(file)
  }
}
