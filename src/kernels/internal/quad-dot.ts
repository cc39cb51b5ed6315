// Dot products of int8 weights read in place (no repacked copy) with four, six or eight output
// positions at once, for CONV_2D on XS where every bytecode is metered; and the requantization
// of their sums, which DEPTHWISE_CONV_2D's in-place path shares.
//
// The weights cannot be packed without a copy, so the inputs are: two positions' values become
// one number, xa + xb * F (F the field weight of internal/packed-dot.ts), and one multiply by a
// weight adds both positions' products. Four positions make two such pairs, and each weight,
// read once into a local, feeds both: per weight one typed-array read and two multiply-adds
// for four multiply-accumulates (three or four multiply-adds for six or eight). Input values
// are taken 16 (or 8) at a time into locals and reused by every output channel; the channels'
// running sums live in small Float64Arrays, one per pair.
//
// requantizeQuad / requantizePair read conv-params.ts's ChannelQuantization tables
// (DEPTHWISE_CONV_2D); requantizeQuadRows / requantizePairRows the same loops over tables that
// CONV_2D derives in scratch at each invoke from its arena record (conv-record.ts).
import type { TensorData } from '../../core/types.js';
import { FAST_REQUANT_LIMIT, type ChannelQuantization } from './conv-params.js';
import { multiplyByQuantizedMultiplier } from './quantization.js';
import { Rec, shiftOf } from './conv-record.js';

/**
 * Sets SA[c] and SB[c] (c < channels) to `start` plus channel c's dot products with the packed
 * pairs (S[a0 + k] + F * S[a1 + k]) and (S[a2 + k] + F * S[a3 + k]) over k < K; channel c's
 * weights are W[c * K + k].
 */
export function quadDot(
  S: ArrayLike<number>, a0: number, a1: number, a2: number, a3: number, K: number,
  W: ArrayLike<number>, channels: number, SA: Float64Array, SB: Float64Array, start: number, F: number,
): void {
  SA.fill(start, 0, channels);
  SB.fill(start, 0, channels);
  // Chunks of 16 values while they last, then at most one of 8, then single values.
  const sixteens = K - (K & 15), eights = K - (K & 7);
  let w0 = 0, w1 = 0, w2 = 0, w3 = 0, w4 = 0, w5 = 0, w6 = 0, w7 = 0;
  let w8 = 0, w9 = 0, w10 = 0, w11 = 0, w12 = 0, w13 = 0, w14 = 0, w15 = 0;
  let xa0 = 0, xa1 = 0, xa2 = 0, xa3 = 0, xa4 = 0, xa5 = 0, xa6 = 0, xa7 = 0;
  let xa8 = 0, xa9 = 0, xa10 = 0, xa11 = 0, xa12 = 0, xa13 = 0, xa14 = 0, xa15 = 0;
  let xb0 = 0, xb1 = 0, xb2 = 0, xb3 = 0, xb4 = 0, xb5 = 0, xb6 = 0, xb7 = 0;
  let xb8 = 0, xb9 = 0, xb10 = 0, xb11 = 0, xb12 = 0, xb13 = 0, xb14 = 0, xb15 = 0;
  let p = 0, q = 0, c = 0, j = 0, k = 0;
  for (k = 0; k < sixteens; k += 16) {
    p = a0 + k; q = a1 + k;
    xa0 = S[p] + F * S[q]; xa1 = S[p + 1] + F * S[q + 1]; xa2 = S[p + 2] + F * S[q + 2]; xa3 = S[p + 3] + F * S[q + 3];
    xa4 = S[p + 4] + F * S[q + 4]; xa5 = S[p + 5] + F * S[q + 5]; xa6 = S[p + 6] + F * S[q + 6]; xa7 = S[p + 7] + F * S[q + 7];
    xa8 = S[p + 8] + F * S[q + 8]; xa9 = S[p + 9] + F * S[q + 9]; xa10 = S[p + 10] + F * S[q + 10]; xa11 = S[p + 11] + F * S[q + 11];
    xa12 = S[p + 12] + F * S[q + 12]; xa13 = S[p + 13] + F * S[q + 13]; xa14 = S[p + 14] + F * S[q + 14]; xa15 = S[p + 15] + F * S[q + 15];
    p = a2 + k; q = a3 + k;
    xb0 = S[p] + F * S[q]; xb1 = S[p + 1] + F * S[q + 1]; xb2 = S[p + 2] + F * S[q + 2]; xb3 = S[p + 3] + F * S[q + 3];
    xb4 = S[p + 4] + F * S[q + 4]; xb5 = S[p + 5] + F * S[q + 5]; xb6 = S[p + 6] + F * S[q + 6]; xb7 = S[p + 7] + F * S[q + 7];
    xb8 = S[p + 8] + F * S[q + 8]; xb9 = S[p + 9] + F * S[q + 9]; xb10 = S[p + 10] + F * S[q + 10]; xb11 = S[p + 11] + F * S[q + 11];
    xb12 = S[p + 12] + F * S[q + 12]; xb13 = S[p + 13] + F * S[q + 13]; xb14 = S[p + 14] + F * S[q + 14]; xb15 = S[p + 15] + F * S[q + 15];
    c = 0; j = k;
    do {
      SA[c] += xa0 * (w0 = W[j]) + xa1 * (w1 = W[j + 1]) + xa2 * (w2 = W[j + 2]) + xa3 * (w3 = W[j + 3]) +
        xa4 * (w4 = W[j + 4]) + xa5 * (w5 = W[j + 5]) + xa6 * (w6 = W[j + 6]) + xa7 * (w7 = W[j + 7]) +
        xa8 * (w8 = W[j + 8]) + xa9 * (w9 = W[j + 9]) + xa10 * (w10 = W[j + 10]) + xa11 * (w11 = W[j + 11]) +
        xa12 * (w12 = W[j + 12]) + xa13 * (w13 = W[j + 13]) + xa14 * (w14 = W[j + 14]) + xa15 * (w15 = W[j + 15]);
      SB[c] += xb0 * w0 + xb1 * w1 + xb2 * w2 + xb3 * w3 + xb4 * w4 + xb5 * w5 + xb6 * w6 + xb7 * w7 + xb8 * w8 +
        xb9 * w9 + xb10 * w10 + xb11 * w11 + xb12 * w12 + xb13 * w13 + xb14 * w14 + xb15 * w15;
      j += K;
    } while (++c < channels);
  }
  if (k < eights) {
    p = a0 + k; q = a1 + k;
    xa0 = S[p] + F * S[q]; xa1 = S[p + 1] + F * S[q + 1]; xa2 = S[p + 2] + F * S[q + 2]; xa3 = S[p + 3] + F * S[q + 3];
    xa4 = S[p + 4] + F * S[q + 4]; xa5 = S[p + 5] + F * S[q + 5]; xa6 = S[p + 6] + F * S[q + 6]; xa7 = S[p + 7] + F * S[q + 7];
    p = a2 + k; q = a3 + k;
    xb0 = S[p] + F * S[q]; xb1 = S[p + 1] + F * S[q + 1]; xb2 = S[p + 2] + F * S[q + 2]; xb3 = S[p + 3] + F * S[q + 3];
    xb4 = S[p + 4] + F * S[q + 4]; xb5 = S[p + 5] + F * S[q + 5]; xb6 = S[p + 6] + F * S[q + 6]; xb7 = S[p + 7] + F * S[q + 7];
    c = 0; j = k;
    do {
      SA[c] += xa0 * (w0 = W[j]) + xa1 * (w1 = W[j + 1]) + xa2 * (w2 = W[j + 2]) + xa3 * (w3 = W[j + 3]) +
        xa4 * (w4 = W[j + 4]) + xa5 * (w5 = W[j + 5]) + xa6 * (w6 = W[j + 6]) + xa7 * (w7 = W[j + 7]);
      SB[c] += xb0 * w0 + xb1 * w1 + xb2 * w2 + xb3 * w3 + xb4 * w4 + xb5 * w5 + xb6 * w6 + xb7 * w7;
      j += K;
    } while (++c < channels);
    k += 8;
  }
  for (; k < K; k++) {
    xa0 = S[a0 + k] + F * S[a1 + k];
    xb0 = S[a2 + k] + F * S[a3 + k];
    c = 0; j = k;
    do {
      SA[c] += xa0 * (w0 = W[j]);
      SB[c] += xb0 * w0;
      j += K;
    } while (++c < channels);
  }
}

/**
 * quadDot for six positions, three packed pairs (the third's sums in SE): each weight read
 * feeds six multiply-accumulates. For windows of 16 values or more, where the channel loop's
 * own costs are spread thin.
 */
export function sextetDot(
  S: ArrayLike<number>, a0: number, a1: number, a2: number, a3: number, a4: number, a5: number, K: number,
  W: ArrayLike<number>, channels: number, SA: Float64Array, SB: Float64Array, SE: Float64Array, start: number, F: number,
): void {
  SA.fill(start, 0, channels);
  SB.fill(start, 0, channels);
  SE.fill(start, 0, channels);
  const sixteens = K - (K & 15), eights = K - (K & 7);
  let w0 = 0, w1 = 0, w2 = 0, w3 = 0, w4 = 0, w5 = 0, w6 = 0, w7 = 0;
  let w8 = 0, w9 = 0, w10 = 0, w11 = 0, w12 = 0, w13 = 0, w14 = 0, w15 = 0;
  let xa0 = 0, xa1 = 0, xa2 = 0, xa3 = 0, xa4 = 0, xa5 = 0, xa6 = 0, xa7 = 0;
  let xa8 = 0, xa9 = 0, xa10 = 0, xa11 = 0, xa12 = 0, xa13 = 0, xa14 = 0, xa15 = 0;
  let xb0 = 0, xb1 = 0, xb2 = 0, xb3 = 0, xb4 = 0, xb5 = 0, xb6 = 0, xb7 = 0;
  let xb8 = 0, xb9 = 0, xb10 = 0, xb11 = 0, xb12 = 0, xb13 = 0, xb14 = 0, xb15 = 0;
  let xe0 = 0, xe1 = 0, xe2 = 0, xe3 = 0, xe4 = 0, xe5 = 0, xe6 = 0, xe7 = 0;
  let xe8 = 0, xe9 = 0, xe10 = 0, xe11 = 0, xe12 = 0, xe13 = 0, xe14 = 0, xe15 = 0;
  let p = 0, q = 0, c = 0, j = 0, k = 0;
  for (k = 0; k < sixteens; k += 16) {
    p = a0 + k; q = a1 + k;
    xa0 = S[p] + F * S[q]; xa1 = S[p + 1] + F * S[q + 1]; xa2 = S[p + 2] + F * S[q + 2]; xa3 = S[p + 3] + F * S[q + 3];
    xa4 = S[p + 4] + F * S[q + 4]; xa5 = S[p + 5] + F * S[q + 5]; xa6 = S[p + 6] + F * S[q + 6]; xa7 = S[p + 7] + F * S[q + 7];
    xa8 = S[p + 8] + F * S[q + 8]; xa9 = S[p + 9] + F * S[q + 9]; xa10 = S[p + 10] + F * S[q + 10]; xa11 = S[p + 11] + F * S[q + 11];
    xa12 = S[p + 12] + F * S[q + 12]; xa13 = S[p + 13] + F * S[q + 13]; xa14 = S[p + 14] + F * S[q + 14]; xa15 = S[p + 15] + F * S[q + 15];
    p = a2 + k; q = a3 + k;
    xb0 = S[p] + F * S[q]; xb1 = S[p + 1] + F * S[q + 1]; xb2 = S[p + 2] + F * S[q + 2]; xb3 = S[p + 3] + F * S[q + 3];
    xb4 = S[p + 4] + F * S[q + 4]; xb5 = S[p + 5] + F * S[q + 5]; xb6 = S[p + 6] + F * S[q + 6]; xb7 = S[p + 7] + F * S[q + 7];
    xb8 = S[p + 8] + F * S[q + 8]; xb9 = S[p + 9] + F * S[q + 9]; xb10 = S[p + 10] + F * S[q + 10]; xb11 = S[p + 11] + F * S[q + 11];
    xb12 = S[p + 12] + F * S[q + 12]; xb13 = S[p + 13] + F * S[q + 13]; xb14 = S[p + 14] + F * S[q + 14]; xb15 = S[p + 15] + F * S[q + 15];
    p = a4 + k; q = a5 + k;
    xe0 = S[p] + F * S[q]; xe1 = S[p + 1] + F * S[q + 1]; xe2 = S[p + 2] + F * S[q + 2]; xe3 = S[p + 3] + F * S[q + 3];
    xe4 = S[p + 4] + F * S[q + 4]; xe5 = S[p + 5] + F * S[q + 5]; xe6 = S[p + 6] + F * S[q + 6]; xe7 = S[p + 7] + F * S[q + 7];
    xe8 = S[p + 8] + F * S[q + 8]; xe9 = S[p + 9] + F * S[q + 9]; xe10 = S[p + 10] + F * S[q + 10]; xe11 = S[p + 11] + F * S[q + 11];
    xe12 = S[p + 12] + F * S[q + 12]; xe13 = S[p + 13] + F * S[q + 13]; xe14 = S[p + 14] + F * S[q + 14]; xe15 = S[p + 15] + F * S[q + 15];
    c = 0; j = k;
    do {
      SA[c] += xa0 * (w0 = W[j]) + xa1 * (w1 = W[j + 1]) + xa2 * (w2 = W[j + 2]) + xa3 * (w3 = W[j + 3]) +
        xa4 * (w4 = W[j + 4]) + xa5 * (w5 = W[j + 5]) + xa6 * (w6 = W[j + 6]) + xa7 * (w7 = W[j + 7]) +
        xa8 * (w8 = W[j + 8]) + xa9 * (w9 = W[j + 9]) + xa10 * (w10 = W[j + 10]) + xa11 * (w11 = W[j + 11]) +
        xa12 * (w12 = W[j + 12]) + xa13 * (w13 = W[j + 13]) + xa14 * (w14 = W[j + 14]) + xa15 * (w15 = W[j + 15]);
      SB[c] += xb0 * w0 + xb1 * w1 + xb2 * w2 + xb3 * w3 + xb4 * w4 + xb5 * w5 + xb6 * w6 + xb7 * w7 + xb8 * w8 +
        xb9 * w9 + xb10 * w10 + xb11 * w11 + xb12 * w12 + xb13 * w13 + xb14 * w14 + xb15 * w15;
      SE[c] += xe0 * w0 + xe1 * w1 + xe2 * w2 + xe3 * w3 + xe4 * w4 + xe5 * w5 + xe6 * w6 + xe7 * w7 + xe8 * w8 +
        xe9 * w9 + xe10 * w10 + xe11 * w11 + xe12 * w12 + xe13 * w13 + xe14 * w14 + xe15 * w15;
      j += K;
    } while (++c < channels);
  }
  if (k < eights) {
    p = a0 + k; q = a1 + k;
    xa0 = S[p] + F * S[q]; xa1 = S[p + 1] + F * S[q + 1]; xa2 = S[p + 2] + F * S[q + 2]; xa3 = S[p + 3] + F * S[q + 3];
    xa4 = S[p + 4] + F * S[q + 4]; xa5 = S[p + 5] + F * S[q + 5]; xa6 = S[p + 6] + F * S[q + 6]; xa7 = S[p + 7] + F * S[q + 7];
    p = a2 + k; q = a3 + k;
    xb0 = S[p] + F * S[q]; xb1 = S[p + 1] + F * S[q + 1]; xb2 = S[p + 2] + F * S[q + 2]; xb3 = S[p + 3] + F * S[q + 3];
    xb4 = S[p + 4] + F * S[q + 4]; xb5 = S[p + 5] + F * S[q + 5]; xb6 = S[p + 6] + F * S[q + 6]; xb7 = S[p + 7] + F * S[q + 7];
    p = a4 + k; q = a5 + k;
    xe0 = S[p] + F * S[q]; xe1 = S[p + 1] + F * S[q + 1]; xe2 = S[p + 2] + F * S[q + 2]; xe3 = S[p + 3] + F * S[q + 3];
    xe4 = S[p + 4] + F * S[q + 4]; xe5 = S[p + 5] + F * S[q + 5]; xe6 = S[p + 6] + F * S[q + 6]; xe7 = S[p + 7] + F * S[q + 7];
    c = 0; j = k;
    do {
      SA[c] += xa0 * (w0 = W[j]) + xa1 * (w1 = W[j + 1]) + xa2 * (w2 = W[j + 2]) + xa3 * (w3 = W[j + 3]) +
        xa4 * (w4 = W[j + 4]) + xa5 * (w5 = W[j + 5]) + xa6 * (w6 = W[j + 6]) + xa7 * (w7 = W[j + 7]);
      SB[c] += xb0 * w0 + xb1 * w1 + xb2 * w2 + xb3 * w3 + xb4 * w4 + xb5 * w5 + xb6 * w6 + xb7 * w7;
      SE[c] += xe0 * w0 + xe1 * w1 + xe2 * w2 + xe3 * w3 + xe4 * w4 + xe5 * w5 + xe6 * w6 + xe7 * w7;
      j += K;
    } while (++c < channels);
    k += 8;
  }
  for (; k < K; k++) {
    xa0 = S[a0 + k] + F * S[a1 + k];
    xb0 = S[a2 + k] + F * S[a3 + k];
    xe0 = S[a4 + k] + F * S[a5 + k];
    c = 0; j = k;
    do {
      SA[c] += xa0 * (w0 = W[j]);
      SB[c] += xb0 * w0;
      SE[c] += xe0 * w0;
      j += K;
    } while (++c < channels);
  }
}

/**
 * quadDot for eight positions, four packed pairs (the third's and fourth's sums in SE and SG):
 * each weight read feeds eight multiply-accumulates. For windows of 16 values or more, where
 * the channel loop's own costs are spread thin.
 */
export function octetDot(
  S: ArrayLike<number>, a0: number, a1: number, a2: number, a3: number, a4: number, a5: number, a6: number, a7: number,
  K: number, W: ArrayLike<number>, channels: number, SA: Float64Array, SB: Float64Array, SE: Float64Array, SG: Float64Array,
  start: number, F: number,
): void {
  SA.fill(start, 0, channels);
  SB.fill(start, 0, channels);
  SE.fill(start, 0, channels);
  SG.fill(start, 0, channels);
  const sixteens = K - (K & 15), eights = K - (K & 7);
  let w0 = 0, w1 = 0, w2 = 0, w3 = 0, w4 = 0, w5 = 0, w6 = 0, w7 = 0;
  let w8 = 0, w9 = 0, w10 = 0, w11 = 0, w12 = 0, w13 = 0, w14 = 0, w15 = 0;
  let xa0 = 0, xa1 = 0, xa2 = 0, xa3 = 0, xa4 = 0, xa5 = 0, xa6 = 0, xa7 = 0;
  let xa8 = 0, xa9 = 0, xa10 = 0, xa11 = 0, xa12 = 0, xa13 = 0, xa14 = 0, xa15 = 0;
  let xb0 = 0, xb1 = 0, xb2 = 0, xb3 = 0, xb4 = 0, xb5 = 0, xb6 = 0, xb7 = 0;
  let xb8 = 0, xb9 = 0, xb10 = 0, xb11 = 0, xb12 = 0, xb13 = 0, xb14 = 0, xb15 = 0;
  let xe0 = 0, xe1 = 0, xe2 = 0, xe3 = 0, xe4 = 0, xe5 = 0, xe6 = 0, xe7 = 0;
  let xe8 = 0, xe9 = 0, xe10 = 0, xe11 = 0, xe12 = 0, xe13 = 0, xe14 = 0, xe15 = 0;
  let xg0 = 0, xg1 = 0, xg2 = 0, xg3 = 0, xg4 = 0, xg5 = 0, xg6 = 0, xg7 = 0;
  let xg8 = 0, xg9 = 0, xg10 = 0, xg11 = 0, xg12 = 0, xg13 = 0, xg14 = 0, xg15 = 0;
  let p = 0, q = 0, c = 0, j = 0, k = 0;
  for (k = 0; k < sixteens; k += 16) {
    p = a0 + k; q = a1 + k;
    xa0 = S[p] + F * S[q]; xa1 = S[p + 1] + F * S[q + 1]; xa2 = S[p + 2] + F * S[q + 2]; xa3 = S[p + 3] + F * S[q + 3];
    xa4 = S[p + 4] + F * S[q + 4]; xa5 = S[p + 5] + F * S[q + 5]; xa6 = S[p + 6] + F * S[q + 6]; xa7 = S[p + 7] + F * S[q + 7];
    xa8 = S[p + 8] + F * S[q + 8]; xa9 = S[p + 9] + F * S[q + 9]; xa10 = S[p + 10] + F * S[q + 10]; xa11 = S[p + 11] + F * S[q + 11];
    xa12 = S[p + 12] + F * S[q + 12]; xa13 = S[p + 13] + F * S[q + 13]; xa14 = S[p + 14] + F * S[q + 14]; xa15 = S[p + 15] + F * S[q + 15];
    p = a2 + k; q = a3 + k;
    xb0 = S[p] + F * S[q]; xb1 = S[p + 1] + F * S[q + 1]; xb2 = S[p + 2] + F * S[q + 2]; xb3 = S[p + 3] + F * S[q + 3];
    xb4 = S[p + 4] + F * S[q + 4]; xb5 = S[p + 5] + F * S[q + 5]; xb6 = S[p + 6] + F * S[q + 6]; xb7 = S[p + 7] + F * S[q + 7];
    xb8 = S[p + 8] + F * S[q + 8]; xb9 = S[p + 9] + F * S[q + 9]; xb10 = S[p + 10] + F * S[q + 10]; xb11 = S[p + 11] + F * S[q + 11];
    xb12 = S[p + 12] + F * S[q + 12]; xb13 = S[p + 13] + F * S[q + 13]; xb14 = S[p + 14] + F * S[q + 14]; xb15 = S[p + 15] + F * S[q + 15];
    p = a4 + k; q = a5 + k;
    xe0 = S[p] + F * S[q]; xe1 = S[p + 1] + F * S[q + 1]; xe2 = S[p + 2] + F * S[q + 2]; xe3 = S[p + 3] + F * S[q + 3];
    xe4 = S[p + 4] + F * S[q + 4]; xe5 = S[p + 5] + F * S[q + 5]; xe6 = S[p + 6] + F * S[q + 6]; xe7 = S[p + 7] + F * S[q + 7];
    xe8 = S[p + 8] + F * S[q + 8]; xe9 = S[p + 9] + F * S[q + 9]; xe10 = S[p + 10] + F * S[q + 10]; xe11 = S[p + 11] + F * S[q + 11];
    xe12 = S[p + 12] + F * S[q + 12]; xe13 = S[p + 13] + F * S[q + 13]; xe14 = S[p + 14] + F * S[q + 14]; xe15 = S[p + 15] + F * S[q + 15];
    p = a6 + k; q = a7 + k;
    xg0 = S[p] + F * S[q]; xg1 = S[p + 1] + F * S[q + 1]; xg2 = S[p + 2] + F * S[q + 2]; xg3 = S[p + 3] + F * S[q + 3];
    xg4 = S[p + 4] + F * S[q + 4]; xg5 = S[p + 5] + F * S[q + 5]; xg6 = S[p + 6] + F * S[q + 6]; xg7 = S[p + 7] + F * S[q + 7];
    xg8 = S[p + 8] + F * S[q + 8]; xg9 = S[p + 9] + F * S[q + 9]; xg10 = S[p + 10] + F * S[q + 10]; xg11 = S[p + 11] + F * S[q + 11];
    xg12 = S[p + 12] + F * S[q + 12]; xg13 = S[p + 13] + F * S[q + 13]; xg14 = S[p + 14] + F * S[q + 14]; xg15 = S[p + 15] + F * S[q + 15];
    c = 0; j = k;
    do {
      SA[c] += xa0 * (w0 = W[j]) + xa1 * (w1 = W[j + 1]) + xa2 * (w2 = W[j + 2]) + xa3 * (w3 = W[j + 3]) +
        xa4 * (w4 = W[j + 4]) + xa5 * (w5 = W[j + 5]) + xa6 * (w6 = W[j + 6]) + xa7 * (w7 = W[j + 7]) +
        xa8 * (w8 = W[j + 8]) + xa9 * (w9 = W[j + 9]) + xa10 * (w10 = W[j + 10]) + xa11 * (w11 = W[j + 11]) +
        xa12 * (w12 = W[j + 12]) + xa13 * (w13 = W[j + 13]) + xa14 * (w14 = W[j + 14]) + xa15 * (w15 = W[j + 15]);
      SB[c] += xb0 * w0 + xb1 * w1 + xb2 * w2 + xb3 * w3 + xb4 * w4 + xb5 * w5 + xb6 * w6 + xb7 * w7 + xb8 * w8 +
        xb9 * w9 + xb10 * w10 + xb11 * w11 + xb12 * w12 + xb13 * w13 + xb14 * w14 + xb15 * w15;
      SE[c] += xe0 * w0 + xe1 * w1 + xe2 * w2 + xe3 * w3 + xe4 * w4 + xe5 * w5 + xe6 * w6 + xe7 * w7 + xe8 * w8 +
        xe9 * w9 + xe10 * w10 + xe11 * w11 + xe12 * w12 + xe13 * w13 + xe14 * w14 + xe15 * w15;
      SG[c] += xg0 * w0 + xg1 * w1 + xg2 * w2 + xg3 * w3 + xg4 * w4 + xg5 * w5 + xg6 * w6 + xg7 * w7 + xg8 * w8 +
        xg9 * w9 + xg10 * w10 + xg11 * w11 + xg12 * w12 + xg13 * w13 + xg14 * w14 + xg15 * w15;
      j += K;
    } while (++c < channels);
  }
  if (k < eights) {
    p = a0 + k; q = a1 + k;
    xa0 = S[p] + F * S[q]; xa1 = S[p + 1] + F * S[q + 1]; xa2 = S[p + 2] + F * S[q + 2]; xa3 = S[p + 3] + F * S[q + 3];
    xa4 = S[p + 4] + F * S[q + 4]; xa5 = S[p + 5] + F * S[q + 5]; xa6 = S[p + 6] + F * S[q + 6]; xa7 = S[p + 7] + F * S[q + 7];
    p = a2 + k; q = a3 + k;
    xb0 = S[p] + F * S[q]; xb1 = S[p + 1] + F * S[q + 1]; xb2 = S[p + 2] + F * S[q + 2]; xb3 = S[p + 3] + F * S[q + 3];
    xb4 = S[p + 4] + F * S[q + 4]; xb5 = S[p + 5] + F * S[q + 5]; xb6 = S[p + 6] + F * S[q + 6]; xb7 = S[p + 7] + F * S[q + 7];
    p = a4 + k; q = a5 + k;
    xe0 = S[p] + F * S[q]; xe1 = S[p + 1] + F * S[q + 1]; xe2 = S[p + 2] + F * S[q + 2]; xe3 = S[p + 3] + F * S[q + 3];
    xe4 = S[p + 4] + F * S[q + 4]; xe5 = S[p + 5] + F * S[q + 5]; xe6 = S[p + 6] + F * S[q + 6]; xe7 = S[p + 7] + F * S[q + 7];
    p = a6 + k; q = a7 + k;
    xg0 = S[p] + F * S[q]; xg1 = S[p + 1] + F * S[q + 1]; xg2 = S[p + 2] + F * S[q + 2]; xg3 = S[p + 3] + F * S[q + 3];
    xg4 = S[p + 4] + F * S[q + 4]; xg5 = S[p + 5] + F * S[q + 5]; xg6 = S[p + 6] + F * S[q + 6]; xg7 = S[p + 7] + F * S[q + 7];
    c = 0; j = k;
    do {
      SA[c] += xa0 * (w0 = W[j]) + xa1 * (w1 = W[j + 1]) + xa2 * (w2 = W[j + 2]) + xa3 * (w3 = W[j + 3]) +
        xa4 * (w4 = W[j + 4]) + xa5 * (w5 = W[j + 5]) + xa6 * (w6 = W[j + 6]) + xa7 * (w7 = W[j + 7]);
      SB[c] += xb0 * w0 + xb1 * w1 + xb2 * w2 + xb3 * w3 + xb4 * w4 + xb5 * w5 + xb6 * w6 + xb7 * w7;
      SE[c] += xe0 * w0 + xe1 * w1 + xe2 * w2 + xe3 * w3 + xe4 * w4 + xe5 * w5 + xe6 * w6 + xe7 * w7;
      SG[c] += xg0 * w0 + xg1 * w1 + xg2 * w2 + xg3 * w3 + xg4 * w4 + xg5 * w5 + xg6 * w6 + xg7 * w7;
      j += K;
    } while (++c < channels);
    k += 8;
  }
  for (; k < K; k++) {
    xa0 = S[a0 + k] + F * S[a1 + k];
    xb0 = S[a2 + k] + F * S[a3 + k];
    xe0 = S[a4 + k] + F * S[a5 + k];
    xg0 = S[a6 + k] + F * S[a7 + k];
    c = 0; j = k;
    do {
      SA[c] += xa0 * (w0 = W[j]);
      SB[c] += xb0 * w0;
      SE[c] += xe0 * w0;
      SG[c] += xg0 * w0;
      j += K;
    } while (++c < channels);
  }
}

/**
 * requantizeQuad for one pair's sums S[c]: `count` (1 or 2) positions, stored at
 * Y[outIndex + position * channels + c].
 */
export function requantizePair(
  q: ChannelQuantization, quick: boolean, offsets: Float64Array, F: number, channels: number, outZp: number,
  S: Float64Array, Y: TensorData, outIndex: number, count: number,
): void {
  const M = q.multipliers, Sh = q.shifts, SC = q.scaled, AP = q.addPositive, AN = q.addNegative;
  const outMin = q.outputMin, outMax = q.outputMax;
  let T = 0, hi = 0, off = 0, sc = 0, ap = 0, an = 0, acc = 0, r = 0, c = 0, o = outIndex, o1 = outIndex + channels;
  if (quick && count === 2) {
    do {
      T = S[c]; off = offsets[c]; sc = SC[c]; ap = AP[c];
      hi = (T / F) | 0;
      acc = T - hi * F + off;
      if (acc < 0) Y[o] = outMin;
      else { r = ((acc * sc + ap) | 0) + outZp; Y[o] = r > outMax ? outMax : r; }
      acc = hi + off;
      if (acc < 0) Y[o1] = outMin;
      else { r = ((acc * sc + ap) | 0) + outZp; Y[o1] = r > outMax ? outMax : r; }
      o++;
      o1++;
    } while (++c < channels);
    return;
  }
  const lim = q.fast ? FAST_REQUANT_LIMIT : 0, nlim = -lim;
  for (c = 0; c < channels; c++) {
    T = S[c]; off = offsets[c]; sc = SC[c]; ap = AP[c]; an = AN[c];
    hi = (T / F) | 0;
    acc = T - hi * F + off;
    if (acc >= 0) r = acc < lim ? (acc * sc + ap) | 0 : multiplyByQuantizedMultiplier(acc | 0, M[c], Sh[c]);
    else r = acc > nlim ? -((an - acc * sc) | 0) : multiplyByQuantizedMultiplier(acc | 0, M[c], Sh[c]);
    r += outZp;
    Y[outIndex + c] = r < outMin ? outMin : r > outMax ? outMax : r;
    if (count > 1) {
      acc = hi + off;
      if (acc >= 0) r = acc < lim ? (acc * sc + ap) | 0 : multiplyByQuantizedMultiplier(acc | 0, M[c], Sh[c]);
      else r = acc > nlim ? -((an - acc * sc) | 0) : multiplyByQuantizedMultiplier(acc | 0, M[c], Sh[c]);
      r += outZp;
      Y[o1 + c] = r < outMin ? outMin : r > outMax ? outMax : r;
    }
  }
}

/**
 * True when every accumulator of these weights, bias + sum(w * (x - zp)) over int8 x, stays
 * below FAST_REQUANT_LIMIT in magnitude, so the inlined requantization needs no range check.
 * Channel c's weights are weights[c * channelStride + k * termStride], k < terms.
 */
export function accumulatorsBounded(
  weights: ArrayLike<number>, bias: Float64Array, channels: number, terms: number,
  channelStride: number, termStride: number, zeroPoint: number,
): boolean {
  const spread = Math.max(127 - zeroPoint, zeroPoint + 128);
  for (let c = 0; c < channels; c++) {
    let sum = 0;
    for (let k = 0; k < terms; k++) {
      const w = weights[c * channelStride + k * termStride];
      sum += w < 0 ? -w : w;
    }
    if (sum * spread + Math.abs(bias[c]) >= FAST_REQUANT_LIMIT) return false;
  }
  return true;
}

/**
 * Splits the pair sums SA[c], SB[c] into the accumulators of `count` (1 to 4) consecutive output
 * positions, adds offsets[c] (bias, zero point and field offsets), requantizes and stores them
 * at Y[outIndex + position * channels + c].
 *
 * `quick`: the accumulators are known to be in the fast requantization's range and the lower
 * activation bound is the output zero point (RELU, RELU6), so a negative accumulator, which
 * requantizes to zero or below, stores the bound and a positive one needs no lower clamp.
 */
export function requantizeQuad(
  q: ChannelQuantization, quick: boolean, offsets: Float64Array, F: number, channels: number, outZp: number,
  SA: Float64Array, SB: Float64Array, Y: TensorData, outIndex: number, count: number,
): void {
  const M = q.multipliers, Sh = q.shifts, SC = q.scaled, AP = q.addPositive, AN = q.addNegative;
  const outMin = q.outputMin, outMax = q.outputMax;
  const o1 = outIndex + channels, o2 = o1 + channels, o3 = o2 + channels;
  if (quick && count === 4) {
    for (let c = 0; c < channels; c++) {
      const T = SA[c], U = SB[c], off = offsets[c], sc = SC[c], ap = AP[c];
      const hiT = (T / F) | 0, hiU = (U / F) | 0;
      let acc = T - hiT * F + off, r = 0;
      if (acc < 0) Y[outIndex + c] = outMin;
      else { r = ((acc * sc + ap) | 0) + outZp; Y[outIndex + c] = r > outMax ? outMax : r; }
      acc = hiT + off;
      if (acc < 0) Y[o1 + c] = outMin;
      else { r = ((acc * sc + ap) | 0) + outZp; Y[o1 + c] = r > outMax ? outMax : r; }
      acc = U - hiU * F + off;
      if (acc < 0) Y[o2 + c] = outMin;
      else { r = ((acc * sc + ap) | 0) + outZp; Y[o2 + c] = r > outMax ? outMax : r; }
      acc = hiU + off;
      if (acc < 0) Y[o3 + c] = outMin;
      else { r = ((acc * sc + ap) | 0) + outZp; Y[o3 + c] = r > outMax ? outMax : r; }
    }
    return;
  }
  const lim = q.fast ? FAST_REQUANT_LIMIT : 0, nlim = -lim;
  for (let c = 0; c < channels; c++) {
    const T = SA[c], U = SB[c], off = offsets[c], sc = SC[c], ap = AP[c], an = AN[c];
    const hiT = (T / F) | 0, hiU = (U / F) | 0;
    let acc = T - hiT * F + off, r = 0;
    if (acc >= 0) r = acc < lim ? (acc * sc + ap) | 0 : multiplyByQuantizedMultiplier(acc | 0, M[c], Sh[c]);
    else r = acc > nlim ? -((an - acc * sc) | 0) : multiplyByQuantizedMultiplier(acc | 0, M[c], Sh[c]);
    r += outZp;
    Y[outIndex + c] = r < outMin ? outMin : r > outMax ? outMax : r;
    if (count > 1) {
      acc = hiT + off;
      if (acc >= 0) r = acc < lim ? (acc * sc + ap) | 0 : multiplyByQuantizedMultiplier(acc | 0, M[c], Sh[c]);
      else r = acc > nlim ? -((an - acc * sc) | 0) : multiplyByQuantizedMultiplier(acc | 0, M[c], Sh[c]);
      r += outZp;
      Y[o1 + c] = r < outMin ? outMin : r > outMax ? outMax : r;
      if (count > 2) {
        acc = U - hiU * F + off;
        if (acc >= 0) r = acc < lim ? (acc * sc + ap) | 0 : multiplyByQuantizedMultiplier(acc | 0, M[c], Sh[c]);
        else r = acc > nlim ? -((an - acc * sc) | 0) : multiplyByQuantizedMultiplier(acc | 0, M[c], Sh[c]);
        r += outZp;
        Y[o2 + c] = r < outMin ? outMin : r > outMax ? outMax : r;
        if (count > 3) {
          acc = hiU + off;
          if (acc >= 0) r = acc < lim ? (acc * sc + ap) | 0 : multiplyByQuantizedMultiplier(acc | 0, M[c], Sh[c]);
          else r = acc > nlim ? -((an - acc * sc) | 0) : multiplyByQuantizedMultiplier(acc | 0, M[c], Sh[c]);
          r += outZp;
          Y[o3 + c] = r < outMin ? outMin : r > outMax ? outMax : r;
        }
      }
    }
  }
}

/**
 * requantizeQuadRows for one pair's sums S[c]: `count` (1 or 2) positions, stored at
 * Y[outIndex + position * channels + c].
 */
export function requantizePairRows(
  offsets: Float64Array, SC: Float64Array, AP: Float64Array, AN: Float64Array, P: Int32Array,
  quick: boolean, fast: boolean, F: number, channels: number, outZp: number, outMin: number, outMax: number,
  S: Float64Array, Y: TensorData, outIndex: number, count: number,
): void {
  let T = 0, hi = 0, off = 0, sc = 0, ap = 0, an = 0, acc = 0, r = 0, c = 0, o = outIndex, o1 = outIndex + channels;
  if (quick && count === 2) {
    do {
      T = S[c]; off = offsets[c]; sc = SC[c]; ap = AP[c];
      hi = (T / F) | 0;
      acc = T - hi * F + off;
      if (acc < 0) Y[o] = outMin;
      else { r = ((acc * sc + ap) | 0) + outZp; Y[o] = r > outMax ? outMax : r; }
      acc = hi + off;
      if (acc < 0) Y[o1] = outMin;
      else { r = ((acc * sc + ap) | 0) + outZp; Y[o1] = r > outMax ? outMax : r; }
      o++;
      o1++;
    } while (++c < channels);
    return;
  }
  const lim = fast ? FAST_REQUANT_LIMIT : 0, nlim = -lim;
  for (c = 0; c < channels; c++) {
    T = S[c]; off = offsets[c]; sc = SC[c]; ap = AP[c]; an = AN[c];
    hi = (T / F) | 0;
    acc = T - hi * F + off;
    if (acc >= 0) r = acc < lim ? (acc * sc + ap) | 0 : exact(acc, P, channels, c);
    else r = acc > nlim ? -((an - acc * sc) | 0) : exact(acc, P, channels, c);
    r += outZp;
    Y[outIndex + c] = r < outMin ? outMin : r > outMax ? outMax : r;
    if (count > 1) {
      acc = hi + off;
      if (acc >= 0) r = acc < lim ? (acc * sc + ap) | 0 : exact(acc, P, channels, c);
      else r = acc > nlim ? -((an - acc * sc) | 0) : exact(acc, P, channels, c);
      r += outZp;
      Y[o1 + c] = r < outMin ? outMin : r > outMax ? outMax : r;
    }
  }
}

/**
 * requantizeQuad with per-channel tables derived at each invoke (conv-record.ts deriveRows) and
 * the exact form's multiplier and shift read from the record P. Splits the pair sums SA[c], SB[c] into the accumulators of `count` (1 to 4) consecutive output
 * positions, adds offsets[c] (bias, zero point and field offsets), requantizes and stores them
 * at Y[outIndex + position * channels + c].
 *
 * `quick`: the accumulators are known to be in the fast requantization's range and the lower
 * activation bound is the output zero point (RELU, RELU6), so a negative accumulator, which
 * requantizes to zero or below, stores the bound and a positive one needs no lower clamp.
 */
export function requantizeQuadRows(
  offsets: Float64Array, SC: Float64Array, AP: Float64Array, AN: Float64Array, P: Int32Array,
  quick: boolean, fast: boolean, F: number, channels: number, outZp: number, outMin: number, outMax: number,
  SA: Float64Array, SB: Float64Array, Y: TensorData, outIndex: number, count: number,
): void {
  const o1 = outIndex + channels, o2 = o1 + channels, o3 = o2 + channels;
  if (quick && count === 4) {
    for (let c = 0; c < channels; c++) {
      const T = SA[c], U = SB[c], off = offsets[c], sc = SC[c], ap = AP[c];
      const hiT = (T / F) | 0, hiU = (U / F) | 0;
      let acc = T - hiT * F + off, r = 0;
      if (acc < 0) Y[outIndex + c] = outMin;
      else { r = ((acc * sc + ap) | 0) + outZp; Y[outIndex + c] = r > outMax ? outMax : r; }
      acc = hiT + off;
      if (acc < 0) Y[o1 + c] = outMin;
      else { r = ((acc * sc + ap) | 0) + outZp; Y[o1 + c] = r > outMax ? outMax : r; }
      acc = U - hiU * F + off;
      if (acc < 0) Y[o2 + c] = outMin;
      else { r = ((acc * sc + ap) | 0) + outZp; Y[o2 + c] = r > outMax ? outMax : r; }
      acc = hiU + off;
      if (acc < 0) Y[o3 + c] = outMin;
      else { r = ((acc * sc + ap) | 0) + outZp; Y[o3 + c] = r > outMax ? outMax : r; }
    }
    return;
  }
  const lim = fast ? FAST_REQUANT_LIMIT : 0, nlim = -lim;
  for (let c = 0; c < channels; c++) {
    const T = SA[c], U = SB[c], off = offsets[c], sc = SC[c], ap = AP[c], an = AN[c];
    const hiT = (T / F) | 0, hiU = (U / F) | 0;
    let acc = T - hiT * F + off, r = 0;
    if (acc >= 0) r = acc < lim ? (acc * sc + ap) | 0 : exact(acc, P, channels, c);
    else r = acc > nlim ? -((an - acc * sc) | 0) : exact(acc, P, channels, c);
    r += outZp;
    Y[outIndex + c] = r < outMin ? outMin : r > outMax ? outMax : r;
    if (count > 1) {
      acc = hiT + off;
      if (acc >= 0) r = acc < lim ? (acc * sc + ap) | 0 : exact(acc, P, channels, c);
      else r = acc > nlim ? -((an - acc * sc) | 0) : exact(acc, P, channels, c);
      r += outZp;
      Y[o1 + c] = r < outMin ? outMin : r > outMax ? outMax : r;
      if (count > 2) {
        acc = U - hiU * F + off;
        if (acc >= 0) r = acc < lim ? (acc * sc + ap) | 0 : exact(acc, P, channels, c);
        else r = acc > nlim ? -((an - acc * sc) | 0) : exact(acc, P, channels, c);
        r += outZp;
        Y[o2 + c] = r < outMin ? outMin : r > outMax ? outMax : r;
        if (count > 3) {
          acc = hiU + off;
          if (acc >= 0) r = acc < lim ? (acc * sc + ap) | 0 : exact(acc, P, channels, c);
          else r = acc > nlim ? -((an - acc * sc) | 0) : exact(acc, P, channels, c);
          r += outZp;
          Y[o3 + c] = r < outMin ? outMin : r > outMax ? outMax : r;
        }
      }
    }
  }
}

/** The exact requantization of channel c from the record's multiplier and shift. */
function exact(acc: number, P: Int32Array, channels: number, c: number): number {
  return multiplyByQuantizedMultiplier(acc | 0, P[Rec.TABLES + c], shiftOf(P, channels, c));
}
