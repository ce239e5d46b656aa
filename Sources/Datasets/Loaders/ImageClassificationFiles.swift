import Foundation
import SwiftKerasCore

/// The four IDX files of an MNIST-style image classification set, and the loader they share.
struct ImageClassificationFiles {
  /// The data set's name, for error messages.
  let datasetName: String
  /// How to get the files, appended to "missing file" errors.
  let installHint: String
  /// The number of classes labels must lie in.
  let classCount: Int

  static let trainImages = "train-images-idx3-ubyte"
  static let trainLabels = "train-labels-idx1-ubyte"
  static let testImages = "t10k-images-idx3-ubyte"
  static let testLabels = "t10k-labels-idx1-ubyte"
  static let allNames = [trainImages, trainLabels, testImages, testLabels]

  /// The expected files, for error messages.
  private var expectedDescription: String {
    ImageClassificationFiles.allNames.map { "\($0)[.gz]" }.joined(separator: ", ")
  }

  /// The existing file `name` or `name.gz` in `directory`.
  func locate(_ name: String, in directory: URL) throws -> URL {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory),
      isDirectory.boolValue
    else {
      throw SwiftKerasError(
        .io,
        "\(datasetName): directory '\(directory.path)' does not exist; expected it to hold "
          + "\(expectedDescription). \(installHint)")
    }
    for candidate in [name, name + ".gz"] {
      let url = directory.appendingPathComponent(candidate)
      if FileManager.default.fileExists(atPath: url.path) { return url }
    }
    throw SwiftKerasError(
      .io,
      "\(datasetName): '\(directory.path)' has neither \(name) nor \(name).gz; expected "
        + "\(expectedDescription). \(installHint)")
  }

  /// The IDX file `name` and where it was found, checked to hold uint8 values of `rank`
  /// axes; `role` and `shape` (`"[N]"`, `"[N, rows, columns]"`) describe it in the error.
  func readBytes(_ name: String, in directory: URL, role: String, rank: Int, shape: String)
    throws -> (
      array: IDXArray, url: URL
    )
  {
    let url = try locate(name, in: directory)
    let array = try IDXFile.read(from: url)
    guard array.dataType == .uint8, array.shape.count == rank else {
      throw SwiftKerasError(
        .invalidData,
        "\(datasetName): \(role) file '\(url.path)' holds \(array.dataType) of shape \(array.shape); expected uint8 of shape \(shape)"
      )
    }
    return (array, url)
  }

  /// The label file `name` and where it was found: uint8 labels `[N]`, each below the
  /// class count (what every loader of a split checks first).
  func readLabels(_ name: String, in directory: URL) throws -> (labels: IDXArray, url: URL) {
    let (labels, labelURL) = try readBytes(
      name, in: directory, role: "label", rank: 1, shape: "[N]")
    if let bad = labels.bytes.firstIndex(where: { Int($0) >= classCount }) {
      throw SwiftKerasError(
        .invalidData,
        "\(datasetName): label file '\(labelURL.path)' has label \(labels.bytes[bad]) at index \(bad); expected 0...\(classCount - 1)"
      )
    }
    return (labels, labelURL)
  }

  /// Loads one split: images [N, H, W] and labels [N], checked against each other.
  func loadSplit(
    images imageName: String, labels labelName: String, in directory: URL, scaled: Bool
  )
    throws -> (Tensor, Tensor)
  {
    let imageURL = try locate(imageName, in: directory)
    let (labels, labelURL) = try readLabels(labelName, in: directory)
    let images = try IDXFile.readTensor(from: imageURL, scaledToUnit: scaled)
    guard images.rank == 3 else {
      throw SwiftKerasError(
        .invalidData,
        "\(datasetName): image file '\(imageURL.path)' has shape \(images.shape); expected [N, rows, columns]"
      )
    }
    guard images.shape[0] == labels.shape[0] else {
      throw SwiftKerasError(
        .invalidData,
        "\(datasetName): image file '\(imageURL.path)' has \(images.shape[0]) images but label "
          + "file '\(labelURL.path)' has \(labels.shape[0]) labels")
    }
    return (images, labels.tensor())
  }

  /// Loads both splits, Keras-style: `((xTrain, yTrain), (xTest, yTest))`.
  func load(directory: URL, scaled: Bool) throws -> (
    train: (x: Tensor, y: Tensor), test: (x: Tensor, y: Tensor)
  ) {
    let train = try loadSplit(
      images: Self.trainImages, labels: Self.trainLabels, in: directory, scaled: scaled)
    let test = try loadSplit(
      images: Self.testImages, labels: Self.testLabels, in: directory, scaled: scaled)
    return ((train.0, train.1), (test.0, test.1))
  }
}
