// The element-wise part of one LSTM time step, forward and backward, for the fused
// whole-sequence kernel (Core/Kernels/FusedLSTM.swift): the gate activations, the cell
// update and their derivatives in one pass over the step's [rows, 4 × units] gates, with
// the exponentials computed by the vector sk_exp (the scalar expf would cost more than
// the products of the step).
#include "ckernels.h"

// σ(z) = 1 / (1 + e^(−z)) and tanh(z) = 2 / (1 + e^(−2z)) − 1: one exponential each, and
// an overflowing exponential gives the right limit (0, or −1 for tanh).
void sk_lstm_step_forward(float *z, const float *c_prev, float *c, float *tanh_c, float *h,
                          long ldh, long rows, long units, float *scratch) {
  const long width = 4 * units;
  const long n = rows * width;
  for (long r = 0; r < rows; r++) {
    const float *zr = z + r * width;
    float *sr = scratch + r * width;
    for (long j = 0; j < 2 * units; j++) sr[j] = -zr[j];
    for (long j = 2 * units; j < 3 * units; j++) sr[j] = -2.0f * zr[j];
    for (long j = 3 * units; j < width; j++) sr[j] = -zr[j];
  }
  sk_exp(scratch, scratch, (size_t)n);
  for (long r = 0; r < rows; r++) {
    float *zr = z + r * width;
    const float *sr = scratch + r * width;
    for (long j = 0; j < 2 * units; j++) zr[j] = 1.0f / (1.0f + sr[j]);
    for (long j = 2 * units; j < 3 * units; j++) zr[j] = 2.0f / (1.0f + sr[j]) - 1.0f;
    for (long j = 3 * units; j < width; j++) zr[j] = 1.0f / (1.0f + sr[j]);
  }
  for (long r = 0; r < rows; r++) {
    const float *gates = z + r * width;
    const float *i = gates, *f = gates + units, *g = gates + 2 * units;
    const float *cp = c_prev + r * units;
    float *cr = c + r * units;
    float *sr = scratch + r * units;
    for (long j = 0; j < units; j++) {
      cr[j] = f[j] * cp[j] + i[j] * g[j];
      sr[j] = -2.0f * cr[j];
    }
  }
  sk_exp(scratch, scratch, (size_t)(rows * units));
  for (long r = 0; r < rows; r++) {
    const float *o = z + r * width + 3 * units;
    const float *sr = scratch + r * units;
    float *tr = tanh_c + r * units;
    float *hr = h + r * ldh;
    for (long j = 0; j < units; j++) {
      tr[j] = 2.0f / (1.0f + sr[j]) - 1.0f;
      hr[j] = o[j] * tr[j];
    }
  }
}

void sk_lstm_step_backward(const float *gates, const float *c_prev, const float *tanh_c,
                           const float *dh, float *dc, float *dz, long rows, long units) {
  const long width = 4 * units;
  for (long r = 0; r < rows; r++) {
    const float *gr = gates + r * width;
    const float *i = gr, *f = gr + units, *g = gr + 2 * units, *o = gr + 3 * units;
    const float *cp = c_prev + r * units, *tc = tanh_c + r * units, *dhr = dh + r * units;
    float *dcr = dc + r * units;
    float *dzr = dz + r * width;
    for (long j = 0; j < units; j++) {
      const float dcell = dcr[j] + dhr[j] * o[j] * (1.0f - tc[j] * tc[j]);
      dzr[j] = dcell * g[j] * i[j] * (1.0f - i[j]);
      dzr[units + j] = dcell * cp[j] * f[j] * (1.0f - f[j]);
      dzr[2 * units + j] = dcell * i[j] * (1.0f - g[j] * g[j]);
      dzr[3 * units + j] = dhr[j] * tc[j] * o[j] * (1.0f - o[j]);
      dcr[j] = dcell * f[j];
    }
  }
}
