#include "ckernels.h"

void sk_prefetch_rows(const float *base, const long *rows, long count, long row_floats) {
  const long line = 64 / (long)sizeof(float);
  for (long i = 0; i < count; i++) {
    const float *row = base + rows[i] * row_floats;
    for (long j = 0; j < row_floats; j += line) __builtin_prefetch(row + j, 0, 3);
  }
}
