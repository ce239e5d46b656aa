extension Tensor {
  /// A 2-D convolution (cross-correlation, as Keras) of `[batch, height, width,
  /// channels]` input with a `[kh, kw, channels / groups, filters]` kernel, giving
  /// `[batch, outHeight, outWidth, filters]`.
  ///
  /// The windows of the whole batch are unrolled into one patch matrix (im2col, in a
  /// reused buffer) and multiplied by the kernel in one `sgemm` per group; the gradient
  /// is one tape entry whose backward pass rebuilds the patches, runs two more products
  /// and the adjoint scatter (col2im).
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
    if pointwise {
      gemm(
        transposeA: false, transposeB: false, m: rows, n: filters, k: c,
        a: input.storage.base, lda: c, b: kernel.storage.base, ldb: filters, c: output.base,
        ldc: filters)
    } else {
      // The patch matrix lives in a reused buffer; the backward pass rebuilds it.
      ConvolutionScratch.shared.withBuffer(count: rows * depth) { columns in
        for g in 0..<groups {
          geometry.im2col(
            input.storage.base, into: columns, channelOffset: g * kc, groupChannels: kc)
          gemm(
            transposeA: false, transposeB: false, m: rows, n: groupFilters, k: depth,
            a: columns, lda: depth, b: kernel.storage.base + g * groupFilters, ldb: filters,
            c: output.base + g * groupFilters, ldc: filters)
        }
      }
    }
    addBiasAndReLU(output.base, rows: rows, filters: filters, bias: bias, relu: fusedReLU)
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
      var effective = g.storage
      if fusedReLU {
        // ReLU passes the gradient where its output is positive.
        effective = TensorStorage(uninitializedCount: rows * filters)
        let (source, out, target) = (g.storage.base, output.base, effective.base)
        let total = rows * filters
        var i = 0
        while i + 8 <= total {
          let passed = load8(source + i).replacing(with: 0, where: load8(out + i) .<= 0)
          store8(passed, target + i)
          i += 8
        }
        while i < total {
          target[i] = out[i] > 0 ? source[i] : 0
          i += 1
        }
      }
      let grad = UnsafePointer(effective.base)
      var gradients: [Tensor?] = [nil, nil]
      if needBias {
        let db = TensorStorage(repeating: 0, count: filters)
        for r in 0..<rows {
          let line = grad + r * filters
          for f in 0..<filters { db.base[f] += line[f] }
        }
        gradients.append(Tensor(shape: [filters], storage: db))
      } else if bias != nil {
        gradients.append(nil)
      }
      if pointwise {
        if needInput {
          let dx = TensorStorage(uninitializedCount: rows * c)
          gemm(
            transposeA: false, transposeB: true, m: rows, n: c, k: filters, a: grad, lda: filters,
            b: kernelStorage.base, ldb: filters, c: dx.base, ldc: c)
          gradients[0] = Tensor(shape: inputShape, storage: dx)
        }
        if needKernel {
          let dk = TensorStorage(uninitializedCount: c * filters)
          gemm(
            transposeA: true, transposeB: false, m: c, n: filters, k: rows,
            a: inputStorage.base, lda: c, b: grad, ldb: filters, c: dk.base, ldc: filters)
          gradients[1] = Tensor(shape: kernelShape, storage: dk)
        }
        return gradients
      }
      let dx = needInput ? TensorStorage(repeating: 0, count: n * h * w * c) : nil
      let dk = needKernel ? TensorStorage(uninitializedCount: depth * filters) : nil
      if dx != nil || dk != nil {
        ConvolutionScratch.shared.withBuffer(count: rows * depth) { columns in
          for group in 0..<groups {
            if let dk {
              geometry.im2col(
                inputStorage.base, into: columns, channelOffset: group * kc, groupChannels: kc)
              gemm(
                transposeA: true, transposeB: false, m: depth, n: groupFilters, k: rows,
                a: columns, lda: depth, b: grad + group * groupFilters, ldb: filters,
                c: dk.base + group * groupFilters, ldc: filters)
            }
            if let dx {
              // The patch buffer is free again: it takes the patch gradients.
              gemm(
                transposeA: false, transposeB: true, m: rows, n: depth, k: groupFilters,
                a: grad + group * groupFilters, lda: filters,
                b: kernelStorage.base + group * groupFilters, ldb: filters, c: columns,
                ldc: depth)
              geometry.col2im(
                columns, addingInto: dx.base, channelOffset: group * kc, groupChannels: kc)
            }
          }
        }
      }
      if let dx { gradients[0] = Tensor(shape: inputShape, storage: dx) }
      if let dk { gradients[1] = Tensor(shape: kernelShape, storage: dk) }
      return withExtendedLifetime(effective) { gradients }
    }
  }

  /// Adds `bias` to every row of a `rows × filters` output and applies ReLU, in place.
  private static func addBiasAndReLU(
    _ output: UnsafeMutablePointer<Float>, rows: Int, filters: Int, bias: Tensor?, relu: Bool
  ) {
    if let bias {
      let b = bias.storage.base
      for r in 0..<rows {
        let line = output + r * filters
        if relu {
          for f in 0..<filters { line[f] = Swift.max(line[f] + b[f], 0) }
        } else {
          for f in 0..<filters { line[f] += b[f] }
        }
      }
    } else if relu {
      for i in 0..<(rows * filters) { output[i] = Swift.max(output[i], 0) }
    }
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
