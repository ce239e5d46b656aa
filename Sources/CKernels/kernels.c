#include "ckernels.h"
#include "cpu_features.h"

#include <math.h>
#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>
#define SK_X86 1
#endif

// Keep separate multiply and add roundings so every path computes the same bits.
#pragma clang fp contract(off)

// Sixteen floats as one value at any alignment: one zmm register with AVX-512, two ymm
// with AVX2, four xmm otherwise. One body serves every version of a kernel below, so they
// all perform the same operations in the same order.
typedef float sk_f16 __attribute__((vector_size(64), aligned(4)));

// Vector values pass between always-inline helpers only, never across an ABI boundary.
#pragma clang diagnostic ignored "-Wpsabi"

static inline __attribute__((always_inline)) sk_f16 sk_splat16(float x) {
  return (sk_f16){x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x};
}

// m += (g - m)·b1; v += (g² - v)·b2; w -= (m·alpha) / (√v + eps), two vectors per
// iteration so the square root and division of one overlap the loads of the other.
static inline __attribute__((always_inline)) void adam_body(float *w, float *m, float *v,
                                                             const float *g, size_t n,
                                                             float alpha, float b1, float b2,
                                                             float eps) {
  const sk_f16 va = sk_splat16(alpha), vb1 = sk_splat16(b1), vb2 = sk_splat16(b2),
               ve = sk_splat16(eps);
  size_t i = 0;
  for (; i + 32 <= n; i += 32) {
    sk_f16 g0 = *(const sk_f16 *)(g + i), g1 = *(const sk_f16 *)(g + i + 16);
    sk_f16 m0 = *(sk_f16 *)(m + i), m1 = *(sk_f16 *)(m + i + 16);
    sk_f16 v0 = *(sk_f16 *)(v + i), v1 = *(sk_f16 *)(v + i + 16);
    m0 = m0 + (g0 - m0) * vb1;
    m1 = m1 + (g1 - m1) * vb1;
    v0 = v0 + (g0 * g0 - v0) * vb2;
    v1 = v1 + (g1 * g1 - v1) * vb2;
    *(sk_f16 *)(m + i) = m0;
    *(sk_f16 *)(m + i + 16) = m1;
    *(sk_f16 *)(v + i) = v0;
    *(sk_f16 *)(v + i + 16) = v1;
    sk_f16 s0 = (m0 * va) / (__builtin_elementwise_sqrt(v0) + ve);
    sk_f16 s1 = (m1 * va) / (__builtin_elementwise_sqrt(v1) + ve);
    *(sk_f16 *)(w + i) = *(sk_f16 *)(w + i) - s0;
    *(sk_f16 *)(w + i + 16) = *(sk_f16 *)(w + i + 16) - s1;
  }
  for (; i < n; i++) {
    float mi = m[i] + (g[i] - m[i]) * b1;
    float vi = v[i] + (g[i] * g[i] - v[i]) * b2;
    m[i] = mi;
    v[i] = vi;
    // The elementwise builtin is the bare instruction: no errno path as in sqrtf.
    w[i] = w[i] - (mi * alpha) / (__builtin_elementwise_sqrt(vi) + eps);
  }
}

static void adam_portable(float *w, float *m, float *v, const float *g, size_t n, float alpha,
                          float b1, float b2, float eps) {
  adam_body(w, m, v, g, n, alpha, b1, b2, eps);
}

#if SK_X86
__attribute__((target("avx2"))) static void adam_avx2(float *w, float *m, float *v,
                                                       const float *g, size_t n, float alpha,
                                                       float b1, float b2, float eps) {
  adam_body(w, m, v, g, n, alpha, b1, b2, eps);
}

__attribute__((target("avx512f"))) static void adam_avx512(float *w, float *m, float *v,
                                                           const float *g, size_t n, float alpha,
                                                           float b1, float b2, float eps) {
  adam_body(w, m, v, g, n, alpha, b1, b2, eps);
}
#endif

void sk_adam_update(float *w, float *m, float *v, const float *g, size_t n, float alpha, float b1,
                    float b2, float eps) {
  sk_adam_update_with_level(w, m, v, g, n, alpha, b1, b2, eps, 2);
}

void sk_adam_update_with_level(float *w, float *m, float *v, const float *g, size_t n,
                               float alpha, float b1, float b2, float eps, int level) {
#if SK_X86
  if (level >= 2 && sk_cpu_has_avx512f()) {
    adam_avx512(w, m, v, g, n, alpha, b1, b2, eps);
    return;
  }
  if (level >= 1 && sk_cpu_has_avx2()) {
    adam_avx2(w, m, v, g, n, alpha, b1, b2, eps);
    return;
  }
#endif
  adam_portable(w, m, v, g, n, alpha, b1, b2, eps);
}

#if SK_X86
__attribute__((target("avx2"))) static void relu_avx2(const float *x, float *out, size_t n) {
  const __m256 zero = _mm256_setzero_ps();
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    __m256 xi = _mm256_loadu_ps(x + i);
    _mm256_storeu_ps(out + i, _mm256_and_ps(xi, _mm256_cmp_ps(xi, zero, _CMP_GT_OQ)));
  }
  for (; i < n; i++) out[i] = x[i] > 0 ? x[i] : 0;
}

__attribute__((target("avx2"))) static void relu_backward_avx2(const float *x, const float *g,
                                                                float *out, size_t n) {
  const __m256 zero = _mm256_setzero_ps();
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    __m256 mask = _mm256_cmp_ps(_mm256_loadu_ps(x + i), zero, _CMP_GT_OQ);
    _mm256_storeu_ps(out + i, _mm256_and_ps(_mm256_loadu_ps(g + i), mask));
  }
  for (; i < n; i++) out[i] = x[i] > 0 ? g[i] : 0;
}

__attribute__((target("avx2"))) static void add_bias_avx2(const float *c, const float *bias,
                                                           float *y, size_t rows, size_t n) {
  for (size_t r = 0; r < rows; r++) {
    const float *cr = c + r * n;
    float *yr = y + r * n;
    size_t j = 0;
    for (; j + 8 <= n; j += 8)
      _mm256_storeu_ps(yr + j, _mm256_add_ps(_mm256_loadu_ps(cr + j), _mm256_loadu_ps(bias + j)));
    for (; j < n; j++) yr[j] = cr[j] + bias[j];
  }
}

__attribute__((target("avx2"))) static void sum_rows_avx2(const float *g, float *out, size_t rows,
                                                           size_t n) {
  memset(out, 0, n * sizeof(float));
  for (size_t r = 0; r < rows; r++) {
    const float *gr = g + r * n;
    size_t j = 0;
    for (; j + 8 <= n; j += 8)
      _mm256_storeu_ps(out + j, _mm256_add_ps(_mm256_loadu_ps(out + j), _mm256_loadu_ps(gr + j)));
    for (; j < n; j++) out[j] += gr[j];
  }
}
#endif

void sk_relu(const float *x, float *out, size_t n) {
#if SK_X86
  if (sk_cpu_has_avx2()) {
    relu_avx2(x, out, n);
    return;
  }
#endif
  for (size_t i = 0; i < n; i++) out[i] = x[i] > 0 ? x[i] : 0;
}

void sk_relu_backward(const float *x, const float *g, float *out, size_t n) {
#if SK_X86
  if (sk_cpu_has_avx2()) {
    relu_backward_avx2(x, g, out, n);
    return;
  }
#endif
  for (size_t i = 0; i < n; i++) out[i] = x[i] > 0 ? g[i] : 0;
}

void sk_add_bias_rows(const float *c, const float *bias, float *y, size_t rows, size_t n) {
#if SK_X86
  if (sk_cpu_has_avx2()) {
    add_bias_avx2(c, bias, y, rows, n);
    return;
  }
#endif
  for (size_t r = 0; r < rows; r++)
    for (size_t j = 0; j < n; j++) y[r * n + j] = c[r * n + j] + bias[j];
}

void sk_sum_rows(const float *g, float *out, size_t rows, size_t n) {
#if SK_X86
  if (sk_cpu_has_avx2()) {
    sum_rows_avx2(g, out, rows, n);
    return;
  }
#endif
  memset(out, 0, n * sizeof(float));
  for (size_t r = 0; r < rows; r++)
    for (size_t j = 0; j < n; j++) out[j] += g[r * n + j];
}
