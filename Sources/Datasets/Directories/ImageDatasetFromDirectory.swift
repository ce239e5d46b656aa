import Foundation
import SwiftKerasCore

/// The images of a folder with one sub-folder per class, as Keras's
/// `keras.utils.image_dataset_from_directory`: batches of `[batch, height, width,
/// channels]` pixels in 0...255 and their labels.
///
/// ```swift
/// let train = try imageDatasetFromDirectory("photos/", imageSize: [64, 64], batchSize: 32,
///                                           validationSplit: 0.2, subset: .training, seed: 1)
/// print(train.classNames ?? [])   // the sub-folders, sorted: ["cats", "dogs"]
/// ```
///
/// As Keras: the classes are the sub-folders sorted by name (or `classNames`, in that
/// order); the files (`.png`, `.jpg`, `.jpeg`, and `.bmp`/`.gif`, which are listed but
/// not decoded) are listed folder by folder in sorted order, shuffled with NumPy's
/// `RandomState(seed)` and split, the last `validationSplit` fraction being the
/// validation subset — so the same seed puts the same files in each subset as Keras.
/// Each pass then reshuffles the files it reads; PNG files decode through libpng and
/// JPEG files through libjpeg-turbo, resized by bilinear interpolation (half-pixel
/// centres, as `tf.image.resize`). Images already of `imageSize` stay bytes until their
/// batch is formed.
///
/// - Parameters:
///   - labelMode: `.int`, `.categorical`, `.binary`, or nil for images alone.
///   - imageSize: `[height, width]`.
///   - batchSize: images per batch; nil for single images.
///   - seed: the seed of the file shuffle and of each pass's order; by default a draw
///     from the global generator. Needed with `validationSplit` when shuffling.
///   - cropToAspectRatio: crop the centre to `imageSize`'s aspect ratio before resizing.
///   - onBadFile: throw (naming the file) on a truncated or corrupt image or an empty
///     class folder, or skip and count them in a ``BadFileLog``.
public func imageDatasetFromDirectory(
  _ directory: String, labelMode: LabelMode? = .int, classNames: [String]? = nil,
  colorMode: ColorMode = .rgb, imageSize: [Int] = [256, 256], batchSize: Int? = 32,
  shuffle: Bool = true, validationSplit: Double? = nil, subset: DatasetSubset? = nil,
  seed: UInt64? = nil, cropToAspectRatio: Bool = false, onBadFile: BadFilePolicy = .throw
) throws -> Dataset {
  let context = "imageDatasetFromDirectory"
  guard imageSize.count == 2, imageSize.allSatisfy({ $0 > 0 }) else {
    throw SwiftKerasError(
      .invalidArgument,
      "\(context): imageSize must be [height, width] with positive sizes, got \(imageSize)")
  }
  let seed = try ClassDirectory.listingSeed(
    seed, validationSplit: validationSplit, shuffle: shuffle, context: context)
  let listing = try ClassDirectory.list(
    URL(fileURLWithPath: directory), extensions: [".bmp", ".gif", ".jpeg", ".jpg", ".png"],
    classNames: classNames, shuffle: shuffle, seed: seed, validationSplit: validationSplit,
    subset: subset, emptyClasses: onBadFile, context: context)
  let size = (height: imageSize[0], width: imageSize[1])
  return try Dataset.directorySource(
    listing, labelMode: labelMode, batchSize: batchSize, shuffle: shuffle, seed: seed,
    policy: onBadFile, context: context
  ) { url in
    try DecodedImage.read(url, mode: colorMode).resized(
      to: size, cropToAspectRatio: cropToAspectRatio)
  }
}
