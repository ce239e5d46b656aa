import CKernels
import Foundation

/// Which algorithm a 2-D convolution uses (``RuntimeOptions/convolutionAlgorithm``);
/// benchmarks and tests force one to compare them.
public enum ConvolutionAlgorithmPolicy: Sendable, Equatable {
  /// Winograd (F(4×4, 3×3)) where it applies and pays (see ``WinogradPlan``): enough
  /// channels, and a processor with fused multiply-add vectors (AVX2 + FMA or AVX-512);
  /// else im2col.
  case automatic
  /// Winograd wherever it applies (any channel count).
  case winogradWhereApplicable
  /// Always im2col and sgemm.
  case im2col

  /// The policy every convolution follows now (``RuntimeOptions/current``).
  static var current: ConvolutionAlgorithmPolicy {
    get { RuntimeOptions.current.convolutionAlgorithm }
    set { RuntimeOptions.current.convolutionAlgorithm = newValue }
  }
}

/// A stride-1, undilated, ungrouped 3×3 convolution computed with Winograd's F(4×4, 3×3)
/// (every 4×4 block of outputs takes 36 multiplications per channel and filter instead of
/// 144) or F(2×2, 3×3) (16 instead of 36 per 2×2 block; more exact, slower): the C
/// kernels in `Sources/CKernels/winograd.c`.
///
/// With few channels the per-tile transforms outweigh the saved products, so the automatic
/// policy keeps im2col below ``minimumChannels`` input channels or filters. Its products use
/// fused multiply-adds in every version (so all give the same bits); without FMA
/// instructions they would run as slow library calls, so the automatic policy needs them.
struct WinogradPlan {
  /// Input channels and filters from which the automatic policy picks Winograd.
  static let minimumChannels = 16

  let shape: sk_winograd3x3
  /// Whole images per chunk, so that a chunk's transformed tiles stay in a core's cache.
  let imagesPerChunk: Int
  /// Floats of per-worker scratch one chunk needs.
  let scratchFloats: Int

  /// The output tile every convolution uses, when set: 2 or 4, from the environment
  /// variable `SWIFTKERAS_WINOGRAD_TILE` (for benchmarks that compare them; tests set it).
  /// When nil, ``tile(for:)`` picks per convolution.
  static var forcedTile: Int? {
    get { RuntimeOptions.current.winogradTile }
    set { RuntimeOptions.current.winogradTile = newValue }
  }

  /// The tile with fewer products for this output size: 4 unless 2×2 tiles cover it with
  /// as few (small outputs, such as 6×6, waste most of a 4×4 tile), when the more exact 2
  /// wins.
  static func tile(for geometry: ConvolutionGeometry) -> Int {
    if let forcedTile { return forcedTile }
    func products(_ m: Int) -> Int {
      let alpha = m + 2
      return (geometry.outHeight + m - 1) / m * ((geometry.outWidth + m - 1) / m) * alpha * alpha
    }
    return products(4) < products(2) ? 4 : 2
  }

  /// The plan for a convolution with `tile`×`tile` output tiles (2 or 4; by default
  /// ``tile(for:)``), or nil when Winograd does not apply under `policy`.
  init?(
    geometry: ConvolutionGeometry, filters: Int, groups: Int,
    policy: ConvolutionAlgorithmPolicy = .current, tile: Int? = nil
  ) {
    let applies =
      geometry.kernelHeight == 3 && geometry.kernelWidth == 3 && geometry.strideHeight == 1
      && geometry.strideWidth == 1 && geometry.dilationHeight == 1 && geometry.dilationWidth == 1
      && groups == 1
    switch policy {
    case .im2col: return nil
    case .winogradWhereApplicable: guard applies else { return nil }
    case .automatic:
      guard
        applies && ProcessorFeatures.hasVectorFMA && geometry.channels >= Self.minimumChannels
          && filters >= Self.minimumChannels
      else { return nil }
    }
    shape = sk_winograd3x3(
      height: geometry.height, width: geometry.width, channels: geometry.channels,
      filters: filters, pad_top: geometry.padTop, pad_left: geometry.padLeft,
      out_height: geometry.outHeight, out_width: geometry.outWidth,
      tile: (tile ?? Self.tile(for: geometry)) == 2 ? 2 : 4)
    var plan = shape
    imagesPerChunk = convolutionImagesPerChunk(
      batch: geometry.batch,
      bytesPerImage: sk_winograd_scratch_floats(&plan, 1) * MemoryLayout<Float>.stride)
    scratchFloats = sk_winograd_scratch_floats(&plan, imagesPerChunk)
  }

  /// Floats of a transformed kernel (`[alpha², channels, filters]`, alpha = tile + 2).
  var transformedKernelCount: Int {
    var plan = shape
    return sk_winograd_matrices(&plan) * shape.channels * shape.filters
  }

  /// The transformed `[alpha², channels, filters]` kernel of a `[3, 3, channels, filters]` one.
  func transformKernel(_ kernel: UnsafePointer<Float>) -> TensorStorage {
    let u = TensorStorage(uninitializedCount: transformedKernelCount)
    var plan = shape
    sk_winograd_transform_kernel(&plan, kernel, u.base)
    return u
  }

  /// The per-matrix transpose of a transformed kernel, which the input gradient multiplies by.
  func transposeKernel(_ transformed: TensorStorage) -> TensorStorage {
    let ut = TensorStorage(uninitializedCount: transformedKernelCount)
    var plan = shape
    sk_winograd_transpose_kernel(&plan, transformed.base, ut.base)
    return ut
  }

  /// The `[3, 3, channels, filters]` kernel gradient from the transformed kernel's.
  func kernelGradient(_ transformedGradient: TensorStorage) -> TensorStorage {
    let dk = TensorStorage(uninitializedCount: 9 * shape.channels * shape.filters)
    var plan = shape
    sk_winograd_kernel_gradient(&plan, transformedGradient.base, dk.base)
    return dk
  }

  /// Output images `first..<first + count` (bias and ReLU included when asked).
  func forward(
    _ input: UnsafePointer<Float>, transformedKernel: UnsafePointer<Float>,
    bias: UnsafePointer<Float>?, relu: Bool, into output: UnsafeMutablePointer<Float>,
    images first: Int, count: Int, worker: Int
  ) {
    var plan = shape
    ConvolutionScratch.workers[worker].withBuffer(count: scratchFloats) { scratch in
      sk_winograd_forward(
        input, transformedKernel, bias, relu ? 1 : 0, output, &plan, first, count, scratch)
    }
  }

  /// The input gradient of images `first..<first + count` (into `inputGradient`, when
  /// given) and their parts of the transformed kernel's and the bias's gradients (into
  /// `transformedKernelGradient` and `biasGradient`, when given), from their output
  /// gradient — taken only where `output` is positive when a ReLU was fused (`output` given).
  /// `transposedKernel` is needed for the input gradient only.
  func backward(
    _ input: UnsafePointer<Float>, output: UnsafePointer<Float>?,
    outputGradient: UnsafePointer<Float>, transposedKernel: UnsafePointer<Float>?,
    inputGradient: UnsafeMutablePointer<Float>?,
    transformedKernelGradient: UnsafeMutablePointer<Float>?,
    biasGradient: UnsafeMutablePointer<Float>?, images first: Int, count: Int, worker: Int
  ) {
    var plan = shape
    ConvolutionScratch.workers[worker].withBuffer(count: scratchFloats) { scratch in
      sk_winograd_backward(
        input, output, outputGradient, transposedKernel, inputGradient, transformedKernelGradient,
        biasGradient, &plan, first, count, scratch)
    }
  }
}
