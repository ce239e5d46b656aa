// Winograd's F(2×2, 3×3) for stride-1, undilated 3×3 convolutions of [batch, height,
// width, channels] images: each 2×2 block of outputs ("tile") costs 16 products per
// channel and filter instead of 36. Inputs are transformed per tile (additions only),
// multiplied by the transformed kernel in 16 small products that stay in cache, and
// transformed back. The backward pass is the exact adjoint of those steps.
//
// Every version (AVX-512, AVX2 + FMA, portable) runs one body: products accumulate with
// fused multiply-adds (a library call per lane in the portable version, which the Swift side
// only picks when forced), additions elsewhere round separately, so they give the same bits.
#include "ckernels.h"
#include "cpu_features.h"

#include <string.h>

#pragma clang fp contract(off)
// Vector values pass between always-inline helpers only, never across an ABI boundary.
#pragma clang diagnostic ignored "-Wpsabi"

#define SK_INLINE static inline __attribute__((always_inline))

typedef float sk_w16 __attribute__((vector_size(64), aligned(4)));

SK_INLINE sk_w16 w_load(const float *p) {
  sk_w16 v;
  memcpy(&v, p, sizeof v);
  return v;
}

SK_INLINE void w_store(float *p, sk_w16 v) { memcpy(p, &v, sizeof v); }

SK_INLINE sk_w16 w_splat(float x) {
  return (sk_w16){x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x};
}

typedef int sk_w16i __attribute__((vector_size(64), aligned(4)));

// The first `n` (≤ 16) floats at p, zeros after: channel counts need not be multiples of 16.
SK_INLINE sk_w16 w_load_n(const float *p, long n) {
  if (n == 16) return w_load(p);
  float t[16] = {0};
  memcpy(t, p, (size_t)n * sizeof(float));
  return w_load(t);
}

SK_INLINE void w_store_n(float *p, sk_w16 v, long n) {
  if (n == 16) {
    w_store(p, v);
    return;
  }
  float t[16];
  w_store(t, v);
  memcpy(p, t, (size_t)n * sizeof(float));
}

// Column j of a 4×4 tile stored as 16 matrices `stride` floats apart: elements j, 4 + j,
// 8 + j and 12 + j, `lanes` channels each.
SK_INLINE void load_column(const float *p, long stride, int j, long lanes, sk_w16 v[4]) {
  for (int i = 0; i < 4; i++) v[i] = w_load_n(p + (4 * i + j) * stride, lanes);
}

// max(v, 0) lane by lane, as +0 for every value not above 0.
SK_INLINE sk_w16 w_relu(sk_w16 v) { return (sk_w16)((sk_w16i)v & (v > w_splat(0))); }

// ---------------------------------------------------------------------------------------
// Small products: c[m×n] = Σ_p a(i, p)·b[p×n], a(i, p) = a[i·ars + p·acs], b and c
// row-major. Register tiles of R rows by NV·16 columns; sums run over p in order, so every
// tile shape gives the same bits.

SK_INLINE void gemm_tile(const int R, const int NV, long k, const float *a, long ars, long acs,
                         const float *b, long ldb, float *c, long ldc) {
  sk_w16 acc[12][4];
#pragma clang loop unroll(full)
  for (int r = 0; r < R; r++)
#pragma clang loop unroll(full)
    for (int v = 0; v < NV; v++) acc[r][v] = w_splat(0);
  for (long p = 0; p < k; p++) {
    const float *row = b + p * ldb;
    sk_w16 bv[4];
#pragma clang loop unroll(full)
    for (int v = 0; v < NV; v++) bv[v] = w_load(row + 16 * v);
    const float *column = a + p * acs;
#pragma clang loop unroll(full)
    for (int r = 0; r < R; r++) {
      sk_w16 av = w_splat(column[r * ars]);
#pragma clang loop unroll(full)
      for (int v = 0; v < NV; v++) acc[r][v] = __builtin_elementwise_fma(av, bv[v], acc[r][v]);
    }
  }
#pragma clang loop unroll(full)
  for (int r = 0; r < R; r++)
#pragma clang loop unroll(full)
    for (int v = 0; v < NV; v++) w_store(c + r * ldc + 16 * v, acc[r][v]);
}

// Rows of one column block: blocks of R, then 4, 2 and 1 for the rest.
SK_INLINE void gemm_rows(const int R, const int NV, long m, long k, const float *a, long ars,
                         long acs, const float *b, long ldb, float *c, long ldc) {
  long i = 0;
  for (; i + R <= m; i += R) gemm_tile(R, NV, k, a + i * ars, ars, acs, b, ldb, c + i * ldc, ldc);
  for (; i + 4 <= m; i += 4) gemm_tile(4, NV, k, a + i * ars, ars, acs, b, ldb, c + i * ldc, ldc);
  for (; i + 2 <= m; i += 2) gemm_tile(2, NV, k, a + i * ars, ars, acs, b, ldb, c + i * ldc, ldc);
  if (i < m) gemm_tile(1, NV, k, a + i * ars, ars, acs, b, ldb, c + i * ldc, ldc);
}

// `registers` is the version's count of vector registers: with 32 (AVX-512, one 16-float
// vector each) tiles hold up to 24 accumulators; with 16 (AVX2, two per 16 floats) the
// tile is 6 rows by 16 columns, 12 registers of sums, as larger ones spill to the stack.
SK_INLINE void small_gemm(const int registers, long m, long n, long k, const float *a, long ars,
                          long acs, const float *b, long ldb, float *c, long ldc) {
  long j = 0;
  if (registers >= 32) {
    for (; j + 64 <= n; j += 64) gemm_rows(6, 4, m, k, a, ars, acs, b + j, ldb, c + j, ldc);
    for (; j + 32 <= n; j += 32) gemm_rows(12, 2, m, k, a, ars, acs, b + j, ldb, c + j, ldc);
    for (; j + 16 <= n; j += 16) gemm_rows(12, 1, m, k, a, ars, acs, b + j, ldb, c + j, ldc);
  } else {
    for (; j + 16 <= n; j += 16) gemm_rows(6, 1, m, k, a, ars, acs, b + j, ldb, c + j, ldc);
  }
  for (; j < n; j++) {
    for (long i = 0; i < m; i++) {
      float sum = 0;
      for (long p = 0; p < k; p++) sum = sum + a[i * ars + p * acs] * b[p * ldb + j];
      c[i * ldc + j] = sum;
    }
  }
}

// ---------------------------------------------------------------------------------------
// Scratch layout for `count` images of T tiles in all: V (16·T·C transformed inputs, and
// in the backward pass then their gradients dV), M (16·T·F products, or transformed output
// gradients), then a zero row and a sink row of max(C, F) floats each for cells outside the
// image.

SK_INLINE long tiles_of(const sk_winograd3x3 *g, long count) {
  return count * ((g->out_height + 1) / 2) * ((g->out_width + 1) / 2);
}

long sk_winograd_scratch_floats(const sk_winograd3x3 *g, long count) {
  long t = tiles_of(g, count);
  long widest = g->channels > g->filters ? g->channels : g->filters;
  return 16 * t * (g->channels + g->filters) + 2 * widest;
}

// V's room takes dV in the backward pass: V is no longer needed once dV is computed.
typedef struct {
  float *v, *m, *zeros, *sink;
  long tiles;
} scratch_parts;

SK_INLINE scratch_parts split_scratch(const sk_winograd3x3 *g, long count, float *scratch) {
  scratch_parts s;
  long widest = g->channels > g->filters ? g->channels : g->filters;
  s.tiles = tiles_of(g, count);
  s.v = scratch;
  s.m = s.v + 16 * s.tiles * g->channels;
  s.zeros = s.m + 16 * s.tiles * g->filters;
  s.sink = s.zeros + widest;
  memset(s.zeros, 0, (size_t)widest * sizeof(float));
  return s;
}

// The 4×4 input window of tile (ty, tx) of an image: 16 pointers to its C-float cells,
// `outside` where the window leaves the image (padding).
SK_INLINE void input_window(float *image, const sk_winograd3x3 *g, long ty, long tx,
                            float *outside, float *cells[16]) {
  for (int i = 0; i < 4; i++) {
    long iy = 2 * ty - g->pad_top + i;
    for (int j = 0; j < 4; j++) {
      long ix = 2 * tx - g->pad_left + j;
      int inside = iy >= 0 && iy < g->height && ix >= 0 && ix < g->width;
      cells[i * 4 + j] = inside ? image + (iy * g->width + ix) * g->channels : outside;
    }
  }
}

// The 2×2 output block of tile (ty, tx) of an image: 4 offsets of its F-float cells, or -1
// past the bottom or right edge.
SK_INLINE void output_block(const sk_winograd3x3 *g, long ty, long tx, long at[4]) {
  for (int a = 0; a < 2; a++)
    for (int b = 0; b < 2; b++) {
      long oy = 2 * ty + a, ox = 2 * tx + b;
      int inside = oy < g->out_height && ox < g->out_width;
      at[2 * a + b] = inside ? (oy * g->out_width + ox) * g->filters : -1;
    }
}

// V = Bᵀ d B for every tile and channel (Bᵀ rows: [1 0 -1 0], [0 1 1 0], [0 -1 1 0],
// [0 1 0 -1]).
SK_INLINE void transform_inputs(const float *x, const sk_winograd3x3 *g, long first, long count,
                                scratch_parts s) {
  const long c = g->channels, th = (g->out_height + 1) / 2, tw = (g->out_width + 1) / 2;
  long t = 0;
  for (long n = first; n < first + count; n++) {
    for (long ty = 0; ty < th; ty++) {
      for (long tx = 0; tx < tw; tx++, t++) {
        float *d[16];
        // Read only: the image is cast to mutable to share the window code with dx.
        input_window((float *)x + n * g->height * g->width * c, g, ty, tx, s.zeros, d);
        float *out = s.v + t * c;
        const long stride = s.tiles * c;
        for (long k = 0; k < c; k += 16) {
          const long lanes = c - k < 16 ? c - k : 16;
          sk_w16 r[16];
          for (int j = 0; j < 4; j++) {
            sk_w16 d0 = w_load_n(d[j] + k, lanes), d1 = w_load_n(d[4 + j] + k, lanes);
            sk_w16 d2 = w_load_n(d[8 + j] + k, lanes), d3 = w_load_n(d[12 + j] + k, lanes);
            r[j] = d0 - d2;
            r[4 + j] = d1 + d2;
            r[8 + j] = d2 - d1;
            r[12 + j] = d1 - d3;
          }
          for (int i = 0; i < 4; i++) {
            sk_w16 r0 = r[4 * i], r1 = r[4 * i + 1], r2 = r[4 * i + 2], r3 = r[4 * i + 3];
            w_store_n(out + (4 * i + 0) * stride + k, r0 - r2, lanes);
            w_store_n(out + (4 * i + 1) * stride + k, r1 + r2, lanes);
            w_store_n(out + (4 * i + 2) * stride + k, r2 - r1, lanes);
            w_store_n(out + (4 * i + 3) * stride + k, r1 - r3, lanes);
          }
        }
      }
    }
  }
}

// ---------------------------------------------------------------------------------------
// Kernel transforms.

void sk_winograd_transform_kernel(const float *kernel, float *u, long c, long f) {
  const long plane = c * f;
  const sk_w16 half = w_splat(0.5f);
  for (long e = 0; e < plane; e += 16) {
    const long lanes = plane - e < 16 ? plane - e : 16;
    sk_w16 k[9], rows[12];
    for (int i = 0; i < 9; i++) k[i] = w_load_n(kernel + i * plane + e, lanes);
    // G g with G rows [1 0 0], [½ ½ ½], [½ -½ ½], [0 0 1].
    for (int j = 0; j < 3; j++) {
      sk_w16 g0 = k[j], g1 = k[3 + j], g2 = k[6 + j];
      rows[j] = g0;
      rows[3 + j] = ((g0 + g1) + g2) * half;
      rows[6 + j] = ((g0 - g1) + g2) * half;
      rows[9 + j] = g2;
    }
    for (int i = 0; i < 4; i++) {
      sk_w16 g0 = rows[3 * i], g1 = rows[3 * i + 1], g2 = rows[3 * i + 2];
      sk_w16 value[4] = {g0, ((g0 + g1) + g2) * half, ((g0 - g1) + g2) * half, g2};
      for (int j = 0; j < 4; j++) w_store_n(u + (4 * i + j) * plane + e, value[j], lanes);
    }
  }
}

void sk_winograd_transpose_kernel(const float *u, float *ut, long c, long f) {
  const long plane = c * f;
  for (long xi = 0; xi < 16; xi++)
    for (long ci = 0; ci < c; ci++)
      for (long fi = 0; fi < f; fi++) ut[xi * plane + fi * c + ci] = u[xi * plane + ci * f + fi];
}

void sk_winograd_kernel_gradient(const float *du, float *dkernel, long c, long f) {
  const long plane = c * f;
  const sk_w16 half = w_splat(0.5f);
  for (long e = 0; e < plane; e += 16) {
    const long lanes = plane - e < 16 ? plane - e : 16;
    sk_w16 q[12];
    // Gᵀ dU G with Gᵀ rows [1 ½ ½ 0], [0 ½ -½ 0], [0 ½ ½ 1].
    for (int j = 0; j < 4; j++) {
      sk_w16 u[4];
      load_column(du + e, plane, j, lanes, u);
      sk_w16 u0 = u[0], u1 = u[1], u2 = u[2], u3 = u[3];
      q[j] = u0 + (u1 + u2) * half;
      q[4 + j] = (u1 - u2) * half;
      q[8 + j] = (u1 + u2) * half + u3;
    }
    for (int i = 0; i < 3; i++) {
      sk_w16 u0 = q[4 * i], u1 = q[4 * i + 1], u2 = q[4 * i + 2], u3 = q[4 * i + 3];
      w_store_n(dkernel + (3 * i + 0) * plane + e, u0 + (u1 + u2) * half, lanes);
      w_store_n(dkernel + (3 * i + 1) * plane + e, (u1 - u2) * half, lanes);
      w_store_n(dkernel + (3 * i + 2) * plane + e, (u1 + u2) * half + u3, lanes);
    }
  }
}

// ---------------------------------------------------------------------------------------
// Forward: y = Aᵀ [(G g Gᵀ) ⊙ (Bᵀ d B)] A (+ bias, ReLU), Aᵀ rows [1 1 1 0], [0 1 -1 -1].

SK_INLINE void forward_body(const int registers, const float *x, const float *u,
                            const float *bias, int relu, float *y, const sk_winograd3x3 *g,
                            long first, long count, float *scratch) {
  const long c = g->channels, f = g->filters;
  const long th = (g->out_height + 1) / 2, tw = (g->out_width + 1) / 2;
  scratch_parts s = split_scratch(g, count, scratch);
  transform_inputs(x, g, first, count, s);
  for (long xi = 0; xi < 16; xi++)
    small_gemm(registers, s.tiles, f, c, s.v + xi * s.tiles * c, c, 1, u + xi * c * f, f,
               s.m + xi * s.tiles * f, f);
  const long stride = s.tiles * f;
  long t = 0;
  for (long n = first; n < first + count; n++) {
    float *image = y + n * g->out_height * g->out_width * f;
    for (long ty = 0; ty < th; ty++) {
      for (long tx = 0; tx < tw; tx++, t++) {
        float *cells[4];
        long at[4];
        output_block(g, ty, tx, at);
        for (int q = 0; q < 4; q++) cells[q] = at[q] >= 0 ? image + at[q] : s.sink;
        const float *m = s.m + t * f;
        for (long k = 0; k < f; k += 16) {
          const long lanes = f - k < 16 ? f - k : 16;
          sk_w16 r[8];
          for (int j = 0; j < 4; j++) {
            sk_w16 v[4];
            load_column(m + k, stride, j, lanes, v);
            sk_w16 m0 = v[0], m1 = v[1], m2 = v[2], m3 = v[3];
            r[j] = (m0 + m1) + m2;
            r[4 + j] = (m1 - m2) - m3;
          }
          sk_w16 offset = bias ? w_load_n(bias + k, lanes) : w_splat(0);
          for (int a = 0; a < 2; a++) {
            sk_w16 v0 = (r[4 * a] + r[4 * a + 1]) + r[4 * a + 2];
            sk_w16 v1 = (r[4 * a + 1] - r[4 * a + 2]) - r[4 * a + 3];
            if (bias) {
              v0 = v0 + offset;
              v1 = v1 + offset;
            }
            if (relu) {
              v0 = w_relu(v0);
              v1 = w_relu(v1);
            }
            w_store_n(cells[2 * a] + k, v0, lanes);
            w_store_n(cells[2 * a + 1] + k, v1, lanes);
          }
        }
      }
    }
  }
}

// ---------------------------------------------------------------------------------------
// Backward, given the output gradient dy (masked where the output y of a fused ReLU is not
// positive): W = A dy Aᵀ per tile, dU = Σ_tiles Vᵀ W (the kernel gradient before Gᵀ · G),
// dV = W Uᵀ, dx = Σ_tiles B dV Bᵀ, and the bias gradient Σ dy tile by tile.

SK_INLINE void backward_body(const int registers, const float *x, const float *y,
                             const float *dy, const float *ut, float *dx, float *du,
                             float *dbias, const sk_winograd3x3 *g, long first, long count,
                             float *scratch) {
  const long c = g->channels, f = g->filters;
  const long th = (g->out_height + 1) / 2, tw = (g->out_width + 1) / 2;
  scratch_parts s = split_scratch(g, count, scratch);
  const long wstride = s.tiles * f;
  const long out_size = g->out_height * g->out_width * f;
  if (dbias) memset(dbias, 0, (size_t)f * sizeof(float));
  long t = 0;
  for (long n = first; n < first + count; n++) {
    const float *image = dy + n * out_size;
    const float *outputs = y ? y + n * out_size : NULL;
    for (long ty = 0; ty < th; ty++) {
      for (long tx = 0; tx < tw; tx++, t++) {
        const float *cells[4], *values[4];
        long at[4];
        output_block(g, ty, tx, at);
        for (int q = 0; q < 4; q++) {
          cells[q] = at[q] >= 0 ? image + at[q] : s.zeros;
          values[q] = at[q] >= 0 && outputs ? outputs + at[q] : s.zeros;
        }
        float *w = s.m + t * f;
        for (long k = 0; k < f; k += 16) {
          const long lanes = f - k < 16 ? f - k : 16;
          sk_w16 d[4];
          for (int q = 0; q < 4; q++) {
            d[q] = w_load_n(cells[q] + k, lanes);
            // ReLU passes the gradient only where its output is positive.
            if (y) d[q] = (sk_w16)((sk_w16i)d[q] & (w_load_n(values[q] + k, lanes) > w_splat(0)));
          }
          if (dbias) {
            sk_w16 sum = w_load_n(dbias + k, lanes);
            for (int q = 0; q < 4; q++) sum = sum + d[q];
            w_store_n(dbias + k, sum, lanes);
          }
          // A rows [1 0], [1 1], [1 -1], [0 -1], on rows then on columns.
          sk_w16 r[8];
          for (int b = 0; b < 2; b++) {
            sk_w16 d0 = d[b], d1 = d[2 + b];
            r[b] = d0;
            r[2 + b] = d0 + d1;
            r[4 + b] = d0 - d1;
            r[6 + b] = -d1;
          }
          for (int i = 0; i < 4; i++) {
            sk_w16 d0 = r[2 * i], d1 = r[2 * i + 1];
            w_store_n(w + (4 * i + 0) * wstride + k, d0, lanes);
            w_store_n(w + (4 * i + 1) * wstride + k, d0 + d1, lanes);
            w_store_n(w + (4 * i + 2) * wstride + k, d0 - d1, lanes);
            w_store_n(w + (4 * i + 3) * wstride + k, -d1, lanes);
          }
        }
      }
    }
  }
  if (du) {
    transform_inputs(x, g, first, count, s);
    for (long xi = 0; xi < 16; xi++)
      small_gemm(registers, c, f, s.tiles, s.v + xi * s.tiles * c, 1, c,
                 s.m + xi * s.tiles * f, f, du + xi * c * f, f);
  }
  if (!dx) return;
  for (long xi = 0; xi < 16; xi++)
    small_gemm(registers, s.tiles, c, f, s.m + xi * s.tiles * f, f, 1, ut + xi * c * f, c,
               s.v + xi * s.tiles * c, c);
  const long image_size = g->height * g->width * c;
  memset(dx + first * image_size, 0, (size_t)(count * image_size) * sizeof(float));
  const long vstride = s.tiles * c;
  t = 0;
  for (long n = first; n < first + count; n++) {
    float *image = dx + n * image_size;
    for (long ty = 0; ty < th; ty++) {
      for (long tx = 0; tx < tw; tx++, t++) {
        float *cells[16];
        input_window(image, g, ty, tx, s.sink, cells);
        const float *dv = s.v + t * c;
        for (long k = 0; k < c; k += 16) {
          const long lanes = c - k < 16 ? c - k : 16;
          // B rows [1 0 0 0], [0 1 -1 1], [-1 1 1 0], [0 0 0 -1], on rows then columns.
          sk_w16 r[16];
          for (int j = 0; j < 4; j++) {
            sk_w16 v[4];
            load_column(dv + k, vstride, j, lanes, v);
            sk_w16 v0 = v[0], v1 = v[1], v2 = v[2], v3 = v[3];
            r[j] = v0;
            r[4 + j] = (v1 - v2) + v3;
            r[8 + j] = (v1 + v2) - v0;
            r[12 + j] = -v3;
          }
          for (int i = 0; i < 4; i++) {
            sk_w16 v0 = r[4 * i], v1 = r[4 * i + 1], v2 = r[4 * i + 2], v3 = r[4 * i + 3];
            sk_w16 e[4] = {v0, (v1 - v2) + v3, (v1 + v2) - v0, -v3};
            for (int j = 0; j < 4; j++) {
              float *cell = cells[4 * i + j] + k;
              w_store_n(cell, w_load_n(cell, lanes) + e[j], lanes);
            }
          }
        }
      }
    }
  }
}

// ---------------------------------------------------------------------------------------
// Versions and dispatch.

static void forward_portable(const float *x, const float *u, const float *bias, int relu,
                             float *y, const sk_winograd3x3 *g, long first, long count,
                             float *scratch) {
  forward_body(32, x, u, bias, relu, y, g, first, count, scratch);
}

static void backward_portable(const float *x, const float *y, const float *dy, const float *ut,
                              float *dx, float *du, float *dbias, const sk_winograd3x3 *g,
                              long first, long count, float *scratch) {
  backward_body(32, x, y, dy, ut, dx, du, dbias, g, first, count, scratch);
}

#if defined(__x86_64__)
__attribute__((target("avx2,fma"))) static void forward_avx2(const float *x, const float *u,
                                                        const float *bias, int relu, float *y,
                                                        const sk_winograd3x3 *g, long first,
                                                        long count, float *scratch) {
  forward_body(16, x, u, bias, relu, y, g, first, count, scratch);
}

__attribute__((target("avx2,fma"))) static void backward_avx2(
    const float *x, const float *y, const float *dy, const float *ut, float *dx, float *du,
    float *dbias, const sk_winograd3x3 *g, long first, long count, float *scratch) {
  backward_body(16, x, y, dy, ut, dx, du, dbias, g, first, count, scratch);
}

__attribute__((target("avx512f,fma"))) static void forward_avx512(const float *x, const float *u,
                                                             const float *bias, int relu,
                                                             float *y, const sk_winograd3x3 *g,
                                                             long first, long count,
                                                             float *scratch) {
  forward_body(32, x, u, bias, relu, y, g, first, count, scratch);
}

__attribute__((target("avx512f,fma"))) static void backward_avx512(
    const float *x, const float *y, const float *dy, const float *ut, float *dx, float *du,
    float *dbias, const sk_winograd3x3 *g, long first, long count, float *scratch) {
  backward_body(32, x, y, dy, ut, dx, du, dbias, g, first, count, scratch);
}
#endif

void sk_winograd_forward_with_level(const float *x, const float *u, const float *bias, int relu,
                                    float *y, const sk_winograd3x3 *g, long first, long count,
                                    float *scratch, int level) {
#if defined(__x86_64__)
  if (level >= 2 && sk_cpu_has_avx512f()) {
    forward_avx512(x, u, bias, relu, y, g, first, count, scratch);
    return;
  }
  if (level >= 1 && sk_cpu_has_avx2_fma()) {
    forward_avx2(x, u, bias, relu, y, g, first, count, scratch);
    return;
  }
#endif
  (void)level;
  forward_portable(x, u, bias, relu, y, g, first, count, scratch);
}

void sk_winograd_backward_with_level(const float *x, const float *y, const float *dy,
                                     const float *ut, float *dx, float *du, float *dbias,
                                     const sk_winograd3x3 *g, long first, long count,
                                     float *scratch, int level) {
#if defined(__x86_64__)
  if (level >= 2 && sk_cpu_has_avx512f()) {
    backward_avx512(x, y, dy, ut, dx, du, dbias, g, first, count, scratch);
    return;
  }
  if (level >= 1 && sk_cpu_has_avx2_fma()) {
    backward_avx2(x, y, dy, ut, dx, du, dbias, g, first, count, scratch);
    return;
  }
#endif
  (void)level;
  backward_portable(x, y, dy, ut, dx, du, dbias, g, first, count, scratch);
}

void sk_winograd_forward(const float *x, const float *u, const float *bias, int relu, float *y,
                         const sk_winograd3x3 *g, long first, long count, float *scratch) {
  sk_winograd_forward_with_level(x, u, bias, relu, y, g, first, count, scratch, 2);
}

void sk_winograd_backward(const float *x, const float *y, const float *dy, const float *ut,
                          float *dx, float *du, float *dbias, const sk_winograd3x3 *g, long first,
                          long count, float *scratch) {
  sk_winograd_backward_with_level(x, y, dy, ut, dx, du, dbias, g, first, count, scratch, 2);
}
