// Which vector instruction sets the processor offers, asked once and cached; every
// kernel picks its version from these.
#ifndef SWIFTKERAS_CPU_FEATURES_H
#define SWIFTKERAS_CPU_FEATURES_H

/// 1 when the processor runs AVX2 (x86-64 only; 0 elsewhere).
int sk_cpu_has_avx2(void);

/// 1 when the processor runs AVX2 and FMA.
int sk_cpu_has_avx2_fma(void);

/// 1 when the processor runs AVX-512F.
int sk_cpu_has_avx512f(void);

#endif
