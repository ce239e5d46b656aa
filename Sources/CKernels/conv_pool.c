// A shallow convolution (few input channels, such as a network's first layer on raw
// images), its ReLU and a non-overlapping max pooling in one pass: the full-size
// convolution output, the largest tensor of a small CNN, is never written. Each pooled
// value keeps the index of the window cell it came from, which is all the backward pass
// needs: the kernel and bias gradients gather the input at those cells.
//
// Every version (AVX2 + FMA, portable) runs one body with fused multiply-adds, so they give
// the same bits; the Swift side only picks this path where they are vector instructions.
#include "ckernels.h"
#include "cpu_features.h"

#include <string.h>

#pragma clang fp contract(off)
// Vector values pass between always-inline helpers only, never across an ABI boundary.
#pragma clang diagnostic ignored "-Wpsabi"

#define SK_INLINE static inline __attribute__((always_inline))

typedef float cp_v8 __attribute__((vector_size(32), aligned(4)));
typedef int cp_v8i __attribute__((vector_size(32), aligned(4)));
typedef unsigned char cp_u8x8 __attribute__((vector_size(8), aligned(1)));

SK_INLINE cp_v8 cp_load(const float *p) {
  cp_v8 v;
  memcpy(&v, p, sizeof v);
  return v;
}

SK_INLINE void cp_store(float *p, cp_v8 v) { memcpy(p, &v, sizeof v); }

SK_INLINE cp_v8 cp_splat(float x) { return (cp_v8){x, x, x, x, x, x, x, x}; }

SK_INLINE cp_v8i cp_splat_int(int x) { return (cp_v8i){x, x, x, x, x, x, x, x}; }

// Lanes of v where mask is all ones, +0 elsewhere (bit masks: AMD runs blends slowly).
SK_INLINE cp_v8 cp_keep(cp_v8 v, cp_v8i mask) { return (cp_v8)((cp_v8i)v & mask); }

long sk_conv_relu_max_pool2d_depth(const sk_conv_pool2d *g) {
  return g->kernel_height * g->kernel_width * g->channels;
}

// Offsets from a window's top-left cell to its kernel-order inputs (ky, kx, channel).
SK_INLINE void window_offsets(const sk_conv_pool2d *g, long offsets[SK_CONV_POOL_MAX_DEPTH]) {
  long k = 0;
  for (long ky = 0; ky < g->kernel_height; ky++)
    for (long kx = 0; kx < g->kernel_width; kx++)
      for (long ch = 0; ch < g->channels; ch++)
        offsets[k++] = (ky * g->width + kx) * g->channels + ch;
}

// The input of convolution output (oy, ox) of an image.
SK_INLINE const float *window_at(const float *image, const sk_conv_pool2d *g, long oy, long ox) {
  return image + (oy * g->width + ox) * g->channels;
}

// ---------------------------------------------------------------------------------------
// Forward: for NV·8 filters of one pooled value, each window cell's convolution (sums
// from 0 in kernel order, then + bias, as the unfused path), ReLU, and the running
// maximum with the first cell holding it.

SK_INLINE void pool_block(const int NV, const float *image, const sk_conv_pool2d *g,
                          const long *offsets, long depth, const float *kernel,
                          const float *bias, long py, long px, float *y, unsigned char *argmax) {
  const long f = g->filters;
  cp_v8 best[4];
  cp_v8i index[4];
  long cell = 0;
  for (long a = 0; a < g->pool_height; a++)
    for (long b = 0; b < g->pool_width; b++, cell++) {
      const float *window = window_at(image, g, py * g->pool_height + a, px * g->pool_width + b);
      cp_v8 acc[4];
#pragma clang loop unroll(full)
      for (int v = 0; v < NV; v++) acc[v] = cp_splat(0);
      for (long k = 0; k < depth; k++) {
        cp_v8 input = cp_splat(window[offsets[k]]);
        const float *row = kernel + k * f;
#pragma clang loop unroll(full)
        for (int v = 0; v < NV; v++)
          acc[v] = __builtin_elementwise_fma(input, cp_load(row + 8 * v), acc[v]);
      }
#pragma clang loop unroll(full)
      for (int v = 0; v < NV; v++) {
        cp_v8 z = bias ? acc[v] + cp_load(bias + 8 * v) : acc[v];
        cp_v8 r = cp_keep(z, z > cp_splat(0));
        if (cell == 0) {
          best[v] = r;
          index[v] = cp_splat_int(0);
        } else {
          // Strictly greater: the first cell holding the maximum keeps it.
          cp_v8i greater = r > best[v];
          best[v] = cp_keep(r, greater) + cp_keep(best[v], ~greater);
          index[v] = (cp_splat_int((int)cell) & greater) | (index[v] & ~greater);
        }
      }
    }
#pragma clang loop unroll(full)
  for (int v = 0; v < NV; v++) {
    cp_store(y + 8 * v, best[v]);
    cp_u8x8 bytes = __builtin_convertvector(index[v], cp_u8x8);
    memcpy(argmax + 8 * v, &bytes, sizeof bytes);
  }
}

SK_INLINE void forward_body(const float *x, const float *kernel, const float *bias, float *y,
                            unsigned char *argmax, const sk_conv_pool2d *g, long first,
                            long count) {
  long offsets[SK_CONV_POOL_MAX_DEPTH];
  window_offsets(g, offsets);
  const long depth = sk_conv_relu_max_pool2d_depth(g), f = g->filters;
  for (long n = first; n < first + count; n++) {
    const float *image = x + n * g->height * g->width * g->channels;
    long o = n * g->out_height * g->out_width * f;
    for (long py = 0; py < g->out_height; py++)
      for (long px = 0; px < g->out_width; px++, o += f) {
        long fb = 0;
        for (; fb + 32 <= f; fb += 32)
          pool_block(4, image, g, offsets, depth, kernel + fb, bias ? bias + fb : 0, py, px,
                     y + o + fb, argmax + o + fb);
        for (; fb < f; fb += 8)
          pool_block(1, image, g, offsets, depth, kernel + fb, bias ? bias + fb : 0, py, px,
                     y + o + fb, argmax + o + fb);
      }
  }
}

// ---------------------------------------------------------------------------------------
// Backward: g = dy where the pooled value is positive (ReLU passed it); the kernel
// gradient gathers, for every pooled value, the input window of the cell it came from:
// dK[k, f] = Σ g[q, f] · x[cell(q, f) + offset k]. Nine kernel rows at a time stay in
// registers over all pooled values of 8 filters.

#define CP_ROWS 9

SK_INLINE void backward_body(const float *x, const float *y, const unsigned char *argmax,
                             const float *dy, float *dkernel, float *dbias,
                             const sk_conv_pool2d *g, long first, long count) {
  long offsets[SK_CONV_POOL_MAX_DEPTH];
  window_offsets(g, offsets);
  const long depth = sk_conv_relu_max_pool2d_depth(g), f = g->filters;
  for (long fb = 0; fb < f; fb += 8) {
    for (long kb = 0; kb < depth; kb += CP_ROWS) {
      // Rows past the depth repeat the last one; their sums are dropped.
      long rows[CP_ROWS];
      for (int j = 0; j < CP_ROWS; j++) rows[j] = offsets[kb + j < depth ? kb + j : depth - 1];
      cp_v8 acc[CP_ROWS], bias_sum = cp_splat(0);
#pragma clang loop unroll(full)
      for (int j = 0; j < CP_ROWS; j++) acc[j] = cp_splat(0);
      for (long n = first; n < first + count; n++) {
        const float *image = x + n * g->height * g->width * g->channels;
        long o = n * g->out_height * g->out_width * f + fb;
        for (long py = 0; py < g->out_height; py++)
          for (long px = 0; px < g->out_width; px++, o += f) {
            cp_v8 grad = cp_keep(cp_load(dy + o), cp_load(y + o) > cp_splat(0));
            bias_sum = bias_sum + grad;
            cp_u8x8 bytes;
            memcpy(&bytes, argmax + o, sizeof bytes);
            cp_v8i from = __builtin_convertvector(bytes, cp_v8i);
            long cell = 0;
            for (long a = 0; a < g->pool_height; a++)
              for (long b = 0; b < g->pool_width; b++, cell++) {
                cp_v8 part = cp_keep(grad, from == cp_splat_int((int)cell));
                const float *window =
                    window_at(image, g, py * g->pool_height + a, px * g->pool_width + b);
#pragma clang loop unroll(full)
                for (int j = 0; j < CP_ROWS; j++)
                  acc[j] = __builtin_elementwise_fma(cp_splat(window[rows[j]]), part, acc[j]);
              }
          }
      }
      for (int j = 0; j < CP_ROWS && kb + j < depth; j++)
        cp_store(dkernel + (kb + j) * f + fb, acc[j]);
      if (kb == 0 && dbias) cp_store(dbias + fb, bias_sum);
    }
  }
}

// ---------------------------------------------------------------------------------------
// Versions and dispatch.

#if defined(__x86_64__)
__attribute__((target("avx2,fma"))) static void forward_avx2(
    const float *x, const float *kernel, const float *bias, float *y, unsigned char *argmax,
    const sk_conv_pool2d *g, long first, long count) {
  forward_body(x, kernel, bias, y, argmax, g, first, count);
}

__attribute__((target("avx2,fma"))) static void backward_avx2(
    const float *x, const float *y, const unsigned char *argmax, const float *dy, float *dkernel,
    float *dbias, const sk_conv_pool2d *g, long first, long count) {
  backward_body(x, y, argmax, dy, dkernel, dbias, g, first, count);
}
#endif

void sk_conv_relu_max_pool2d_with_level(const float *x, const float *kernel, const float *bias,
                                        float *y, unsigned char *argmax,
                                        const sk_conv_pool2d *g, long first, long count,
                                        int level) {
#if defined(__x86_64__)
  if (level >= 1 && sk_cpu_has_avx2_fma()) {
    forward_avx2(x, kernel, bias, y, argmax, g, first, count);
    return;
  }
#endif
  (void)level;
  forward_body(x, kernel, bias, y, argmax, g, first, count);
}

void sk_conv_relu_max_pool2d_backward_with_level(const float *x, const float *y,
                                                 const unsigned char *argmax, const float *dy,
                                                 float *dkernel, float *dbias,
                                                 const sk_conv_pool2d *g, long first,
                                                 long count, int level) {
#if defined(__x86_64__)
  if (level >= 1 && sk_cpu_has_avx2_fma()) {
    backward_avx2(x, y, argmax, dy, dkernel, dbias, g, first, count);
    return;
  }
#endif
  (void)level;
  backward_body(x, y, argmax, dy, dkernel, dbias, g, first, count);
}

void sk_conv_relu_max_pool2d(const float *x, const float *kernel, const float *bias, float *y,
                             unsigned char *argmax, const sk_conv_pool2d *g, long first,
                             long count) {
  sk_conv_relu_max_pool2d_with_level(x, kernel, bias, y, argmax, g, first, count, 1);
}

void sk_conv_relu_max_pool2d_backward(const float *x, const float *y,
                                      const unsigned char *argmax, const float *dy,
                                      float *dkernel, float *dbias, const sk_conv_pool2d *g,
                                      long first, long count) {
  sk_conv_relu_max_pool2d_backward_with_level(x, y, argmax, dy, dkernel, dbias, g, first, count,
                                              1);
}
