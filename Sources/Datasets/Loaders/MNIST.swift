import Foundation
import SwiftKerasCore

/// The MNIST handwritten digits, loaded from local IDX files as `keras.datasets.mnist`.
///
/// Nothing is downloaded: the directory must hold the four standard files,
/// `train-images-idx3-ubyte`, `train-labels-idx1-ubyte`, `t10k-images-idx3-ubyte` and
/// `t10k-labels-idx1-ubyte`, each raw or gzipped (`.gz`).
///
/// ```swift
/// let ((xTrain, yTrain), (xTest, yTest)) = try MNIST.load(directory: "/data/mnist")
/// // xTrain: [60000, 28, 28] floats in 0...255, yTrain: [60000] floats in 0...9
/// ```
public enum MNIST {
  /// The names of the ten classes, `"0"` to `"9"`.
  public static let classNames: [String] = (0..<10).map { String($0) }

  static let files = ImageClassificationFiles(
    datasetName: "MNIST",
    installHint: "SwiftKeras does not download data sets; place the MNIST files there.",
    classCount: 10)

  /// Loads the training and test splits.
  ///
  /// - Parameters:
  ///   - directory: the folder holding the four IDX files.
  ///   - scaled: divides pixels by 255 so they lie in [0, 1]; by default they are
  ///     0...255 as in Keras.
  /// - Returns: images `[N, 28, 28]` and labels `[N]` as floats, 60 000 training and
  ///   10 000 test samples.
  /// - Throws: ``SwiftKerasError`` `.io` naming the expected files if the directory or a
  ///   file is missing; `.invalidData` if a file is malformed, a label is outside 0...9,
  ///   or an image file and its label file hold different counts.
  public static func load(directory: URL, scaled: Bool = false) throws -> (
    (xTrain: Tensor, yTrain: Tensor), (xTest: Tensor, yTest: Tensor)
  ) {
    let (train, test) = try files.load(directory: directory, scaled: scaled)
    return ((train.x, train.y), (test.x, test.y))
  }

  /// Loads the training and test splits from the folder at `directory`.
  public static func load(directory: String, scaled: Bool = false) throws -> (
    (xTrain: Tensor, yTrain: Tensor), (xTest: Tensor, yTest: Tensor)
  ) {
    try load(directory: URL(fileURLWithPath: directory), scaled: scaled)
  }
}
