// Dot products of one int8 window with many channels' int8 weights, two channels per multiply,
// for CONV_2D and DEPTHWISE_CONV_2D on XS (where every bytecode counts and typed-array reads
// dominate).
//
// Packing: the weights of channels c and c+1 become one number, w[c] + w[c+1] * F, so
// x * packed adds both products at once. The field weight F is 2^23 when every sum's magnitude
// stays below 2^22 (window length * max|w| * 128; the packed weights then fit an Int32Array,
// half the memory), else 2^26 for sums below 2^25 (windows up to 2047 values; a Float64Array).
// Either way both fields hold their sums exactly and the double sum (below 2^53) stays exact.
// Each field starts at F/2 so both stay non-negative and split with one division.
//
// Grouping: channel pairs are taken 4 or 8 at a time with their sums in locals; the window is
// read 8 values at a time into locals, and each pair of the group multiplies them with its 8
// packed weights. An input value is thus read once per group, and no sum goes through memory
// inside the loop. Weights are laid out [group][row][chunk][pair][8] so they are read in
// order; missing terms (a row's last chunk's) and missing pairs (the last group's) have zero
// weights.

import { TensorType } from '../../core/types.js';

/** Longest window the wide fields hold exactly. */
export const MAX_PACKED_TERMS = 2047;
const NARROW_FIELD = 8388608;
const WIDE_FIELD = 67108864;

/** The field weight for windows of `terms` values with weights up to `maxAbsWeight`; 0 if none fits. */
export function fieldFor(terms: number, maxAbsWeight: number): number {
  const bound = terms * maxAbsWeight * 128;
  return bound < NARROW_FIELD / 2 ? NARROW_FIELD : bound < WIDE_FIELD / 2 ? WIDE_FIELD : 0;
}

/** Largest magnitude among `values`. */
export function maxAbs(values: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] < 0 ? -values[i] : values[i];
    if (v > max) max = v;
  }
  return max;
}

/** Packed weights for `field`: Int32Array for the narrow field, Float64Array for the wide one. */
export function packedArray(field: number, length: number): Int32Array | Float64Array {
  return field === NARROW_FIELD ? new Int32Array(length) : new Float64Array(length);
}

/** Element type of the packed weights for `field` (TensorType.INT32 for the narrow field, else FLOAT64), for ctx.persistent(). */
export function packedType(field: number): number {
  return field === NARROW_FIELD ? TensorType.INT32 : TensorType.FLOAT64;
}

/** Bytes per packed weight for `field`. */
export function packedBytes(field: number): number {
  return field === NARROW_FIELD ? 4 : 8;
}

/** What both fields start at: field / 2 each. */
export function fieldsStart(field: number): number {
  return field / 2 + (field / 2) * field;
}

/** Pairs per group for `channels` channels: 8 when there are that many, else 4. */
export function groupSize(channels: number): number {
  return channels >= 16 ? 8 : 4;
}

/** Channel pairs, rounded up to whole groups: the length of the sums array. */
export function paddedPairs(channels: number): number {
  const group = groupSize(channels);
  return Math.ceil(((channels + 1) >> 1) / group) * group;
}

/** Doubles the packed weights of `channels` channels over `rows` rows of `terms` values take. */
export function packedLength(channels: number, rows: number, terms: number): number {
  return paddedPairs(channels) * rows * ((terms + 7) >> 3) * 8;
}

/**
 * Packs `channels` channels' weights into `out` from `at` in [group][row][chunk][pair][8] order;
 * the weight of (channel, row, term) is weights[base + channel * channelStride + row * rowStride
 * + term * termStride].
 */
export function packWeights(
  channels: number, rows: number, terms: number, weights: ArrayLike<number>, base: number,
  channelStride: number, rowStride: number, termStride: number, field: number, out: Int32Array | Float64Array, at: number,
): void {
  const group = groupSize(channels), pairs = paddedPairs(channels), chunks = (terms + 7) >> 3;
  for (let g = 0; g < pairs; g += group) {
    for (let row = 0; row < rows; row++) {
      for (let chunk = 0; chunk < chunks; chunk++) {
        const present = terms - chunk * 8 < 8 ? terms - chunk * 8 : 8;
        const from = base + row * rowStride + chunk * 8 * termStride;
        for (let pair = g; pair < g + group; pair++) {
          const c0 = 2 * pair, c1 = c0 + 1;
          // Missing channels and terms stay zero (typed arrays start zeroed).
          if (c0 < channels) {
            let i0 = from + c0 * channelStride, i1 = from + c1 * channelStride, k = at;
            const end = at + present, second = c1 < channels;
            while (k < end) {
              out[k++] = weights[i0] + (second ? weights[i1] * field : 0);
              i0 += termStride;
              i1 += termStride;
            }
          }
          at += 8;
        }
      }
    }
  }
}

/**
 * Sets sums[sumsAt + p] (p < pairs, a whole number of groups) to `start` plus the packed dot
 * product of the window with pair p's weights, read from W at `at` (as laid out by packWeights
 * for groups of `group` pairs). The window is `rows` runs of `terms` values, the first at
 * S[base], each `rowStride` after the one before.
 */
export function packedDot(
  S: ArrayLike<number>, base: number, rows: number, rowStride: number, terms: number,
  W: Int32Array | Float64Array, at: number, sums: Float64Array, pairs: number, group: number, start: number, sumsAt = 0,
): void {
  const fullLength = terms & ~7, rowsEnd = base + rows * rowStride;
  let q = at;
  let x0 = 0, x1 = 0, x2 = 0, x3 = 0, x4 = 0, x5 = 0, x6 = 0, x7 = 0;
  for (let g = 0; g < pairs; g += group) {
    let T0 = start, T1 = start, T2 = start, T3 = start, T4 = start, T5 = start, T6 = start, T7 = start;
    for (let row = base; row < rowsEnd; row += rowStride) {
      const full = row + fullLength, end = row + terms;
      for (let k = row; k < end; k += 8) {
        if (k < full) {
          x0 = S[k]; x1 = S[k + 1]; x2 = S[k + 2]; x3 = S[k + 3];
          x4 = S[k + 4]; x5 = S[k + 5]; x6 = S[k + 6]; x7 = S[k + 7];
        } else {
          // Last, partial chunk: its missing terms have zero weights and must read as 0.
          const left = end - k;
          x0 = S[k];
          x1 = left > 1 ? S[k + 1] : 0;
          x2 = left > 2 ? S[k + 2] : 0;
          x3 = left > 3 ? S[k + 3] : 0;
          x4 = left > 4 ? S[k + 4] : 0;
          x5 = left > 5 ? S[k + 5] : 0;
          x6 = left > 6 ? S[k + 6] : 0;
          x7 = 0;
        }
        T0 += x0 * W[q] + x1 * W[q + 1] + x2 * W[q + 2] + x3 * W[q + 3] + x4 * W[q + 4] + x5 * W[q + 5] + x6 * W[q + 6] + x7 * W[q + 7];
        T1 += x0 * W[q + 8] + x1 * W[q + 9] + x2 * W[q + 10] + x3 * W[q + 11] + x4 * W[q + 12] + x5 * W[q + 13] + x6 * W[q + 14] + x7 * W[q + 15];
        T2 += x0 * W[q + 16] + x1 * W[q + 17] + x2 * W[q + 18] + x3 * W[q + 19] + x4 * W[q + 20] + x5 * W[q + 21] + x6 * W[q + 22] + x7 * W[q + 23];
        T3 += x0 * W[q + 24] + x1 * W[q + 25] + x2 * W[q + 26] + x3 * W[q + 27] + x4 * W[q + 28] + x5 * W[q + 29] + x6 * W[q + 30] + x7 * W[q + 31];
        if (group === 8) {
          T4 += x0 * W[q + 32] + x1 * W[q + 33] + x2 * W[q + 34] + x3 * W[q + 35] + x4 * W[q + 36] + x5 * W[q + 37] + x6 * W[q + 38] + x7 * W[q + 39];
          T5 += x0 * W[q + 40] + x1 * W[q + 41] + x2 * W[q + 42] + x3 * W[q + 43] + x4 * W[q + 44] + x5 * W[q + 45] + x6 * W[q + 46] + x7 * W[q + 47];
          T6 += x0 * W[q + 48] + x1 * W[q + 49] + x2 * W[q + 50] + x3 * W[q + 51] + x4 * W[q + 52] + x5 * W[q + 53] + x6 * W[q + 54] + x7 * W[q + 55];
          T7 += x0 * W[q + 56] + x1 * W[q + 57] + x2 * W[q + 58] + x3 * W[q + 59] + x4 * W[q + 60] + x5 * W[q + 61] + x6 * W[q + 62] + x7 * W[q + 63];
          q += 64;
        } else {
          q += 32;
        }
      }
    }
    const o = sumsAt + g;
    sums[o] = T0; sums[o + 1] = T1; sums[o + 2] = T2; sums[o + 3] = T3;
    if (group === 8) { sums[o + 4] = T4; sums[o + 5] = T5; sums[o + 6] = T6; sums[o + 7] = T7; }
  }
}
