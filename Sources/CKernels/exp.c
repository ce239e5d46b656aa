// e^x for whole buffers: Cephes' expf range reduction and polynomial, evaluated with
// fused multiply-adds. The AVX-512, AVX2 and scalar versions perform the same roundings
// in the same order, so they return the same bits on every machine.
#include "ckernels.h"
#include "cpu_features.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>
#define SK_X86 1
#endif

// Only the explicit fmaf / FMA intrinsics may fuse; every other product rounds alone.
#pragma clang fp contract(off)

// Inputs are clamped to these bounds, where the result itself overflows to +inf (above
// the largest float) or rounds to 0 (below half the smallest subnormal).
static const float sk_exp_upper = 88.72284f;
static const float sk_exp_lower = -104.0f;
static const float sk_log2e = 1.44269504f;
static const float sk_ln2_hi = 0.693359375f;  // exact in 9 bits: n · ln2_hi is exact
static const float sk_ln2_lo = 2.1219444e-4f;  // ln 2 = ln2_hi - ln2_lo
static const float sk_p0 = 1.98756915e-4f, sk_p1 = 1.39819995e-3f, sk_p2 = 8.3334519e-3f,
                   sk_p3 = 4.1665796e-2f, sk_p4 = 1.66666555e-1f, sk_p5 = 5.0000001e-1f;

static inline float sk_pow2(int k) {
  union {
    int32_t i;
    float f;
  } u = {(int32_t)((uint32_t)(k + 127) << 23)};
  return u.f;
}

float sk_exp_scalar(float x) {
  if (x != x) return x + x;  // quieted, as the vector versions' arithmetic does
  float c = x < sk_exp_lower ? sk_exp_lower : (x > sk_exp_upper ? sk_exp_upper : x);
  float n = nearbyintf(c * sk_log2e);
  float r = fmaf(-n, sk_ln2_hi, c);
  r = fmaf(n, sk_ln2_lo, r);
  float p = fmaf(sk_p0, r, sk_p1);
  p = fmaf(p, r, sk_p2);
  p = fmaf(p, r, sk_p3);
  p = fmaf(p, r, sk_p4);
  p = fmaf(p, r, sk_p5);
  float y = fmaf(p, r * r, r) + 1.0f;
  // 2^n as two normal factors: exact for n = 128 and for subnormal results (n ≥ -150),
  // with a single rounding at the second product, as AVX-512's scalef.
  int k = (int)n;
  int half = k >> 1;
  return y * sk_pow2(half) * sk_pow2(k - half);
}

#if SK_X86
static int sk_exp_level(void) {
  return sk_cpu_has_avx512f() ? 2 : (sk_cpu_has_avx2_fma() ? 1 : 0);
}

#define SK_AVX512 __attribute__((target("avx512f")))

SK_AVX512 static inline __m512 exp16(__m512 x) {
  const __m512 upper = _mm512_set1_ps(sk_exp_upper), lower = _mm512_set1_ps(sk_exp_lower);
  // max(lower, x) and min(upper, ·) return their second operand for NaN: NaN flows through.
  __m512 c = _mm512_min_ps(upper, _mm512_max_ps(lower, x));
  __m512 n = _mm512_roundscale_ps(_mm512_mul_ps(c, _mm512_set1_ps(sk_log2e)),
                                  _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  __m512 r = _mm512_fnmadd_ps(n, _mm512_set1_ps(sk_ln2_hi), c);
  r = _mm512_fmadd_ps(n, _mm512_set1_ps(sk_ln2_lo), r);
  __m512 p = _mm512_fmadd_ps(_mm512_set1_ps(sk_p0), r, _mm512_set1_ps(sk_p1));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(sk_p2));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(sk_p3));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(sk_p4));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(sk_p5));
  __m512 y = _mm512_add_ps(_mm512_fmadd_ps(p, _mm512_mul_ps(r, r), r), _mm512_set1_ps(1.0f));
  __m512 result = _mm512_scalef_ps(y, n);
  return result;  // NaN has flowed through every step, quieted
}

SK_AVX512 static void exp_avx512(const float *x, float *out, size_t n) {
  size_t i = 0;
  for (; i + 64 <= n; i += 64) {
    __m512 a = exp16(_mm512_loadu_ps(x + i));
    __m512 b = exp16(_mm512_loadu_ps(x + i + 16));
    __m512 c = exp16(_mm512_loadu_ps(x + i + 32));
    __m512 d = exp16(_mm512_loadu_ps(x + i + 48));
    _mm512_storeu_ps(out + i, a);
    _mm512_storeu_ps(out + i + 16, b);
    _mm512_storeu_ps(out + i + 32, c);
    _mm512_storeu_ps(out + i + 48, d);
  }
  for (; i < n; i += 16) {
    size_t left = n - i;
    __mmask16 mask = left >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << left) - 1);
    _mm512_mask_storeu_ps(out + i, mask, exp16(_mm512_maskz_loadu_ps(mask, x + i)));
  }
}

#define SK_AVX2 __attribute__((target("avx2,fma")))

SK_AVX2 static inline __m256 exp8(__m256 x) {
  const __m256 upper = _mm256_set1_ps(sk_exp_upper), lower = _mm256_set1_ps(sk_exp_lower);
  __m256 c = _mm256_min_ps(upper, _mm256_max_ps(lower, x));
  __m256 n = _mm256_round_ps(_mm256_mul_ps(c, _mm256_set1_ps(sk_log2e)),
                             _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  __m256 r = _mm256_fnmadd_ps(n, _mm256_set1_ps(sk_ln2_hi), c);
  r = _mm256_fmadd_ps(n, _mm256_set1_ps(sk_ln2_lo), r);
  __m256 p = _mm256_fmadd_ps(_mm256_set1_ps(sk_p0), r, _mm256_set1_ps(sk_p1));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(sk_p2));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(sk_p3));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(sk_p4));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(sk_p5));
  __m256 y = _mm256_add_ps(_mm256_fmadd_ps(p, _mm256_mul_ps(r, r), r), _mm256_set1_ps(1.0f));
  // NaN lanes convert to INT_MIN; y is NaN there, so the product stays NaN.
  __m256i k = _mm256_cvtps_epi32(n);
  __m256i half = _mm256_srai_epi32(k, 1);
  const __m256i bias = _mm256_set1_epi32(127);
  __m256 s1 = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(half, bias), 23));
  __m256 s2 = _mm256_castsi256_ps(
      _mm256_slli_epi32(_mm256_add_epi32(_mm256_sub_epi32(k, half), bias), 23));
  __m256 result = _mm256_mul_ps(_mm256_mul_ps(y, s1), s2);
  return result;
}

SK_AVX2 static void exp_avx2(const float *x, float *out, size_t n) {
  size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    __m256 a = exp8(_mm256_loadu_ps(x + i));
    __m256 b = exp8(_mm256_loadu_ps(x + i + 8));
    _mm256_storeu_ps(out + i, a);
    _mm256_storeu_ps(out + i + 8, b);
  }
  for (; i + 8 <= n; i += 8) _mm256_storeu_ps(out + i, exp8(_mm256_loadu_ps(x + i)));
  for (; i < n; i++) out[i] = sk_exp_scalar(x[i]);
}
#endif

void sk_exp(const float *x, float *out, size_t n) {
#if SK_X86
  switch (sk_exp_level()) {
    case 2:
      exp_avx512(x, out, n);
      return;
    case 1:
      exp_avx2(x, out, n);
      return;
    default:
      break;
  }
#endif
  for (size_t i = 0; i < n; i++) out[i] = sk_exp_scalar(x[i]);
}

void sk_exp_with_level(const float *x, float *out, size_t n, int level) {
#if SK_X86
  int available = sk_exp_level();
  int chosen = level < available ? level : available;
  if (chosen == 2) {
    exp_avx512(x, out, n);
    return;
  }
  if (chosen == 1) {
    exp_avx2(x, out, n);
    return;
  }
#endif
  for (size_t i = 0; i < n; i++) out[i] = sk_exp_scalar(x[i]);
}
