#include "cpu_features.h"
#include "ckernels.h"

#if defined(__x86_64__)
enum { SK_AVX2 = 1, SK_FMA = 2, SK_AVX512F = 4 };

// Races are harmless: every thread computes the same value.
static int sk_cpu_features(void) {
  static int cached = -1;
  if (cached < 0) {
    __builtin_cpu_init();
    int features = 0;
    if (__builtin_cpu_supports("avx2")) features |= SK_AVX2;
    if (__builtin_cpu_supports("fma")) features |= SK_FMA;
    if (__builtin_cpu_supports("avx512f")) features |= SK_AVX512F;
    cached = features;
  }
  return cached;
}

int sk_cpu_has_avx2(void) { return (sk_cpu_features() & SK_AVX2) != 0; }
int sk_cpu_has_avx2_fma(void) {
  return (sk_cpu_features() & (SK_AVX2 | SK_FMA)) == (SK_AVX2 | SK_FMA);
}
int sk_cpu_has_avx512f(void) { return (sk_cpu_features() & SK_AVX512F) != 0; }
#else
int sk_cpu_has_avx2(void) { return 0; }
int sk_cpu_has_avx2_fma(void) { return 0; }
int sk_cpu_has_avx512f(void) { return 0; }
#endif

int sk_has_vector_fma(void) { return sk_cpu_has_avx2_fma(); }
