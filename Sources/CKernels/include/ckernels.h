// Vector kernels for the hottest loops of training, in C because Swift cannot emit
// vector square roots (Float.squareRoot keeps a scalar errno path) and compiles for the
// baseline x86-64 without AVX. Each kernel picks an AVX2 version at run time when the
// processor has it; results are bit-identical either way (no FMA contraction, except the
// explicit fused multiply-adds of exp, which every version of it performs alike).
#ifndef SWIFTKERAS_CKERNELS_H
#define SWIFTKERAS_CKERNELS_H

#include <stddef.h>

/// One Adam step without clipping or weight decay, as Keras 3 computes it:
/// m += (g - m)(1 - b1); v += (g² - v)(1 - b2); w -= (m·alpha) / (√v + eps).
void sk_adam_update(float *w, float *m, float *v, const float *g, size_t n, float alpha,
                    float one_minus_beta1, float one_minus_beta2, float epsilon);

/// `sk_adam_update` forced to one version (2: AVX-512, 1: AVX2, 0: SSE or scalar), or the
/// best available below it; for tests that compare the versions bit for bit.
void sk_adam_update_with_level(float *w, float *m, float *v, const float *g, size_t n,
                               float alpha, float one_minus_beta1, float one_minus_beta2,
                               float epsilon, int level);

/// out[i] = x[i] > 0 ? x[i] : 0.
void sk_relu(const float *x, float *out, size_t n);

/// out[i] = x[i] > 0 ? g[i] : 0 (the gradient of relu).
void sk_relu_backward(const float *x, const float *g, float *out, size_t n);

/// y[r·n + j] = c[r·n + j] + bias[j] for every row r (in place when c == y).
void sk_add_bias_rows(const float *c, const float *bias, float *y, size_t rows, size_t n);

/// out[j] = Σ_r g[r·n + j]: the gradient of a bias added to every row.
void sk_sum_rows(const float *g, float *out, size_t rows, size_t n);

/// One LSTM step's element-wise part: `z` ([rows, 4·units], gates i, f, c̃, o) holds
/// x·W + h₋₁·U + b on entry and the activated gates on return; writes
/// c = f⊙c_prev + i⊙c̃, tanh(c) and h = o⊙tanh(c) (rows of h `ldh` apart).
/// `scratch` holds rows·4·units floats.
void sk_lstm_step_forward(float *z, const float *c_prev, float *c, float *tanh_c, float *h,
                          long ldh, long rows, long units, float *scratch);

/// Its backward: from the activated `gates`, c_prev, tanh(c), the gradient `dh` of h and
/// `dc` of c (from the later steps), writes the pre-activation gradients `dz`
/// ([rows, 4·units]) and replaces `dc` with the gradient of c_prev.
void sk_lstm_step_backward(const float *gates, const float *c_prev, const float *tanh_c,
                           const float *dh, float *dc, float *dz, long rows, long units);

/// out[i] = e^x[i], within about 1 ulp (Cephes' expf with fused multiply-adds); NaN stays
/// NaN, overflow gives +inf, underflow 0. AVX-512, AVX2 + FMA or scalar, same bits.
void sk_exp(const float *x, float *out, size_t n);

/// e^x for one value: the scalar version of `sk_exp`.
float sk_exp_scalar(float x);

/// `sk_exp` forced to one version (2: AVX-512, 1: AVX2 + FMA, 0: scalar), or the best
/// available below it; for tests that compare the versions bit for bit.
void sk_exp_with_level(const float *x, float *out, size_t n, int level);

/// The shape of a 2-D pooling sweep over [batch, height, width, channels] images.
typedef struct {
  long height, width, channels;
  long pool_height, pool_width, stride_height, stride_width;
  long pad_top, pad_left, out_height, out_width;
} sk_pool2d;

/// Max pooling of images [first, first + count): y[n, oh, ow, c] is the maximum of the
/// window (clipped to the image), as Swift.max folds it.
void sk_max_pool2d(const float *x, float *y, const sk_pool2d *g, long first, long count);

/// The gradient of max pooling for images [first, first + count): their part of dx is
/// overwritten; each window's gradient dy goes to the first cell equal to its maximum y.
void sk_max_pool2d_backward(const float *x, const float *y, const float *dy, float *dx,
                            const sk_pool2d *g, long first, long count);

/// The two above forced to the portable version (`level` 0) or allowed AVX2 (1), for
/// tests that compare the versions bit for bit.
void sk_max_pool2d_with_level(const float *x, float *y, const sk_pool2d *g, long first,
                              long count, int level);
void sk_max_pool2d_backward_with_level(const float *x, const float *y, const float *dy,
                                       float *dx, const sk_pool2d *g, long first, long count,
                                       int level);

/// 1 when the processor runs fused multiply-adds as vector instructions (AVX2 + FMA or
/// AVX-512): the Winograd and fused convolution-pooling kernels need them, as their portable
/// versions call a library function per lane.
int sk_has_vector_fma(void);

/// The shape of a stride-1, undilated 3×3 convolution of [batch, height, width, channels]
/// images into `filters` channels, computed with Winograd's F(tile×tile, 3×3), `tile` 2 or
/// 4 (the transformed tiles then have alpha = tile + 2 points a side).
typedef struct {
  long height, width, channels, filters;
  long pad_top, pad_left, out_height, out_width;
  long tile;
} sk_winograd3x3;

/// alpha²: the number of transformed matrices (16 for F(2×2, 3×3), 36 for F(4×4, 3×3)).
long sk_winograd_matrices(const sk_winograd3x3 *g);

/// Floats of scratch the forward and backward passes need for `count` images.
long sk_winograd_scratch_floats(const sk_winograd3x3 *g, long count);

/// The [alpha², c, f] transformed kernel u of a [3, 3, c, f] kernel.
void sk_winograd_transform_kernel(const sk_winograd3x3 *g, const float *kernel, float *u);

/// The per-matrix transpose [alpha², f, c] of a transformed kernel, for the input gradient.
void sk_winograd_transpose_kernel(const sk_winograd3x3 *g, const float *u, float *ut);

/// The [3, 3, c, f] kernel gradient from the [alpha², c, f] gradient of the transformed
/// kernel.
void sk_winograd_kernel_gradient(const sk_winograd3x3 *g, const float *du, float *dkernel);

/// Output images [first, first + count) of the convolution, plus `bias` (when not null) and
/// ReLU (when `relu`); `x` and `y` point at image 0.
void sk_winograd_forward(const float *x, const float *u, const float *bias, int relu, float *y,
                         const sk_winograd3x3 *g, long first, long count, float *scratch);

/// The backward pass for images [first, first + count) given their output gradient `dy`
/// (passed only where the output `y` of a fused ReLU is positive, when `y` is not null):
/// overwrites those images of `dx`, and the [alpha², c, f] transformed-kernel gradient `du`
/// and [f] bias gradient `dbias` of these images alone (each when not null). `ut`, the
/// transposed transformed kernel, is read only when `dx` is not null.
void sk_winograd_backward(const float *x, const float *y, const float *dy, const float *ut,
                          float *dx, float *du, float *dbias, const sk_winograd3x3 *g, long first,
                          long count, float *scratch);

/// The two above forced to one version (2: AVX-512, 1: AVX2, 0: portable) or the best
/// available below it, for tests that compare the versions bit for bit.
void sk_winograd_forward_with_level(const float *x, const float *u, const float *bias, int relu,
                                    float *y, const sk_winograd3x3 *g, long first, long count,
                                    float *scratch, int level);
void sk_winograd_backward_with_level(const float *x, const float *y, const float *dy,
                                     const float *ut, float *dx, float *du, float *dbias,
                                     const sk_winograd3x3 *g, long first, long count,
                                     float *scratch, int level);

/// Largest kernel depth (kernel height · width · input channels) of the fused
/// convolution, ReLU and max pooling below.
#define SK_CONV_POOL_MAX_DEPTH 64

/// A valid, stride-1, undilated convolution of [batch, height, width, channels] images by a
/// [kernel_height, kernel_width, channels, filters] kernel, its ReLU, and max pooling over
/// non-overlapping pool_height × pool_width windows (valid: rows and columns past the last
/// whole window are dropped) into [batch, out_height, out_width, filters]. Filters are a
/// multiple of 8; the depth at most SK_CONV_POOL_MAX_DEPTH; windows at most 255 cells.
typedef struct {
  long height, width, channels, filters;
  long kernel_height, kernel_width;
  long pool_height, pool_width;
  long out_height, out_width;
} sk_conv_pool2d;

/// Kernel height · width · channels.
long sk_conv_relu_max_pool2d_depth(const sk_conv_pool2d *g);

/// Pooled images [first, first + count): y is the maximum over each window of
/// ReLU(convolution + bias) (bias when not null), and argmax, one byte per value of y, the
/// window cell (row-major) that first holds it.
void sk_conv_relu_max_pool2d(const float *x, const float *kernel, const float *bias, float *y,
                             unsigned char *argmax, const sk_conv_pool2d *g, long first,
                             long count);

/// The kernel gradient [depth, filters] and bias gradient [filters] (when not null) of
/// images [first, first + count) alone, overwritten, from the pooled output y, its argmax
/// and gradient dy.
void sk_conv_relu_max_pool2d_backward(const float *x, const float *y,
                                      const unsigned char *argmax, const float *dy,
                                      float *dkernel, float *dbias, const sk_conv_pool2d *g,
                                      long first, long count);

/// The two above forced to the portable version (`level` 0) or allowed AVX2 + FMA (1), for
/// tests that compare the versions bit for bit.
void sk_conv_relu_max_pool2d_with_level(const float *x, const float *kernel, const float *bias,
                                        float *y, unsigned char *argmax,
                                        const sk_conv_pool2d *g, long first, long count,
                                        int level);
void sk_conv_relu_max_pool2d_backward_with_level(const float *x, const float *y,
                                                 const unsigned char *argmax, const float *dy,
                                                 float *dkernel, float *dbias,
                                                 const sk_conv_pool2d *g, long first,
                                                 long count, int level);

#endif
