import Foundation
import SwiftKerasCore

/// Zalando's Fashion-MNIST clothing images, loaded from local IDX files as
/// `keras.datasets.fashion_mnist`.
///
/// Nothing is downloaded. By default the files come from Debian's
/// `dataset-fashion-mnist` package (`apt-get install dataset-fashion-mnist`), which
/// installs `train-images-idx3-ubyte.gz` and its three siblings in
/// `/usr/share/datasets/fashion-mnist`.
///
/// ```swift
/// let ((xTrain, yTrain), (xTest, yTest)) = try FashionMNIST.load(scaled: true)
/// print(xTrain.shape, xTest.shape)          // [60000, 28, 28] [10000, 28, 28]
/// print(FashionMNIST.classNames[Int(yTrain[0].scalar)])
/// ```
public enum FashionMNIST {
  /// Where Debian's `dataset-fashion-mnist` package installs the files.
  public static let defaultDirectory = "/usr/share/datasets/fashion-mnist"

  /// The names of the ten classes, indexed by label.
  public static let classNames = [
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
  ]

  static let files = ImageClassificationFiles(
    datasetName: "Fashion-MNIST",
    installHint:
      "Debian's package dataset-fashion-mnist provides them in \(defaultDirectory) "
      + "(apt-get install dataset-fashion-mnist).",
    classCount: 10)

  /// Loads the training and test splits.
  ///
  /// - Parameters:
  ///   - directory: the folder holding the four IDX files (raw or `.gz`).
  ///   - scaled: divides pixels by 255 so they lie in [0, 1]; by default they are
  ///     0...255 as in Keras.
  /// - Returns: images `[N, 28, 28]` and labels `[N]` as floats, 60 000 training and
  ///   10 000 test samples.
  /// - Throws: ``SwiftKerasError`` `.io` naming the expected files and the Debian package
  ///   if the directory or a file is missing; `.invalidData` if a file is malformed, a
  ///   label is outside 0...9, or an image file and its label file hold different counts.
  public static func load(directory: URL, scaled: Bool = false) throws -> (
    (xTrain: Tensor, yTrain: Tensor), (xTest: Tensor, yTest: Tensor)
  ) {
    let (train, test) = try files.load(directory: directory, scaled: scaled)
    return ((train.x, train.y), (test.x, test.y))
  }

  /// Loads the training and test splits from the folder at `directory`.
  public static func load(directory: String = defaultDirectory, scaled: Bool = false) throws -> (
    (xTrain: Tensor, yTrain: Tensor), (xTest: Tensor, yTest: Tensor)
  ) {
    try load(directory: URL(fileURLWithPath: directory), scaled: scaled)
  }
}
