// Max pooling over [batch, height, width, channels] images, forward and backward, for a
// range of images at a time (callers split a batch over the cores). Channel loops are
// plain C that the compiler vectorises; an AVX2 build of each is picked at run time.
#include "ckernels.h"
#include "cpu_features.h"

#include <string.h>

#pragma clang fp contract(off)
// Vector values pass between always-inline helpers only, never across an ABI boundary.
#pragma clang diagnostic ignored "-Wpsabi"

#define SK_MAX_CHANNEL_BLOCK 64

// Eight floats as one value, at any alignment; the compiler lowers these to AVX2 or SSE.
typedef float sk_v8 __attribute__((vector_size(32), aligned(4)));
typedef int sk_v8i __attribute__((vector_size(32), aligned(4)));

static inline __attribute__((always_inline)) sk_v8 sk_load8(const float *p) {
  return *(const sk_v8 *)p;
}

static inline __attribute__((always_inline)) void sk_store8(float *p, sk_v8 v) {
  *(sk_v8 *)p = v;
}

static inline __attribute__((always_inline)) void window_bounds(long o, long pool, long stride,
                                                                 long pad, long size, long *start,
                                                                 long *end) {
  long first = o * stride - pad;
  *start = first < 0 ? 0 : first;
  *end = first + pool > size ? size : first + pool;
}

static inline __attribute__((always_inline)) void max_pool_body(const float *x, float *y,
                                                                 const sk_pool2d *g, long first,
                                                                 long count) {
  const long c = g->channels;
  for (long n = first; n < first + count; n++) {
    const float *image = x + n * g->height * g->width * c;
    float *out = y + n * g->out_height * g->out_width * c;
    for (long oh = 0; oh < g->out_height; oh++) {
      long hs, he;
      window_bounds(oh, g->pool_height, g->stride_height, g->pad_top, g->height, &hs, &he);
      for (long ow = 0; ow < g->out_width; ow++, out += c) {
        long ws, we;
        window_bounds(ow, g->pool_width, g->stride_width, g->pad_left, g->width, &ws, &we);
        memcpy(out, image + (hs * g->width + ws) * c, (size_t)c * sizeof(float));
        for (long ih = hs; ih < he; ih++)
          for (long iw = ws; iw < we; iw++) {
            const float *restrict cell = image + (ih * g->width + iw) * c;
            float *restrict running = out;
            // As Swift.max(out, cell): the cell wins when it is >= the running maximum.
            for (long ch = 0; ch < c; ch++)
              running[ch] = cell[ch] >= running[ch] ? cell[ch] : running[ch];
          }
      }
    }
  }
}

static inline __attribute__((always_inline)) void max_pool_backward_body(
    const float *x, const float *y, const float *dy, float *dx, const sk_pool2d *g, long first,
    long count) {
  const long c = g->channels;
  const long image_size = g->height * g->width * c;
  float left[SK_MAX_CHANNEL_BLOCK];
  for (long n = first; n < first + count; n++) {
    const float *image = x + n * image_size;
    float *target = dx + n * image_size;
    // Zeroed image by image, so the scatter below finds it in cache.
    memset(target, 0, (size_t)image_size * sizeof(float));
    long o = n * g->out_height * g->out_width * c;
    for (long oh = 0; oh < g->out_height; oh++) {
      long hs, he;
      window_bounds(oh, g->pool_height, g->stride_height, g->pad_top, g->height, &hs, &he);
      for (long ow = 0; ow < g->out_width; ow++, o += c) {
        long ws, we;
        window_bounds(ow, g->pool_width, g->stride_width, g->pad_left, g->width, &ws, &we);
        // The window's gradient goes to the first cell (in scan order) holding the maximum.
        for (long block = 0; block < c; block += SK_MAX_CHANNEL_BLOCK) {
          long width = c - block < SK_MAX_CHANNEL_BLOCK ? c - block : SK_MAX_CHANNEL_BLOCK;
          const float *maximum = y + o + block;
          memcpy(left, dy + o + block, (size_t)width * sizeof(float));
          for (long ih = hs; ih < he; ih++)
            for (long iw = ws; iw < we; iw++) {
              long offset = (ih * g->width + iw) * c + block;
              const float *cell = image + offset;
              float *t = target + offset;
              long ch = 0;
              // Bit masks rather than selects: compilers turn the selects into masked
              // loads and stores, which AMD processors run slowly.
              for (; ch + 8 <= width; ch += 8) {
                sk_v8 rest = sk_load8(left + ch);
                sk_v8i hit = sk_load8(cell + ch) == sk_load8(maximum + ch);
                sk_store8(t + ch, sk_load8(t + ch) + (sk_v8)((sk_v8i)rest & hit));
                sk_store8(left + ch, (sk_v8)((sk_v8i)rest & ~hit));
              }
              for (; ch < width; ch++) {
                int hit = cell[ch] == maximum[ch];
                t[ch] += hit ? left[ch] : 0.0f;
                left[ch] = hit ? 0.0f : left[ch];
              }
            }
        }
      }
    }
  }
}

#if defined(__x86_64__)
__attribute__((target("avx2"))) static void max_pool_avx2(const float *x, float *y,
                                                           const sk_pool2d *g, long first,
                                                           long count) {
  max_pool_body(x, y, g, first, count);
}

__attribute__((target("avx2"))) static void max_pool_backward_avx2(const float *x,
                                                                    const float *y,
                                                                    const float *dy, float *dx,
                                                                    const sk_pool2d *g,
                                                                    long first, long count) {
  max_pool_backward_body(x, y, dy, dx, g, first, count);
}
#endif

void sk_max_pool2d(const float *x, float *y, const sk_pool2d *g, long first, long count) {
  sk_max_pool2d_with_level(x, y, g, first, count, 1);
}

void sk_max_pool2d_backward(const float *x, const float *y, const float *dy, float *dx,
                            const sk_pool2d *g, long first, long count) {
  sk_max_pool2d_backward_with_level(x, y, dy, dx, g, first, count, 1);
}

void sk_max_pool2d_with_level(const float *x, float *y, const sk_pool2d *g, long first,
                              long count, int level) {
#if defined(__x86_64__)
  if (level > 0 && sk_cpu_has_avx2()) {
    max_pool_avx2(x, y, g, first, count);
    return;
  }
#endif
  max_pool_body(x, y, g, first, count);
}

void sk_max_pool2d_backward_with_level(const float *x, const float *y, const float *dy,
                                       float *dx, const sk_pool2d *g, long first, long count,
                                       int level) {
#if defined(__x86_64__)
  if (level > 0 && sk_cpu_has_avx2()) {
    max_pool_backward_avx2(x, y, dy, dx, g, first, count);
    return;
  }
#endif
  max_pool_backward_body(x, y, dy, dx, g, first, count);
}
