import Foundation
import SwiftKerasCore

/// Which split of an MNIST-style data set.
public enum DatasetSplit: Sendable {
  /// The training images (60,000 for MNIST and Fashion-MNIST).
  case train
  /// The test images (10,000).
  case test
}

extension ImageClassificationFiles {
  /// One split's images (as bytes, one per pixel) and labels.
  func arrays(_ split: DatasetSplit, directory: URL) throws -> DatasetElement {
    let (imageName, labelName) =
      split == .train ? (Self.trainImages, Self.trainLabels) : (Self.testImages, Self.testLabels)
    let (images, imageURL) = try readBytes(
      imageName, in: directory, role: "image", rank: 3, shape: "[N, rows, columns]")
    let labels = try loadLabels(
      labelName, in: directory, expectedCount: images.shape[0], imageURL: imageURL)
    let pixels = try DataArray(shape: images.shape, bytes: ByteBlock(images.bytes))
    return DatasetElement(x: [pixels], y: [DataArray(labels)])
  }

  /// The labels of a split, checked against the class count and the image count.
  func loadLabels(_ name: String, in directory: URL, expectedCount: Int, imageURL: URL) throws
    -> Tensor
  {
    let (labels, labelURL) = try readLabels(name, in: directory)
    guard labels.shape[0] == expectedCount else {
      throw SwiftKerasError(
        .invalidData,
        "\(datasetName): image file '\(imageURL.path)' has \(expectedCount) images but label file '\(labelURL.path)' has \(labels.shape[0]) labels"
      )
    }
    return labels.tensor()
  }
}

extension FashionMNIST {
  /// One split as a ``Dataset`` of `[28, 28]` images and labels: the pixels stay bytes
  /// (47 MB for the training split instead of 188 MB of floats) until a batch is formed.
  ///
  /// ```swift
  /// let train = try FashionMNIST.dataset(.train).shuffle().batch(32).map { x, y in (x / 255, y) }
  /// ```
  public static func dataset(_ split: DatasetSplit, directory: String = defaultDirectory) throws
    -> Dataset
  {
    Dataset(
      arrays: try files.arrays(split, directory: URL(fileURLWithPath: directory)),
      classNames: classNames)
  }
}

extension MNIST {
  /// One split as a ``Dataset`` of `[28, 28]` byte images and labels (see
  /// ``FashionMNIST/dataset(_:directory:)``).
  public static func dataset(_ split: DatasetSplit, directory: String) throws -> Dataset {
    Dataset(
      arrays: try files.arrays(split, directory: URL(fileURLWithPath: directory)),
      classNames: classNames)
  }
}

extension IDXFile {
  /// A dataset of the rows of an IDX image file and an IDX label file: uint8 files stay
  /// bytes until batched, other types become floats.
  ///
  /// - Throws: ``SwiftKerasError`` if a file cannot be read or their counts differ.
  public static func dataset(images imagePath: String, labels labelPath: String) throws -> Dataset {
    let images = try IDXFile.read(from: URL(fileURLWithPath: imagePath))
    let labels = try IDXFile.read(from: URL(fileURLWithPath: labelPath))
    guard images.shape.first == labels.shape.first, !images.shape.isEmpty else {
      throw SwiftKerasError(
        .invalidData,
        "IDXFile.dataset: '\(imagePath)' has shape \(images.shape) but '\(labelPath)' has \(labels.shape); expected the same number of rows"
      )
    }
    let x =
      images.dataType == .uint8
      ? try DataArray(shape: images.shape, bytes: ByteBlock(images.bytes))
      : DataArray(images.tensor())
    return Dataset(arrays: DatasetElement(x: [x], y: [DataArray(labels.tensor())]))
  }
}
