// Winograd's F(2×2, 3×3) and F(4×4, 3×3) for stride-1, undilated 3×3 convolutions of
// [batch, height, width, channels] images: each 2×2 block of outputs ("tile") costs 16
// products per channel and filter instead of 36, each 4×4 block 36 instead of 144. Inputs
// are transformed per tile (additions and a few constant multiples), multiplied by the
// transformed kernel in 16 or 36 small products that stay in cache, and transformed back.
// The backward pass is the exact adjoint of those steps.
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
// One-dimensional transforms of F(m, 3), m = 2 or 4, on `alpha` = m + 2 points, vectors
// `is` and `os` apart. Two-dimensional transforms apply them to the columns, then to the
// rows. Bᵀ takes an input window to its transform, Aᵀ a product back to m outputs, G a
// kernel row of 3 to alpha; their transposes are the backward pass's adjoints.

// Bᵀ. F(2): rows [1 0 -1 0], [0 1 1 0], [0 -1 1 0], [0 1 0 -1]. F(4): rows
// [4 0 -5 0 1 0], [0 -4 -4 1 1 0], [0 4 -4 -1 1 0], [0 -2 -1 2 1 0], [0 2 -1 -2 1 0],
// [0 4 0 -5 0 1].
SK_INLINE void input_1d(const int m, const sk_w16 *d, int is, sk_w16 *o, int os) {
  if (m == 2) {
    sk_w16 d0 = d[0], d1 = d[is], d2 = d[2 * is], d3 = d[3 * is];
    o[0] = d0 - d2;
    o[os] = d1 + d2;
    o[2 * os] = d2 - d1;
    o[3 * os] = d1 - d3;
    return;
  }
  sk_w16 d0 = d[0], d1 = d[is], d2 = d[2 * is], d3 = d[3 * is], d4 = d[4 * is], d5 = d[5 * is];
  const sk_w16 two = w_splat(2), four = w_splat(4), five = w_splat(5);
  o[0] = (four * d0 - five * d2) + d4;
  o[os] = (d3 + d4) - four * (d1 + d2);
  o[2 * os] = (d4 - d3) + four * (d1 - d2);
  o[3 * os] = (d4 - d2) + two * (d3 - d1);
  o[4 * os] = (d4 - d2) - two * (d3 - d1);
  o[5 * os] = (four * d1 - five * d3) + d5;
}

// B, the adjoint of Bᵀ: the input gradient of a window from its transform's gradient.
SK_INLINE void input_adjoint_1d(const int m, const sk_w16 *v, int is, sk_w16 *e, int os) {
  if (m == 2) {
    sk_w16 v0 = v[0], v1 = v[is], v2 = v[2 * is], v3 = v[3 * is];
    e[0] = v0;
    e[os] = (v1 - v2) + v3;
    e[2 * os] = (v1 + v2) - v0;
    e[3 * os] = -v3;
    return;
  }
  sk_w16 v0 = v[0], v1 = v[is], v2 = v[2 * is], v3 = v[3 * is], v4 = v[4 * is], v5 = v[5 * is];
  const sk_w16 two = w_splat(2), four = w_splat(4), five = w_splat(5);
  e[0] = four * v0;
  e[os] = four * ((v2 - v1) + v5) + two * (v4 - v3);
  e[2 * os] = -(five * v0 + four * (v1 + v2) + (v3 + v4));
  e[3 * os] = ((v1 - v2) + two * (v3 - v4)) - five * v5;
  e[4 * os] = (((v0 + v1) + v2) + v3) + v4;
  e[5 * os] = v5;
}

// Aᵀ. F(2): rows [1 1 1 0], [0 1 -1 -1]. F(4): rows [1 1 1 1 1 0], [0 1 -1 2 -2 0],
// [0 1 1 4 4 0], [0 1 -1 8 -8 1].
SK_INLINE void output_1d(const int m, const sk_w16 *v, int is, sk_w16 *o, int os) {
  if (m == 2) {
    sk_w16 m0 = v[0], m1 = v[is], m2 = v[2 * is], m3 = v[3 * is];
    o[0] = (m0 + m1) + m2;
    o[os] = (m1 - m2) - m3;
    return;
  }
  sk_w16 m0 = v[0], m1 = v[is], m2 = v[2 * is], m3 = v[3 * is], m4 = v[4 * is], m5 = v[5 * is];
  sk_w16 sum12 = m1 + m2, diff12 = m1 - m2, sum34 = m3 + m4, diff34 = m3 - m4;
  o[0] = (m0 + sum12) + sum34;
  o[os] = diff12 + w_splat(2) * diff34;
  o[2 * os] = sum12 + w_splat(4) * sum34;
  o[3 * os] = (diff12 + w_splat(8) * diff34) + m5;
}

// A, the adjoint of Aᵀ: a product's gradient from its m outputs' gradients.
SK_INLINE void output_adjoint_1d(const int m, const sk_w16 *d, int is, sk_w16 *w, int os) {
  if (m == 2) {
    sk_w16 d0 = d[0], d1 = d[is];
    w[0] = d0;
    w[os] = d0 + d1;
    w[2 * os] = d0 - d1;
    w[3 * os] = -d1;
    return;
  }
  sk_w16 d0 = d[0], d1 = d[is], d2 = d[2 * is], d3 = d[3 * is];
  sk_w16 even = d0 + d2, odd = d1 + d3;
  sk_w16 even4 = d0 + w_splat(4) * d2, odd2 = w_splat(2) * d1 + w_splat(8) * d3;
  w[0] = d0;
  w[os] = even + odd;
  w[2 * os] = even - odd;
  w[3 * os] = even4 + odd2;
  w[4 * os] = even4 - odd2;
  w[5 * os] = d3;
}

// G. F(2): rows [1 0 0], [½ ½ ½], [½ -½ ½], [0 0 1]. F(4): rows [¼ 0 0],
// [-⅙ -⅙ -⅙], [-⅙ ⅙ -⅙], [1/24 1/12 ⅙], [1/24 -1/12 ⅙], [0 0 1].
SK_INLINE void kernel_1d(const int m, const sk_w16 *g, int is, sk_w16 *u, int os) {
  sk_w16 g0 = g[0], g1 = g[is], g2 = g[2 * is];
  if (m == 2) {
    const sk_w16 half = w_splat(0.5f);
    u[0] = g0;
    u[os] = ((g0 + g1) + g2) * half;
    u[2 * os] = ((g0 - g1) + g2) * half;
    u[3 * os] = g2;
    return;
  }
  const sk_w16 sixth = w_splat(1.0f / 6), quarter = w_splat(0.25f);
  sk_w16 outer = g0 * quarter + g2;
  u[0] = g0 * quarter;
  u[os] = -((g0 + g1) + g2) * sixth;
  u[2 * os] = -((g0 - g1) + g2) * sixth;
  u[3 * os] = (outer + g1 * w_splat(0.5f)) * sixth;
  u[4 * os] = (outer - g1 * w_splat(0.5f)) * sixth;
  u[5 * os] = g2;
}

// Gᵀ, the adjoint of G: a kernel row's gradient from its transform's gradient.
SK_INLINE void kernel_adjoint_1d(const int m, const sk_w16 *u, int is, sk_w16 *k, int os) {
  if (m == 2) {
    const sk_w16 half = w_splat(0.5f);
    sk_w16 u0 = u[0], u1 = u[is], u2 = u[2 * is], u3 = u[3 * is];
    k[0] = u0 + (u1 + u2) * half;
    k[os] = (u1 - u2) * half;
    k[2 * os] = (u1 + u2) * half + u3;
    return;
  }
  const sk_w16 sixth = w_splat(1.0f / 6), quarter = w_splat(0.25f);
  sk_w16 u0 = u[0], u1 = u[is], u2 = u[2 * is], u3 = u[3 * is], u4 = u[4 * is], u5 = u[5 * is];
  sk_w16 outer = (u3 + u4) * sixth, sum12 = (u1 + u2) * sixth;
  k[0] = (u0 + outer) * quarter - sum12;
  k[os] = ((u2 - u1) + (u3 - u4) * w_splat(0.5f)) * sixth;
  k[2 * os] = (outer - sum12) + u5;
}

// ---------------------------------------------------------------------------------------
// Tiles and scratch. A tile is an m×m block of outputs and the alpha×alpha input window
// it reads. Scratch for `count` images of T tiles in all: V (alpha²·T·C transformed
// inputs, and in the backward pass then their gradients dV), M (alpha²·T·F products, or
// transformed output gradients), then a zero row and a sink row of max(C, F) floats each
// for cells outside the image.

SK_INLINE int tile_of(const sk_winograd3x3 *g) { return g->tile == 4 ? 4 : 2; }

SK_INLINE long tiles_of(const int m, const sk_winograd3x3 *g, long count) {
  return count * ((g->out_height + m - 1) / m) * ((g->out_width + m - 1) / m);
}

long sk_winograd_matrices(const sk_winograd3x3 *g) {
  long alpha = tile_of(g) + 2;
  return alpha * alpha;
}

long sk_winograd_scratch_floats(const sk_winograd3x3 *g, long count) {
  long t = tiles_of(tile_of(g), g, count);
  long widest = g->channels > g->filters ? g->channels : g->filters;
  return sk_winograd_matrices(g) * t * (g->channels + g->filters) + 2 * widest;
}

// V's room takes dV in the backward pass: V is no longer needed once dV is computed.
typedef struct {
  float *v, *m, *zeros, *sink;
  long tiles;
} scratch_parts;

SK_INLINE scratch_parts split_scratch(const int m, const sk_winograd3x3 *g, long count,
                                      float *scratch) {
  scratch_parts s;
  const long alpha = m + 2;
  long widest = g->channels > g->filters ? g->channels : g->filters;
  s.tiles = tiles_of(m, g, count);
  s.v = scratch;
  s.m = s.v + alpha * alpha * s.tiles * g->channels;
  s.zeros = s.m + alpha * alpha * s.tiles * g->filters;
  s.sink = s.zeros + widest;
  memset(s.zeros, 0, (size_t)widest * sizeof(float));
  return s;
}

// The alpha×alpha input window of tile (ty, tx) of an image: pointers to its C-float
// cells, `outside` where the window leaves the image (padding).
SK_INLINE void input_window(const int m, float *image, const sk_winograd3x3 *g, long ty, long tx,
                            float *outside, float *cells[36]) {
  const int alpha = m + 2;
  for (int i = 0; i < alpha; i++) {
    long iy = m * ty - g->pad_top + i;
    for (int j = 0; j < alpha; j++) {
      long ix = m * tx - g->pad_left + j;
      int inside = iy >= 0 && iy < g->height && ix >= 0 && ix < g->width;
      cells[i * alpha + j] = inside ? image + (iy * g->width + ix) * g->channels : outside;
    }
  }
}

// The m×m output block of tile (ty, tx) of an image: offsets of its F-float cells, or -1
// past the bottom or right edge.
SK_INLINE void output_block(const int m, const sk_winograd3x3 *g, long ty, long tx,
                            long at[16]) {
  for (int a = 0; a < m; a++)
    for (int b = 0; b < m; b++) {
      long oy = m * ty + a, ox = m * tx + b;
      int inside = oy < g->out_height && ox < g->out_width;
      at[m * a + b] = inside ? (oy * g->out_width + ox) * g->filters : -1;
    }
}

// V = Bᵀ d B for every tile and channel.
SK_INLINE void transform_inputs(const int m, const float *x, const sk_winograd3x3 *g,
                                long first, long count, scratch_parts s) {
  const int alpha = m + 2;
  const long c = g->channels, th = (g->out_height + m - 1) / m, tw = (g->out_width + m - 1) / m;
  const long stride = s.tiles * c;
  long t = 0;
  for (long n = first; n < first + count; n++) {
    for (long ty = 0; ty < th; ty++) {
      for (long tx = 0; tx < tw; tx++, t++) {
        float *d[36];
        // Read only: the image is cast to mutable to share the window code with dx.
        input_window(m, (float *)x + n * g->height * g->width * c, g, ty, tx, s.zeros, d);
        float *out = s.v + t * c;
        for (long k = 0; k < c; k += 16) {
          const long lanes = c - k < 16 ? c - k : 16;
          sk_w16 window[36], r[36], v[36];
          for (int q = 0; q < alpha * alpha; q++) window[q] = w_load_n(d[q] + k, lanes);
          for (int j = 0; j < alpha; j++) input_1d(m, window + j, alpha, r + j, alpha);
          for (int i = 0; i < alpha; i++) input_1d(m, r + alpha * i, 1, v + alpha * i, 1);
          for (int q = 0; q < alpha * alpha; q++) w_store_n(out + q * stride + k, v[q], lanes);
        }
      }
    }
  }
}

// ---------------------------------------------------------------------------------------
// Kernel transforms: u = G g Gᵀ per (channel, filter), [alpha², c, f] from [3, 3, c, f].

void sk_winograd_transform_kernel(const sk_winograd3x3 *g, const float *kernel, float *u) {
  const int m = tile_of(g), alpha = m + 2;
  const long plane = g->channels * g->filters;
  for (long e = 0; e < plane; e += 16) {
    const long lanes = plane - e < 16 ? plane - e : 16;
    sk_w16 k[9], rows[18], value[36];
    for (int i = 0; i < 9; i++) k[i] = w_load_n(kernel + i * plane + e, lanes);
    for (int j = 0; j < 3; j++) kernel_1d(m, k + j, 3, rows + j, 3);
    for (int i = 0; i < alpha; i++) kernel_1d(m, rows + 3 * i, 1, value + alpha * i, 1);
    for (int q = 0; q < alpha * alpha; q++) w_store_n(u + q * plane + e, value[q], lanes);
  }
}

void sk_winograd_transpose_kernel(const sk_winograd3x3 *g, const float *u, float *ut) {
  const long c = g->channels, f = g->filters, plane = c * f;
  for (long xi = 0; xi < sk_winograd_matrices(g); xi++)
    for (long ci = 0; ci < c; ci++)
      for (long fi = 0; fi < f; fi++) ut[xi * plane + fi * c + ci] = u[xi * plane + ci * f + fi];
}

void sk_winograd_kernel_gradient(const sk_winograd3x3 *g, const float *du, float *dkernel) {
  const int m = tile_of(g), alpha = m + 2;
  const long plane = g->channels * g->filters;
  for (long e = 0; e < plane; e += 16) {
    const long lanes = plane - e < 16 ? plane - e : 16;
    sk_w16 gradient[36], q[18], k[9];
    for (int i = 0; i < alpha * alpha; i++) gradient[i] = w_load_n(du + i * plane + e, lanes);
    for (int j = 0; j < alpha; j++) kernel_adjoint_1d(m, gradient + j, alpha, q + j, alpha);
    for (int i = 0; i < 3; i++) kernel_adjoint_1d(m, q + alpha * i, 1, k + 3 * i, 1);
    for (int i = 0; i < 9; i++) w_store_n(dkernel + i * plane + e, k[i], lanes);
  }
}

// ---------------------------------------------------------------------------------------
// Forward: y = Aᵀ [(G g Gᵀ) ⊙ (Bᵀ d B)] A (+ bias, ReLU).

SK_INLINE void forward_body(const int registers, const int m, const float *x, const float *u,
                            const float *bias, int relu, float *y, const sk_winograd3x3 *g,
                            long first, long count, float *scratch) {
  const int alpha = m + 2;
  const long c = g->channels, f = g->filters;
  const long th = (g->out_height + m - 1) / m, tw = (g->out_width + m - 1) / m;
  scratch_parts s = split_scratch(m, g, count, scratch);
  transform_inputs(m, x, g, first, count, s);
  for (long xi = 0; xi < alpha * alpha; xi++)
    small_gemm(registers, s.tiles, f, c, s.v + xi * s.tiles * c, c, 1, u + xi * c * f, f,
               s.m + xi * s.tiles * f, f);
  const long stride = s.tiles * f;
  long t = 0;
  for (long n = first; n < first + count; n++) {
    float *image = y + n * g->out_height * g->out_width * f;
    for (long ty = 0; ty < th; ty++) {
      for (long tx = 0; tx < tw; tx++, t++) {
        float *cells[16];
        long at[16];
        output_block(m, g, ty, tx, at);
        for (int q = 0; q < m * m; q++) cells[q] = at[q] >= 0 ? image + at[q] : s.sink;
        const float *product = s.m + t * f;
        for (long k = 0; k < f; k += 16) {
          const long lanes = f - k < 16 ? f - k : 16;
          sk_w16 v[36], r[24], out[16];
          for (int q = 0; q < alpha * alpha; q++) v[q] = w_load_n(product + q * stride + k, lanes);
          for (int j = 0; j < alpha; j++) output_1d(m, v + j, alpha, r + j, alpha);
          for (int a = 0; a < m; a++) output_1d(m, r + alpha * a, 1, out + m * a, 1);
          sk_w16 offset = bias ? w_load_n(bias + k, lanes) : w_splat(0);
          for (int q = 0; q < m * m; q++) {
            sk_w16 value = out[q];
            if (bias) value = value + offset;
            if (relu) value = w_relu(value);
            w_store_n(cells[q] + k, value, lanes);
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

SK_INLINE void backward_body(const int registers, const int m, const float *x, const float *y,
                             const float *dy, const float *ut, float *dx, float *du,
                             float *dbias, const sk_winograd3x3 *g, long first, long count,
                             float *scratch) {
  const int alpha = m + 2;
  const long c = g->channels, f = g->filters;
  const long th = (g->out_height + m - 1) / m, tw = (g->out_width + m - 1) / m;
  scratch_parts s = split_scratch(m, g, count, scratch);
  const long wstride = s.tiles * f;
  const long out_size = g->out_height * g->out_width * f;
  if (dbias) memset(dbias, 0, (size_t)f * sizeof(float));
  long t = 0;
  for (long n = first; n < first + count; n++) {
    const float *image = dy + n * out_size;
    const float *outputs = y ? y + n * out_size : NULL;
    for (long ty = 0; ty < th; ty++) {
      for (long tx = 0; tx < tw; tx++, t++) {
        const float *cells[16], *values[16];
        long at[16];
        output_block(m, g, ty, tx, at);
        for (int q = 0; q < m * m; q++) {
          cells[q] = at[q] >= 0 ? image + at[q] : s.zeros;
          values[q] = at[q] >= 0 && outputs ? outputs + at[q] : s.zeros;
        }
        float *w = s.m + t * f;
        for (long k = 0; k < f; k += 16) {
          const long lanes = f - k < 16 ? f - k : 16;
          sk_w16 d[16], r[24], v[36];
          for (int q = 0; q < m * m; q++) {
            d[q] = w_load_n(cells[q] + k, lanes);
            // ReLU passes the gradient only where its output is positive.
            if (y) d[q] = (sk_w16)((sk_w16i)d[q] & (w_load_n(values[q] + k, lanes) > w_splat(0)));
          }
          if (dbias) {
            sk_w16 sum = w_load_n(dbias + k, lanes);
            for (int q = 0; q < m * m; q++) sum = sum + d[q];
            w_store_n(dbias + k, sum, lanes);
          }
          for (int b = 0; b < m; b++) output_adjoint_1d(m, d + b, m, r + b, m);
          for (int i = 0; i < alpha; i++) output_adjoint_1d(m, r + m * i, 1, v + alpha * i, 1);
          for (int q = 0; q < alpha * alpha; q++) w_store_n(w + q * wstride + k, v[q], lanes);
        }
      }
    }
  }
  if (du) {
    transform_inputs(m, x, g, first, count, s);
    for (long xi = 0; xi < alpha * alpha; xi++)
      small_gemm(registers, c, f, s.tiles, s.v + xi * s.tiles * c, 1, c,
                 s.m + xi * s.tiles * f, f, du + xi * c * f, f);
  }
  if (!dx) return;
  for (long xi = 0; xi < alpha * alpha; xi++)
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
        float *cells[36];
        input_window(m, image, g, ty, tx, s.sink, cells);
        const float *dv = s.v + t * c;
        for (long k = 0; k < c; k += 16) {
          const long lanes = c - k < 16 ? c - k : 16;
          sk_w16 v[36], r[36], e[36];
          for (int q = 0; q < alpha * alpha; q++) v[q] = w_load_n(dv + q * vstride + k, lanes);
          for (int j = 0; j < alpha; j++) input_adjoint_1d(m, v + j, alpha, r + j, alpha);
          for (int i = 0; i < alpha; i++) input_adjoint_1d(m, r + alpha * i, 1, e + alpha * i, 1);
          for (int q = 0; q < alpha * alpha; q++) {
            float *cell = cells[q] + k;
            w_store_n(cell, w_load_n(cell, lanes) + e[q], lanes);
          }
        }
      }
    }
  }
}

// ---------------------------------------------------------------------------------------
// Versions and dispatch. Each version compiles both tile sizes (the tile is a constant in
// the bodies, so their small loops unroll) and picks the convolution's at run time.

SK_INLINE void forward_tiles(const int registers, const float *x, const float *u,
                             const float *bias, int relu, float *y, const sk_winograd3x3 *g,
                             long first, long count, float *scratch) {
  if (tile_of(g) == 4)
    forward_body(registers, 4, x, u, bias, relu, y, g, first, count, scratch);
  else
    forward_body(registers, 2, x, u, bias, relu, y, g, first, count, scratch);
}

SK_INLINE void backward_tiles(const int registers, const float *x, const float *y,
                              const float *dy, const float *ut, float *dx, float *du,
                              float *dbias, const sk_winograd3x3 *g, long first, long count,
                              float *scratch) {
  if (tile_of(g) == 4)
    backward_body(registers, 4, x, y, dy, ut, dx, du, dbias, g, first, count, scratch);
  else
    backward_body(registers, 2, x, y, dy, ut, dx, du, dbias, g, first, count, scratch);
}

static void forward_portable(const float *x, const float *u, const float *bias, int relu,
                             float *y, const sk_winograd3x3 *g, long first, long count,
                             float *scratch) {
  forward_tiles(32, x, u, bias, relu, y, g, first, count, scratch);
}

static void backward_portable(const float *x, const float *y, const float *dy, const float *ut,
                              float *dx, float *du, float *dbias, const sk_winograd3x3 *g,
                              long first, long count, float *scratch) {
  backward_tiles(32, x, y, dy, ut, dx, du, dbias, g, first, count, scratch);
}

#if defined(__x86_64__)
__attribute__((target("avx2,fma"))) static void forward_avx2(const float *x, const float *u,
                                                        const float *bias, int relu, float *y,
                                                        const sk_winograd3x3 *g, long first,
                                                        long count, float *scratch) {
  forward_tiles(16, x, u, bias, relu, y, g, first, count, scratch);
}

__attribute__((target("avx2,fma"))) static void backward_avx2(
    const float *x, const float *y, const float *dy, const float *ut, float *dx, float *du,
    float *dbias, const sk_winograd3x3 *g, long first, long count, float *scratch) {
  backward_tiles(16, x, y, dy, ut, dx, du, dbias, g, first, count, scratch);
}

__attribute__((target("avx512f,fma"))) static void forward_avx512(const float *x, const float *u,
                                                             const float *bias, int relu,
                                                             float *y, const sk_winograd3x3 *g,
                                                             long first, long count,
                                                             float *scratch) {
  forward_tiles(32, x, u, bias, relu, y, g, first, count, scratch);
}

__attribute__((target("avx512f,fma"))) static void backward_avx512(
    const float *x, const float *y, const float *dy, const float *ut, float *dx, float *du,
    float *dbias, const sk_winograd3x3 *g, long first, long count, float *scratch) {
  backward_tiles(32, x, y, dy, ut, dx, du, dbias, g, first, count, scratch);
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
