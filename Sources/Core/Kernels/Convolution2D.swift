import CKernels
import Foundation

extension Tensor {
  /// A 2-D convolution (cross-correlation, as Keras) of `[batch, height, width,
  /// channels]` input with a `[kh, kw, channels / groups, filters]` kernel, giving
  /// `[batch, outHeight, outWidth, filters]`.
  ///
  /// The batch is cut into chunks of whole images that the cores take in turn. Stride-1,
  /// undilated 3×3 convolutions with enough channels run Winograd's F(4×4, 3×3) on each
  /// chunk (see ``WinogradPlan``); the others unroll each chunk's windows into a patch
  /// matrix (im2col, in a reused per-core buffer that stays in cache) multiplied by the
  /// kernel in one `sgemm` per group. The gradient is one tape entry whose backward pass
  /// runs the adjoint of the same steps per chunk.
  ///
  /// - Precondition: ranks 4, channels divisible by `groups`, filters divisible by
  ///   `groups`, and a window that fits the (padded) input. Layers check these first.
  public static func conv2d(
    _ input: Tensor, _ kernel: Tensor, strides: (Int, Int) = (1, 1),
    padding: ConvolutionPadding = .valid, dilation: (Int, Int) = (1, 1), groups: Int = 1
  ) -> Tensor {
    conv2d(
      input, kernel, bias: nil, fusedReLU: false, strides: strides, padding: padding,
      dilation: dilation, groups: groups)
  }

  /// ``conv2d(_:_:strides:padding:dilation:groups:)`` followed by adding a `[filters]`
  /// `bias` (when given) and, with `fusedReLU`, `max(·, 0)` — all in one pass over the
  /// output and one tape entry, as layers with a bias and a ReLU need.
  public static func conv2d(
    _ input: Tensor, _ kernel: Tensor, bias: Tensor?, fusedReLU: Bool,
    strides: (Int, Int) = (1, 1), padding: ConvolutionPadding = .valid,
    dilation: (Int, Int) = (1, 1), groups: Int = 1
  ) -> Tensor {
    precondition(
      input.rank == 4 && kernel.rank == 4,
      "conv2d: needs a rank-4 input and kernel, got \(input.shape) and \(kernel.shape)")
    let (n, h, w, c) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
    let (kh, kw, kc, filters) = (kernel.shape[0], kernel.shape[1], kernel.shape[2], kernel.shape[3])
    precondition(
      groups > 0 && c % groups == 0 && filters % groups == 0 && kc == c / groups,
      "conv2d: input channels \(c), kernel \(kernel.shape) and groups \(groups) do not fit")
    precondition(
      bias.map { $0.shape == [filters] } ?? true,
      "conv2d: bias needs shape [\(filters)], got \(bias?.shape ?? [])")
    guard
      let geometry = ConvolutionGeometry(
        batch: n, height: h, width: w, channels: c, kernel: (kh, kw), strides: strides,
        dilation: dilation, padding: padding)
    else {
      preconditionFailure(
        "conv2d: a \(kh)×\(kw) window (dilation \(dilation)) does not fit input \(input.shape)")
    }
    let rows = geometry.patchRows
    let depth = kh * kw * kc
    let groupFilters = filters / groups
    let output = TensorStorage(uninitializedCount: rows * filters)
    let pointwise = geometry.isPointwise && groups == 1
    // The batch is cut into chunks of whole images, small enough that a chunk's patch
    // matrix stays in the core's cache while its product runs; the cores take chunks in
    // turn. Chunking depends only on the shapes, never on the core count, so results are
    // the same bits on every machine.
    let winograd = WinogradPlan(geometry: geometry, filters: filters, groups: groups)
    let imagesPerChunk =
      winograd?.imagesPerChunk
      ?? convolutionImagesPerChunk(geometry: geometry, depth: depth + filters)
    let chunkCount = n == 0 ? 0 : (n + imagesPerChunk - 1) / imagesPerChunk
    let positions = geometry.positionsPerImage
    let imageSize = h * w * c
    let inputBase = input.storage.base
    let kernelBase = kernel.storage.base
    let biasBase = bias?.storage.base
    /// Images `first..<first + count` of chunk `chunk`, and the geometry of that chunk.
    func chunkImages(_ chunk: Int) -> (first: Int, part: ConvolutionGeometry) {
      let first = chunk * imagesPerChunk
      return (first, geometry.images(Swift.min(imagesPerChunk, n - first)))
    }
    let transformedKernel = winograd?.transformKernel(kernelBase)
    ParallelChunks.forEachChunk(chunkCount) { chunk, worker in
      let (first, part) = chunkImages(chunk)
      let chunkRows = part.patchRows
      let source = inputBase + first * imageSize
      let target = output.base + first * positions * filters
      if let winograd, let transformedKernel {
        winograd.forward(
          inputBase, transformedKernel: transformedKernel.base, bias: biasBase, relu: fusedReLU,
          into: output.base, images: first, count: part.batch, worker: worker)
        return
      }
      if pointwise {
        gemm(
          transposeA: false, transposeB: false, m: chunkRows, n: filters, k: c, a: source, lda: c,
          b: kernelBase, ldb: filters, c: target, ldc: filters, singleThreaded: true)
      } else {
        ConvolutionScratch.workers[worker].withBuffer(count: chunkRows * depth) { columns in
          for g in 0..<groups {
            part.im2col(source, into: columns, channelOffset: g * kc, groupChannels: kc)
            gemm(
              transposeA: false, transposeB: false, m: chunkRows, n: groupFilters, k: depth,
              a: columns, lda: depth, b: kernelBase + g * groupFilters, ldb: filters,
              c: target + g * groupFilters, ldc: filters, singleThreaded: true)
          }
        }
      }
      addBiasAndReLU(target, rows: chunkRows, filters: filters, bias: biasBase, relu: fusedReLU)
    }
    let result = Tensor(
      shape: [n, geometry.outHeight, geometry.outWidth, filters], storage: output)
    let tape = TapeContext.current
    let needInput = tape.map { input.trace.tapeID == $0.id } ?? false
    let needKernel = tape.map { kernel.trace.tapeID == $0.id } ?? false
    let needBias = tape.map { bias?.trace.tapeID == $0.id } ?? false
    guard needInput || needKernel || needBias else { return result }
    let inputStorage = input.storage
    let kernelStorage = kernel.storage
    let inputShape = input.shape
    let kernelShape = kernel.shape
    let operands = bias.map { [input, kernel, $0] } ?? [input, kernel]
    return result.recorded(from: operands) { g in
      let grad = g.storage.base
      let masked =
        fusedReLU && winograd == nil ? TensorStorage(uninitializedCount: rows * filters) : nil
      let dx = needInput ? TensorStorage(uninitializedCount: n * imageSize) : nil
      // Kernel and bias gradients per chunk, added up in chunk order below (for Winograd,
      // gradients of the transformed kernel).
      let kernelPartCount = winograd?.transformedKernelCount ?? depth * filters
      let dkParts =
        needKernel ? TensorStorage(uninitializedCount: chunkCount * kernelPartCount) : nil
      let transposedKernel =
        needInput ? transformedKernel.flatMap { winograd?.transposeKernel($0) } : nil
      let dbParts = needBias ? TensorStorage(uninitializedCount: chunkCount * filters) : nil
      ParallelChunks.forEachChunk(chunkCount) { chunk, worker in
        let (first, part) = chunkImages(chunk)
        if let winograd {
          // The ReLU mask and the bias gradient are part of the kernel's first pass.
          winograd.backward(
            inputStorage.base, output: fusedReLU ? output.base : nil, outputGradient: grad,
            transposedKernel: transposedKernel?.base,
            inputGradient: dx?.base,
            transformedKernelGradient: dkParts?.base.advanced(by: chunk * kernelPartCount),
            biasGradient: dbParts?.base.advanced(by: chunk * filters), images: first,
            count: part.batch, worker: worker)
          return
        }
        let chunkRows = part.patchRows
        let offset = first * positions * filters
        var chunkGrad = UnsafePointer(grad + offset)
        if let masked {
          // ReLU passes the gradient only where its output is positive.
          sk_relu_backward(
            output.base + offset, grad + offset, masked.base + offset, chunkRows * filters)
          chunkGrad = UnsafePointer(masked.base + offset)
        }
        if let dbParts {
          sk_sum_rows(chunkGrad, dbParts.base + chunk * filters, chunkRows, filters)
        }
        let source = UnsafePointer(inputStorage.base + first * imageSize)
        let dxChunk = dx.map { $0.base + first * imageSize }
        let dkChunk = dkParts.map { $0.base + chunk * kernelPartCount }
        if pointwise {
          if let dxChunk {
            gemm(
              transposeA: false, transposeB: true, m: chunkRows, n: c, k: filters, a: chunkGrad,
              lda: filters, b: kernelStorage.base, ldb: filters, c: dxChunk, ldc: c,
              singleThreaded: true)
          }
          if let dkChunk {
            gemm(
              transposeA: true, transposeB: false, m: c, n: filters, k: chunkRows, a: source,
              lda: c, b: chunkGrad, ldb: filters, c: dkChunk, ldc: filters, singleThreaded: true)
          }
          return
        }
        guard dxChunk != nil || dkChunk != nil else { return }
        dxChunk?.update(repeating: 0, count: part.batch * imageSize)
        ConvolutionScratch.workers[worker].withBuffer(count: chunkRows * depth) { columns in
          for group in 0..<groups {
            if let dkChunk {
              part.im2col(source, into: columns, channelOffset: group * kc, groupChannels: kc)
              gemm(
                transposeA: true, transposeB: false, m: depth, n: groupFilters, k: chunkRows,
                a: columns, lda: depth, b: chunkGrad + group * groupFilters, ldb: filters,
                c: dkChunk + group * groupFilters, ldc: filters, singleThreaded: true)
            }
            if let dxChunk {
              // The patch buffer is free again: it takes the patch gradients.
              gemm(
                transposeA: false, transposeB: true, m: chunkRows, n: depth, k: groupFilters,
                a: chunkGrad + group * groupFilters, lda: filters,
                b: kernelStorage.base + group * groupFilters, ldb: filters, c: columns,
                ldc: depth, singleThreaded: true)
              part.col2im(
                columns, addingInto: dxChunk, channelOffset: group * kc, groupChannels: kc)
            }
          }
        }
      }
      var gradients: [Tensor?] = [
        dx.map { Tensor(shape: inputShape, storage: $0) },
        dkParts.map {
          let sum = sumChunks($0, chunks: chunkCount, length: kernelPartCount)
          guard let winograd else { return Tensor(shape: kernelShape, storage: sum) }
          return Tensor(shape: kernelShape, storage: winograd.kernelGradient(sum))
        },
      ]
      if let dbParts {
        gradients.append(
          Tensor(shape: [filters], storage: sumChunks(dbParts, chunks: chunkCount, length: filters))
        )
      } else if bias != nil {
        gradients.append(nil)
      }
      return withExtendedLifetime(masked) { gradients }
    }
  }

  /// Adds `bias` to every row of a `rows × filters` output and applies ReLU, in place
  /// (two passes over a chunk that is still in cache, with the vector kernels).
  private static func addBiasAndReLU(
    _ output: UnsafeMutablePointer<Float>, rows: Int, filters: Int,
    bias: UnsafeMutablePointer<Float>?, relu: Bool
  ) {
    if let bias { sk_add_bias_rows(output, bias, output, rows, filters) }
    if relu { sk_relu(output, output, rows * filters) }
  }

  /// The element-wise sum of `chunks` consecutive blocks of `length` floats, in order
  /// (per-chunk gradients of the convolution kernels).
  static func sumChunks(_ parts: TensorStorage, chunks: Int, length: Int) -> TensorStorage {
    if chunks == 1 { return parts }
    let total = TensorStorage(uninitializedCount: length)
    sk_sum_rows(parts.base, total.base, chunks, length)
    return total
  }

  /// The transposed 2-D convolution (the gradient of ``conv2d(_:_:strides:padding:dilation:groups:)``
  /// with respect to its input), as `keras.layers.Conv2DTranspose`: `[batch, height,
  /// width, channels]` input and a `[kh, kw, filters, channels]` kernel give `[batch,
  /// outHeight, outWidth, filters]`.
  ///
  /// `outputSize` is the spatial size of the result; the forward convolution with the
  /// same `strides`, `padding` and `dilation` maps it back to the input's size.
  ///
  /// - Precondition: ranks 4, matching channels, and an `outputSize` the forward
  ///   convolution maps to the input's height and width.
  public static func conv2dTranspose(
    _ input: Tensor, _ kernel: Tensor, outputSize: (Int, Int), strides: (Int, Int) = (1, 1),
    padding: ConvolutionPadding = .valid, dilation: (Int, Int) = (1, 1)
  ) -> Tensor {
    precondition(
      input.rank == 4 && kernel.rank == 4 && kernel.shape[3] == input.shape[3],
      "conv2dTranspose: needs a rank-4 input and a [kh, kw, filters, \(input.shape.last ?? 0)] kernel, got \(input.shape) and \(kernel.shape)"
    )
    let (n, h, w, c) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
    let (kh, kw, filters) = (kernel.shape[0], kernel.shape[1], kernel.shape[2])
    guard
      let geometry = ConvolutionGeometry(
        batch: n, height: outputSize.0, width: outputSize.1, channels: filters,
        kernel: (kh, kw), strides: strides, dilation: dilation, padding: padding),
      geometry.outHeight == h, geometry.outWidth == w
    else {
      preconditionFailure(
        "conv2dTranspose: output size \(outputSize) does not convolve back to input \(input.shape)")
    }
    let rows = n * h * w
    let depth = kh * kw * filters
    let columns = TensorStorage(uninitializedCount: rows * depth)
    gemm(
      transposeA: false, transposeB: true, m: rows, n: depth, k: c, a: input.storage.base,
      lda: c, b: kernel.storage.base, ldb: c, c: columns.base, ldc: depth)
    let output = TensorStorage(repeating: 0, count: n * outputSize.0 * outputSize.1 * filters)
    geometry.col2im(columns.base, addingInto: output.base, groupChannels: filters)
    let result = Tensor(shape: [n, outputSize.0, outputSize.1, filters], storage: output)
    let inputStorage = input.storage
    let kernelStorage = kernel.storage
    let inputShape = input.shape
    let kernelShape = kernel.shape
    return result.recorded(from: input, kernel) { g, needInput, needKernel in
      let patches = TensorStorage(uninitializedCount: rows * depth)
      geometry.im2col(g.storage.base, into: patches.base, groupChannels: filters)
      var inputGrad: Tensor? = nil
      var kernelGrad: Tensor? = nil
      if needInput {
        let dx = TensorStorage(uninitializedCount: rows * c)
        gemm(
          transposeA: false, transposeB: false, m: rows, n: c, k: depth, a: patches.base,
          lda: depth, b: kernelStorage.base, ldb: c, c: dx.base, ldc: c)
        inputGrad = Tensor(shape: inputShape, storage: dx)
      }
      if needKernel {
        let dk = TensorStorage(uninitializedCount: depth * c)
        gemm(
          transposeA: true, transposeB: false, m: depth, n: c, k: rows, a: patches.base,
          lda: depth, b: inputStorage.base, ldb: c, c: dk.base, ldc: c)
        kernelGrad = Tensor(shape: kernelShape, storage: dk)
      }
      return (inputGrad, kernelGrad)
    }
  }
}

/// A 2-D convolution (see ``Tensor/conv2d(_:_:strides:padding:dilation:groups:)``).
public func conv2d(
  _ input: Tensor, _ kernel: Tensor, strides: (Int, Int) = (1, 1),
  padding: ConvolutionPadding = .valid, dilation: (Int, Int) = (1, 1), groups: Int = 1
) -> Tensor {
  Tensor.conv2d(
    input, kernel, strides: strides, padding: padding, dilation: dilation, groups: groups)
}

/// Whole images per chunk of a convolution, so that a chunk's patch matrix and output
/// (`depth` floats per output position together) stay in a core's cache.
func convolutionImagesPerChunk(geometry: ConvolutionGeometry, depth: Int) -> Int {
  convolutionImagesPerChunk(
    batch: geometry.batch,
    bytesPerImage: geometry.positionsPerImage * depth * MemoryLayout<Float>.stride)
}

/// Whole images of `bytesPerImage` working memory per chunk of a `batch`: about
/// `SWIFTKERAS_CONV_CHUNK_BYTES` (768 KB by default) in all, and at least one image.
func convolutionImagesPerChunk(batch: Int, bytesPerImage: Int) -> Int {
  Swift.max(1, Swift.min(Swift.max(batch, 1), convolutionChunkBytes / Swift.max(bytesPerImage, 1)))
}

private let convolutionChunkBytes: Int = {
  if let text = ProcessInfo.processInfo.environment["SWIFTKERAS_CONV_CHUNK_BYTES"],
    let bytes = Int(text), bytes > 0
  {
    return bytes
  }
  return 768 * 1024
}()
