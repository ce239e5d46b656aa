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

#if SK_X86

__attribute__((target("avx2"))) static void adam_avx2(float *w, float *m, float *v, const float *g,
                                                       size_t n, float alpha, float b1, float b2,
                                                       float eps) {
  const __m256 va = _mm256_set1_ps(alpha), vb1 = _mm256_set1_ps(b1), vb2 = _mm256_set1_ps(b2),
               ve = _mm256_set1_ps(eps);
  size_t i = 0;
  // Two independent vectors per iteration: the square root and division of one overlap
  // the loads of the other.
  for (; i + 16 <= n; i += 16) {
    __m256 g0 = _mm256_loadu_ps(g + i), g1 = _mm256_loadu_ps(g + i + 8);
    __m256 m0 = _mm256_loadu_ps(m + i), m1 = _mm256_loadu_ps(m + i + 8);
    __m256 v0 = _mm256_loadu_ps(v + i), v1 = _mm256_loadu_ps(v + i + 8);
    m0 = _mm256_add_ps(m0, _mm256_mul_ps(_mm256_sub_ps(g0, m0), vb1));
    m1 = _mm256_add_ps(m1, _mm256_mul_ps(_mm256_sub_ps(g1, m1), vb1));
    v0 = _mm256_add_ps(v0, _mm256_mul_ps(_mm256_sub_ps(_mm256_mul_ps(g0, g0), v0), vb2));
    v1 = _mm256_add_ps(v1, _mm256_mul_ps(_mm256_sub_ps(_mm256_mul_ps(g1, g1), v1), vb2));
    _mm256_storeu_ps(m + i, m0);
    _mm256_storeu_ps(m + i + 8, m1);
    _mm256_storeu_ps(v + i, v0);
    _mm256_storeu_ps(v + i + 8, v1);
    __m256 s0 = _mm256_div_ps(_mm256_mul_ps(m0, va), _mm256_add_ps(_mm256_sqrt_ps(v0), ve));
    __m256 s1 = _mm256_div_ps(_mm256_mul_ps(m1, va), _mm256_add_ps(_mm256_sqrt_ps(v1), ve));
    _mm256_storeu_ps(w + i, _mm256_sub_ps(_mm256_loadu_ps(w + i), s0));
    _mm256_storeu_ps(w + i + 8, _mm256_sub_ps(_mm256_loadu_ps(w + i + 8), s1));
  }
  for (; i + 8 <= n; i += 8) {
    __m256 gi = _mm256_loadu_ps(g + i);
    __m256 mi = _mm256_loadu_ps(m + i);
    __m256 vi = _mm256_loadu_ps(v + i);
    mi = _mm256_add_ps(mi, _mm256_mul_ps(_mm256_sub_ps(gi, mi), vb1));
    vi = _mm256_add_ps(vi, _mm256_mul_ps(_mm256_sub_ps(_mm256_mul_ps(gi, gi), vi), vb2));
    _mm256_storeu_ps(m + i, mi);
    _mm256_storeu_ps(v + i, vi);
    __m256 step = _mm256_div_ps(_mm256_mul_ps(mi, va), _mm256_add_ps(_mm256_sqrt_ps(vi), ve));
    _mm256_storeu_ps(w + i, _mm256_sub_ps(_mm256_loadu_ps(w + i), step));
  }
  for (; i < n; i++) {
    float mi = m[i] + (g[i] - m[i]) * b1;
    float vi = v[i] + (g[i] * g[i] - v[i]) * b2;
    m[i] = mi;
    v[i] = vi;
    w[i] = w[i] - (mi * alpha) / (_mm_cvtss_f32(_mm_sqrt_ss(_mm_set_ss(vi))) + eps);
  }
}
#endif

#if SK_X86
// The same operations in the same order as the AVX2 version, sixteen lanes wide.
__attribute__((target("avx512f"))) static void adam_avx512(float *w, float *m, float *v,
                                                           const float *g, size_t n, float alpha,
                                                           float b1, float b2, float eps) {
  const __m512 va = _mm512_set1_ps(alpha), vb1 = _mm512_set1_ps(b1), vb2 = _mm512_set1_ps(b2),
               ve = _mm512_set1_ps(eps);
  size_t i = 0;
  for (; i + 32 <= n; i += 32) {
    __m512 g0 = _mm512_loadu_ps(g + i), g1 = _mm512_loadu_ps(g + i + 16);
    __m512 m0 = _mm512_loadu_ps(m + i), m1 = _mm512_loadu_ps(m + i + 16);
    __m512 v0 = _mm512_loadu_ps(v + i), v1 = _mm512_loadu_ps(v + i + 16);
    m0 = _mm512_add_ps(m0, _mm512_mul_ps(_mm512_sub_ps(g0, m0), vb1));
    m1 = _mm512_add_ps(m1, _mm512_mul_ps(_mm512_sub_ps(g1, m1), vb1));
    v0 = _mm512_add_ps(v0, _mm512_mul_ps(_mm512_sub_ps(_mm512_mul_ps(g0, g0), v0), vb2));
    v1 = _mm512_add_ps(v1, _mm512_mul_ps(_mm512_sub_ps(_mm512_mul_ps(g1, g1), v1), vb2));
    _mm512_storeu_ps(m + i, m0);
    _mm512_storeu_ps(m + i + 16, m1);
    _mm512_storeu_ps(v + i, v0);
    _mm512_storeu_ps(v + i + 16, v1);
    __m512 s0 = _mm512_div_ps(_mm512_mul_ps(m0, va), _mm512_add_ps(_mm512_sqrt_ps(v0), ve));
    __m512 s1 = _mm512_div_ps(_mm512_mul_ps(m1, va), _mm512_add_ps(_mm512_sqrt_ps(v1), ve));
    _mm512_storeu_ps(w + i, _mm512_sub_ps(_mm512_loadu_ps(w + i), s0));
    _mm512_storeu_ps(w + i + 16, _mm512_sub_ps(_mm512_loadu_ps(w + i + 16), s1));
  }
  if (i < n) adam_avx2(w + i, m + i, v + i, g + i, n - i, alpha, b1, b2, eps);
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
  size_t i = 0;
  const __m128 va = _mm_set1_ps(alpha), vb1 = _mm_set1_ps(b1), vb2 = _mm_set1_ps(b2),
               ve = _mm_set1_ps(eps);
  for (; i + 4 <= n; i += 4) {
    __m128 gi = _mm_loadu_ps(g + i);
    __m128 mi = _mm_loadu_ps(m + i);
    __m128 vi = _mm_loadu_ps(v + i);
    mi = _mm_add_ps(mi, _mm_mul_ps(_mm_sub_ps(gi, mi), vb1));
    vi = _mm_add_ps(vi, _mm_mul_ps(_mm_sub_ps(_mm_mul_ps(gi, gi), vi), vb2));
    _mm_storeu_ps(m + i, mi);
    _mm_storeu_ps(v + i, vi);
    __m128 step = _mm_div_ps(_mm_mul_ps(mi, va), _mm_add_ps(_mm_sqrt_ps(vi), ve));
    _mm_storeu_ps(w + i, _mm_sub_ps(_mm_loadu_ps(w + i), step));
  }
  for (; i < n; i++) {
    float mi = m[i] + (g[i] - m[i]) * b1;
    float vi = v[i] + (g[i] * g[i] - v[i]) * b2;
    m[i] = mi;
    v[i] = vi;
    w[i] = w[i] - (mi * alpha) / (_mm_cvtss_f32(_mm_sqrt_ss(_mm_set_ss(vi))) + eps);
  }
#else
  for (size_t i = 0; i < n; i++) {
    float mi = m[i] + (g[i] - m[i]) * b1;
    float vi = v[i] + (g[i] * g[i] - v[i]) * b2;
    m[i] = mi;
    v[i] = vi;
    w[i] = w[i] - (mi * alpha) / (__builtin_sqrtf(vi) + eps);
  }
#endif
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
