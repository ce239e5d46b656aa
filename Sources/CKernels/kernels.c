#include "ckernels.h"

#include <math.h>
#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>
#define SK_X86 1
#endif

// Keep separate multiply and add roundings so every path computes the same bits.
#pragma clang fp contract(off)

#if SK_X86
static int sk_has_avx2(void) {
  static int cached = -1;
  if (cached < 0) {
    __builtin_cpu_init();
    cached = __builtin_cpu_supports("avx2") ? 1 : 0;
  }
  return cached;
}

__attribute__((target("avx2"))) static void adam_avx2(float *w, float *m, float *v, const float *g,
                                                       size_t n, float alpha, float b1, float b2,
                                                       float eps) {
  const __m256 va = _mm256_set1_ps(alpha), vb1 = _mm256_set1_ps(b1), vb2 = _mm256_set1_ps(b2),
               ve = _mm256_set1_ps(eps);
  size_t i = 0;
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

void sk_adam_update(float *w, float *m, float *v, const float *g, size_t n, float alpha, float b1,
                    float b2, float eps) {
#if SK_X86
  if (sk_has_avx2()) {
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
  if (sk_has_avx2()) {
    relu_avx2(x, out, n);
    return;
  }
#endif
  for (size_t i = 0; i < n; i++) out[i] = x[i] > 0 ? x[i] : 0;
}

void sk_relu_backward(const float *x, const float *g, float *out, size_t n) {
#if SK_X86
  if (sk_has_avx2()) {
    relu_backward_avx2(x, g, out, n);
    return;
  }
#endif
  for (size_t i = 0; i < n; i++) out[i] = x[i] > 0 ? g[i] : 0;
}

void sk_add_bias_rows(const float *c, const float *bias, float *y, size_t rows, size_t n) {
#if SK_X86
  if (sk_has_avx2()) {
    add_bias_avx2(c, bias, y, rows, n);
    return;
  }
#endif
  for (size_t r = 0; r < rows; r++)
    for (size_t j = 0; j < n; j++) y[r * n + j] = c[r * n + j] + bias[j];
}

void sk_sum_rows(const float *g, float *out, size_t rows, size_t n) {
#if SK_X86
  if (sk_has_avx2()) {
    sum_rows_avx2(g, out, rows, n);
    return;
  }
#endif
  memset(out, 0, n * sizeof(float));
  for (size_t r = 0; r < rows; r++)
    for (size_t j = 0; j < n; j++) out[j] += g[r * n + j];
}

// The scalar algorithm, step for step as FastMath.exp in Swift.
static inline float sk_exp1(float x) {
  const float upper = 88.72284f, lower = -103.97208f, magic = 12582912.0f;
  float c = x < lower ? lower : (x > upper ? upper : x);
  float shifted = c * 1.44269504f + magic;
  float n = shifted - magic;
  float r = c - n * 0.693359375f;
  r = r + n * 2.1219444e-4f;
  float p = 1.98756915e-4f;
  p = p * r + 1.39819995e-3f;
  p = p * r + 8.3334519e-3f;
  p = p * r + 4.1665796e-2f;
  p = p * r + 1.66666555e-1f;
  p = p * r + 5.0000001e-1f;
  float y = p * r * r + r + 1.0f;
  union { float f; int i; } su = {shifted}, mu = {magic}, s1, s2;
  int k = su.i - mu.i;
  int half = k >> 1;
  s1.i = (half + 127) << 23;
  s2.i = (k - half + 127) << 23;
  float result = y * s1.f * s2.f;
  if (x < lower) result = 0;
  if (x > upper) result = __builtin_inff();
  if (x != x) result = x;
  return result;
}

#if SK_X86
__attribute__((target("avx2"))) static void exp_avx2(const float *x, float *out, size_t n) {
  const __m256 upper = _mm256_set1_ps(88.72284f), lower = _mm256_set1_ps(-103.97208f),
               magic = _mm256_set1_ps(12582912.0f), log2e = _mm256_set1_ps(1.44269504f),
               ln2hi = _mm256_set1_ps(0.693359375f), ln2lo = _mm256_set1_ps(2.1219444e-4f),
               one = _mm256_set1_ps(1.0f), inf = _mm256_set1_ps(__builtin_inff());
  const __m256i bias = _mm256_set1_epi32(127);
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    __m256 xi = _mm256_loadu_ps(x + i);
    __m256 c = _mm256_min_ps(_mm256_max_ps(xi, lower), upper);
    __m256 shifted = _mm256_add_ps(_mm256_mul_ps(c, log2e), magic);
    __m256 nn = _mm256_sub_ps(shifted, magic);
    __m256 r = _mm256_sub_ps(c, _mm256_mul_ps(nn, ln2hi));
    r = _mm256_add_ps(r, _mm256_mul_ps(nn, ln2lo));
    __m256 p = _mm256_set1_ps(1.98756915e-4f);
    p = _mm256_add_ps(_mm256_mul_ps(p, r), _mm256_set1_ps(1.39819995e-3f));
    p = _mm256_add_ps(_mm256_mul_ps(p, r), _mm256_set1_ps(8.3334519e-3f));
    p = _mm256_add_ps(_mm256_mul_ps(p, r), _mm256_set1_ps(4.1665796e-2f));
    p = _mm256_add_ps(_mm256_mul_ps(p, r), _mm256_set1_ps(1.66666555e-1f));
    p = _mm256_add_ps(_mm256_mul_ps(p, r), _mm256_set1_ps(5.0000001e-1f));
    __m256 y = _mm256_add_ps(_mm256_add_ps(_mm256_mul_ps(_mm256_mul_ps(p, r), r), r), one);
    __m256i k = _mm256_sub_epi32(_mm256_castps_si256(shifted), _mm256_castps_si256(magic));
    __m256i half = _mm256_srai_epi32(k, 1);
    __m256 s1 = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(half, bias), 23));
    __m256 s2 = _mm256_castsi256_ps(
        _mm256_slli_epi32(_mm256_add_epi32(_mm256_sub_epi32(k, half), bias), 23));
    __m256 result = _mm256_mul_ps(_mm256_mul_ps(y, s1), s2);
    result = _mm256_andnot_ps(_mm256_cmp_ps(xi, lower, _CMP_LT_OQ), result);
    result = _mm256_blendv_ps(result, inf, _mm256_cmp_ps(xi, upper, _CMP_GT_OQ));
    result = _mm256_blendv_ps(result, xi, _mm256_cmp_ps(xi, xi, _CMP_UNORD_Q));
    _mm256_storeu_ps(out + i, result);
  }
  for (; i < n; i++) out[i] = sk_exp1(x[i]);
}
#endif

void sk_exp(const float *x, float *out, size_t n) {
#if SK_X86
  if (sk_has_avx2()) {
    exp_avx2(x, out, n);
    return;
  }
#endif
  for (size_t i = 0; i < n; i++) out[i] = sk_exp1(x[i]);
}
