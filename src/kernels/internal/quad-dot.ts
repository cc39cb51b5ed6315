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
// Sums are indexed from `s` (an element index into one view of the arena's doubles per pair,
// conv-record.ts), and weights from `w` (an element index into the weights' whole view): the
// loops start there, so the indices cost nothing per multiply. requantizeRows (below) turns the
// sums into outputs, deriving each channel's fast requantization factors as it goes.
import type { TensorData } from '../../core/types.js';
import { FAST_REQUANT_LIMIT } from './conv-params.js';
import { multiplyByQuantizedMultiplier } from './quantization.js';
import { ADD_NEGATIVE, ADD_POSITIVE, SCALE } from './conv-record.js';

/**
 * Sets SA[s + c] and SB[s + c] (c < channels) to `start` plus channel c's dot products with the
 * packed pairs (S[a0 + k] + F * S[a1 + k]) and (S[a2 + k] + F * S[a3 + k]) over k < K; channel
 * c's weights are W[w + c * K + k].
 */
export function quadDot(
  S: ArrayLike<number>, a0: number, a1: number, a2: number, a3: number, K: number,
  W: ArrayLike<number>, w: number, channels: number, SA: Float64Array, SB: Float64Array, s: number, start: number, F: number,
): void {
  const end = s + channels;
  SA.fill(start, s, end);
  SB.fill(start, s, end);
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
    c = s; j = w + k;
    do {
      SA[c] += xa0 * (w0 = W[j]) + xa1 * (w1 = W[j + 1]) + xa2 * (w2 = W[j + 2]) + xa3 * (w3 = W[j + 3]) +
        xa4 * (w4 = W[j + 4]) + xa5 * (w5 = W[j + 5]) + xa6 * (w6 = W[j + 6]) + xa7 * (w7 = W[j + 7]) +
        xa8 * (w8 = W[j + 8]) + xa9 * (w9 = W[j + 9]) + xa10 * (w10 = W[j + 10]) + xa11 * (w11 = W[j + 11]) +
        xa12 * (w12 = W[j + 12]) + xa13 * (w13 = W[j + 13]) + xa14 * (w14 = W[j + 14]) + xa15 * (w15 = W[j + 15]);
      SB[c] += xb0 * w0 + xb1 * w1 + xb2 * w2 + xb3 * w3 + xb4 * w4 + xb5 * w5 + xb6 * w6 + xb7 * w7 + xb8 * w8 +
        xb9 * w9 + xb10 * w10 + xb11 * w11 + xb12 * w12 + xb13 * w13 + xb14 * w14 + xb15 * w15;
      j += K;
    } while (++c < end);
  }
  if (k < eights) {
    p = a0 + k; q = a1 + k;
    xa0 = S[p] + F * S[q]; xa1 = S[p + 1] + F * S[q + 1]; xa2 = S[p + 2] + F * S[q + 2]; xa3 = S[p + 3] + F * S[q + 3];
    xa4 = S[p + 4] + F * S[q + 4]; xa5 = S[p + 5] + F * S[q + 5]; xa6 = S[p + 6] + F * S[q + 6]; xa7 = S[p + 7] + F * S[q + 7];
    p = a2 + k; q = a3 + k;
    xb0 = S[p] + F * S[q]; xb1 = S[p + 1] + F * S[q + 1]; xb2 = S[p + 2] + F * S[q + 2]; xb3 = S[p + 3] + F * S[q + 3];
    xb4 = S[p + 4] + F * S[q + 4]; xb5 = S[p + 5] + F * S[q + 5]; xb6 = S[p + 6] + F * S[q + 6]; xb7 = S[p + 7] + F * S[q + 7];
    c = s; j = w + k;
    do {
      SA[c] += xa0 * (w0 = W[j]) + xa1 * (w1 = W[j + 1]) + xa2 * (w2 = W[j + 2]) + xa3 * (w3 = W[j + 3]) +
        xa4 * (w4 = W[j + 4]) + xa5 * (w5 = W[j + 5]) + xa6 * (w6 = W[j + 6]) + xa7 * (w7 = W[j + 7]);
      SB[c] += xb0 * w0 + xb1 * w1 + xb2 * w2 + xb3 * w3 + xb4 * w4 + xb5 * w5 + xb6 * w6 + xb7 * w7;
      j += K;
    } while (++c < end);
    k += 8;
  }
  for (; k < K; k++) {
    xa0 = S[a0 + k] + F * S[a1 + k];
    xb0 = S[a2 + k] + F * S[a3 + k];
    c = s; j = w + k;
    do {
      SA[c] += xa0 * (w0 = W[j]);
      SB[c] += xb0 * w0;
      j += K;
    } while (++c < end);
  }
}

/**
 * quadDot for six positions, three packed pairs (the third's sums in SE): each weight read
 * feeds six multiply-accumulates. For windows of 16 values or more, where the channel loop's
 * own costs are spread thin.
 */
export function sextetDot(
  S: ArrayLike<number>, a0: number, a1: number, a2: number, a3: number, a4: number, a5: number, K: number,
  W: ArrayLike<number>, w: number, channels: number, SA: Float64Array, SB: Float64Array, SE: Float64Array, s: number, start: number, F: number,
): void {
  const end = s + channels;
  SA.fill(start, s, end);
  SB.fill(start, s, end);
  SE.fill(start, s, end);
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
    c = s; j = w + k;
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
    } while (++c < end);
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
    c = s; j = w + k;
    do {
      SA[c] += xa0 * (w0 = W[j]) + xa1 * (w1 = W[j + 1]) + xa2 * (w2 = W[j + 2]) + xa3 * (w3 = W[j + 3]) +
        xa4 * (w4 = W[j + 4]) + xa5 * (w5 = W[j + 5]) + xa6 * (w6 = W[j + 6]) + xa7 * (w7 = W[j + 7]);
      SB[c] += xb0 * w0 + xb1 * w1 + xb2 * w2 + xb3 * w3 + xb4 * w4 + xb5 * w5 + xb6 * w6 + xb7 * w7;
      SE[c] += xe0 * w0 + xe1 * w1 + xe2 * w2 + xe3 * w3 + xe4 * w4 + xe5 * w5 + xe6 * w6 + xe7 * w7;
      j += K;
    } while (++c < end);
    k += 8;
  }
  for (; k < K; k++) {
    xa0 = S[a0 + k] + F * S[a1 + k];
    xb0 = S[a2 + k] + F * S[a3 + k];
    xe0 = S[a4 + k] + F * S[a5 + k];
    c = s; j = w + k;
    do {
      SA[c] += xa0 * (w0 = W[j]);
      SB[c] += xb0 * w0;
      SE[c] += xe0 * w0;
      j += K;
    } while (++c < end);
  }
}

/**
 * quadDot for eight positions, four packed pairs (the third's and fourth's sums in SE and SG):
 * each weight read feeds eight multiply-accumulates. For windows of 16 values or more, where
 * the channel loop's own costs are spread thin.
 */
export function octetDot(
  S: ArrayLike<number>, a0: number, a1: number, a2: number, a3: number, a4: number, a5: number, a6: number, a7: number,
  K: number, W: ArrayLike<number>, w: number, channels: number, SA: Float64Array, SB: Float64Array, SE: Float64Array, SG: Float64Array,
  s: number, start: number, F: number,
): void {
  const end = s + channels;
  SA.fill(start, s, end);
  SB.fill(start, s, end);
  SE.fill(start, s, end);
  SG.fill(start, s, end);
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
    c = s; j = w + k;
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
    } while (++c < end);
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
    c = s; j = w + k;
    do {
      SA[c] += xa0 * (w0 = W[j]) + xa1 * (w1 = W[j + 1]) + xa2 * (w2 = W[j + 2]) + xa3 * (w3 = W[j + 3]) +
        xa4 * (w4 = W[j + 4]) + xa5 * (w5 = W[j + 5]) + xa6 * (w6 = W[j + 6]) + xa7 * (w7 = W[j + 7]);
      SB[c] += xb0 * w0 + xb1 * w1 + xb2 * w2 + xb3 * w3 + xb4 * w4 + xb5 * w5 + xb6 * w6 + xb7 * w7;
      SE[c] += xe0 * w0 + xe1 * w1 + xe2 * w2 + xe3 * w3 + xe4 * w4 + xe5 * w5 + xe6 * w6 + xe7 * w7;
      SG[c] += xg0 * w0 + xg1 * w1 + xg2 * w2 + xg3 * w3 + xg4 * w4 + xg5 * w5 + xg6 * w6 + xg7 * w7;
      j += K;
    } while (++c < end);
    k += 8;
  }
  for (; k < K; k++) {
    xa0 = S[a0 + k] + F * S[a1 + k];
    xb0 = S[a2 + k] + F * S[a3 + k];
    xe0 = S[a4 + k] + F * S[a5 + k];
    xg0 = S[a6 + k] + F * S[a7 + k];
    c = s; j = w + k;
    do {
      SA[c] += xa0 * (w0 = W[j]);
      SB[c] += xb0 * w0;
      SE[c] += xe0 * w0;
      SG[c] += xg0 * w0;
      j += K;
    } while (++c < end);
  }
}

/**
 * Requantizes `count` (1 to 8) consecutive output positions from their pair sums: positions 0
 * and 1 of channel c from D0[s + c], 2 and 3 from D1, 4 and 5 from D2, 6 and 7 from D3 (views
 * not read may be any). Adds the channel's offset (bias, zero point and fields' start folded:
 * the record P from m + C), requantizes with its multiplier (P[m + c]) and right shift (the int8
 * E[e + c]), clamps and stores position j at Y[y + j * C + c]. The fast form's factors are
 * derived once per channel from the shift (conv-record.ts's tables).
 *
 * `quick`: the accumulators are known to be in the fast requantization's range and the lower
 * activation bound is the output zero point (RELU, RELU6), so a negative accumulator, which
 * requantizes to zero or below, stores the bound and a positive one needs no lower clamp.
 */
export function requantizeRows(
  P: Int32Array, m: number, E: TensorData, e: number, quick: boolean, fast: boolean, F: number, C: number,
  outZp: number, outMin: number, outMax: number,
  D0: Float64Array, D1: Float64Array, D2: Float64Array, D3: Float64Array, s: number,
  Y: TensorData, y: number, count: number,
): void {
  // One running index i = s + c for every table: the others are shifted to match.
  const mi = m - s, oi = m + C - s, ei = e - s, end = s + C;
  const y0 = y - s, y1 = y0 + C, y2 = y1 + C, y3 = y2 + C, y4 = y3 + C, y5 = y4 + C, y6 = y5 + C, y7 = y6 + C;
  const scale = SCALE, addP = ADD_POSITIVE, addN = ADD_NEGATIVE;
  let i = s, T = 0, hi = 0, off = 0, sc = 0, ap = 0, an = 0, acc = 0, r = 0, x = 0, mult = 0;
  if (quick && count === 8) {
    do {
      x = E[ei + i]; sc = P[mi + i] * scale[x]; ap = addP[x]; off = P[oi + i];
      T = D0[i]; hi = (T / F) | 0;
      acc = T - hi * F + off;
      if (acc < 0) Y[y0 + i] = outMin;
      else { r = ((acc * sc + ap) | 0) + outZp; Y[y0 + i] = r > outMax ? outMax : r; }
      acc = hi + off;
      if (acc < 0) Y[y1 + i] = outMin;
      else { r = ((acc * sc + ap) | 0) + outZp; Y[y1 + i] = r > outMax ? outMax : r; }
      T = D1[i]; hi = (T / F) | 0;
      acc = T - hi * F + off;
      if (acc < 0) Y[y2 + i] = outMin;
      else { r = ((acc * sc + ap) | 0) + outZp; Y[y2 + i] = r > outMax ? outMax : r; }
      acc = hi + off;
      if (acc < 0) Y[y3 + i] = outMin;
      else { r = ((acc * sc + ap) | 0) + outZp; Y[y3 + i] = r > outMax ? outMax : r; }
      T = D2[i]; hi = (T / F) | 0;
      acc = T - hi * F + off;
      if (acc < 0) Y[y4 + i] = outMin;
      else { r = ((acc * sc + ap) | 0) + outZp; Y[y4 + i] = r > outMax ? outMax : r; }
      acc = hi + off;
      if (acc < 0) Y[y5 + i] = outMin;
      else { r = ((acc * sc + ap) | 0) + outZp; Y[y5 + i] = r > outMax ? outMax : r; }
      T = D3[i]; hi = (T / F) | 0;
      acc = T - hi * F + off;
      if (acc < 0) Y[y6 + i] = outMin;
      else { r = ((acc * sc + ap) | 0) + outZp; Y[y6 + i] = r > outMax ? outMax : r; }
      acc = hi + off;
      if (acc < 0) Y[y7 + i] = outMin;
      else { r = ((acc * sc + ap) | 0) + outZp; Y[y7 + i] = r > outMax ? outMax : r; }
    } while (++i < end);
    return;
  }
  if (quick && count === 6) {
    do {
      x = E[ei + i]; sc = P[mi + i] * scale[x]; ap = addP[x]; off = P[oi + i];
      T = D0[i]; hi = (T / F) | 0;
      acc = T - hi * F + off;
      if (acc < 0) Y[y0 + i] = outMin;
      else { r = ((acc * sc + ap) | 0) + outZp; Y[y0 + i] = r > outMax ? outMax : r; }
      acc = hi + off;
      if (acc < 0) Y[y1 + i] = outMin;
      else { r = ((acc * sc + ap) | 0) + outZp; Y[y1 + i] = r > outMax ? outMax : r; }
      T = D1[i]; hi = (T / F) | 0;
      acc = T - hi * F + off;
      if (acc < 0) Y[y2 + i] = outMin;
      else { r = ((acc * sc + ap) | 0) + outZp; Y[y2 + i] = r > outMax ? outMax : r; }
      acc = hi + off;
      if (acc < 0) Y[y3 + i] = outMin;
      else { r = ((acc * sc + ap) | 0) + outZp; Y[y3 + i] = r > outMax ? outMax : r; }
      T = D2[i]; hi = (T / F) | 0;
      acc = T - hi * F + off;
      if (acc < 0) Y[y4 + i] = outMin;
      else { r = ((acc * sc + ap) | 0) + outZp; Y[y4 + i] = r > outMax ? outMax : r; }
      acc = hi + off;
      if (acc < 0) Y[y5 + i] = outMin;
      else { r = ((acc * sc + ap) | 0) + outZp; Y[y5 + i] = r > outMax ? outMax : r; }
    } while (++i < end);
    return;
  }
  if (quick && count === 4) {
    do {
      x = E[ei + i]; sc = P[mi + i] * scale[x]; ap = addP[x]; off = P[oi + i];
      T = D0[i]; hi = (T / F) | 0;
      acc = T - hi * F + off;
      if (acc < 0) Y[y0 + i] = outMin;
      else { r = ((acc * sc + ap) | 0) + outZp; Y[y0 + i] = r > outMax ? outMax : r; }
      acc = hi + off;
      if (acc < 0) Y[y1 + i] = outMin;
      else { r = ((acc * sc + ap) | 0) + outZp; Y[y1 + i] = r > outMax ? outMax : r; }
      T = D1[i]; hi = (T / F) | 0;
      acc = T - hi * F + off;
      if (acc < 0) Y[y2 + i] = outMin;
      else { r = ((acc * sc + ap) | 0) + outZp; Y[y2 + i] = r > outMax ? outMax : r; }
      acc = hi + off;
      if (acc < 0) Y[y3 + i] = outMin;
      else { r = ((acc * sc + ap) | 0) + outZp; Y[y3 + i] = r > outMax ? outMax : r; }
    } while (++i < end);
    return;
  }
  const lim = fast ? FAST_REQUANT_LIMIT : 0, nlim = -lim;
  do {
    x = E[ei + i]; mult = P[mi + i]; off = P[oi + i];
    if (fast) { sc = mult * scale[x]; ap = addP[x]; an = addN[x]; }
    T = D0[i]; hi = (T / F) | 0;
    acc = T - hi * F + off;
    if (acc >= 0) r = acc < lim ? (acc * sc + ap) | 0 : multiplyByQuantizedMultiplier(acc | 0, mult, -x);
    else r = acc > nlim ? -((an - acc * sc) | 0) : multiplyByQuantizedMultiplier(acc | 0, mult, -x);
    r += outZp;
    Y[y0 + i] = r < outMin ? outMin : r > outMax ? outMax : r;
    if (count > 1) {
      acc = hi + off;
      if (acc >= 0) r = acc < lim ? (acc * sc + ap) | 0 : multiplyByQuantizedMultiplier(acc | 0, mult, -x);
      else r = acc > nlim ? -((an - acc * sc) | 0) : multiplyByQuantizedMultiplier(acc | 0, mult, -x);
      r += outZp;
      Y[y1 + i] = r < outMin ? outMin : r > outMax ? outMax : r;
    }
    if (count > 2) {
      T = D1[i]; hi = (T / F) | 0;
      acc = T - hi * F + off;
      if (acc >= 0) r = acc < lim ? (acc * sc + ap) | 0 : multiplyByQuantizedMultiplier(acc | 0, mult, -x);
      else r = acc > nlim ? -((an - acc * sc) | 0) : multiplyByQuantizedMultiplier(acc | 0, mult, -x);
      r += outZp;
      Y[y2 + i] = r < outMin ? outMin : r > outMax ? outMax : r;
      if (count > 3) {
        acc = hi + off;
        if (acc >= 0) r = acc < lim ? (acc * sc + ap) | 0 : multiplyByQuantizedMultiplier(acc | 0, mult, -x);
        else r = acc > nlim ? -((an - acc * sc) | 0) : multiplyByQuantizedMultiplier(acc | 0, mult, -x);
        r += outZp;
        Y[y3 + i] = r < outMin ? outMin : r > outMax ? outMax : r;
      }
      if (count > 4) {
        T = D2[i]; hi = (T / F) | 0;
        acc = T - hi * F + off;
        if (acc >= 0) r = acc < lim ? (acc * sc + ap) | 0 : multiplyByQuantizedMultiplier(acc | 0, mult, -x);
        else r = acc > nlim ? -((an - acc * sc) | 0) : multiplyByQuantizedMultiplier(acc | 0, mult, -x);
        r += outZp;
        Y[y4 + i] = r < outMin ? outMin : r > outMax ? outMax : r;
        if (count > 5) {
          acc = hi + off;
          if (acc >= 0) r = acc < lim ? (acc * sc + ap) | 0 : multiplyByQuantizedMultiplier(acc | 0, mult, -x);
          else r = acc > nlim ? -((an - acc * sc) | 0) : multiplyByQuantizedMultiplier(acc | 0, mult, -x);
          r += outZp;
          Y[y5 + i] = r < outMin ? outMin : r > outMax ? outMax : r;
        }
        if (count > 6) {
          T = D3[i]; hi = (T / F) | 0;
          acc = T - hi * F + off;
          if (acc >= 0) r = acc < lim ? (acc * sc + ap) | 0 : multiplyByQuantizedMultiplier(acc | 0, mult, -x);
          else r = acc > nlim ? -((an - acc * sc) | 0) : multiplyByQuantizedMultiplier(acc | 0, mult, -x);
          r += outZp;
          Y[y6 + i] = r < outMin ? outMin : r > outMax ? outMax : r;
          if (count > 7) {
            acc = hi + off;
            if (acc >= 0) r = acc < lim ? (acc * sc + ap) | 0 : multiplyByQuantizedMultiplier(acc | 0, mult, -x);
            else r = acc > nlim ? -((an - acc * sc) | 0) : multiplyByQuantizedMultiplier(acc | 0, mult, -x);
            r += outZp;
            Y[y7 + i] = r < outMin ? outMin : r > outMax ? outMax : r;
          }
        }
      }
    }
  } while (++i < end);
}
