import CKernels

/// What the processor offers the C kernels, checked once.
enum ProcessorFeatures {
  /// Whether fused multiply-adds run as vector instructions (AVX2 + FMA or AVX-512). The
  /// Winograd and fused convolution-pooling kernels need them: their portable versions
  /// call a library function per lane, so without them the plain ops run instead.
  static let hasVectorFMA = sk_has_vector_fma() != 0
}
