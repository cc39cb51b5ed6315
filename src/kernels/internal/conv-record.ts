// CONV_2D's op data in the arena: one Int32Array record from ctx.persistent() holding the shape,
// the chosen path and, per output channel, the Q31 multiplier, the bias and zero point folded
// into one int32 offset, and the shift as a byte (9 bytes a channel, as TFLM's 8 plus the offset).
//
// The int8 fast paths' requantization wants doubles per channel (internal/conv-params.ts:
// scaled = m / 2^(31+e) and the two rounding addends, which depend on e only, and the offset as
// a double with the field offset taken out). Those are derived at each invoke into the
// operator's scratch (a few dozen bytecodes per channel, next to window * positions
// multiply-accumulates per channel), so the hot loops read exactly what they read before and
// nothing of it is held between invokes. Each table is its own view (an offset into one shared
// view costs an add per read in the hot loops: about 3% on person_detect).
import type { TensorData } from '../../core/types.js';
import { int64At } from './conv-params.js';

/** Fields of the record (Int32Array indices). */
export const enum Rec {
  PATH = 0,
  BATCHES, IN_H, IN_W, IN_D, OUT_H, OUT_W, OUT_D,
  F_H, F_W, F_D, PER_GROUP, S_H, S_W, D_H, D_W, PAD_H, PAD_W,
  /** Window length: filter height * width * depth. */
  WINDOW,
  /** 1 when the input is read in place (1x1 filter, no padding) rather than gathered. */
  DIRECT,
  /** Field weight of the packed sums (internal/packed-dot.ts); 0 on the other paths. */
  FIELD,
  /** Output positions taken at a time on the quad path. */
  GROUP,
  /** requantizeQuad's quick case holds (constant weights and bias, bounded accumulators, RELU-like low bound). */
  QUICK,
  /** Every channel has the fast requantization (no left shift, right shift <= 20). */
  FAST,
  OUT_MIN, OUT_MAX, IN_ZP, OUT_ZP,
  /** BiasKind of the bias input. */
  BIAS,
  /** 1 when weights and bias are constant: the offsets below hold; else they are computed each invoke. */
  STATIC,
  /** Length of each sums array. */
  SUMS,
  /** First of the per-channel tables: multipliers [C], offsets [C], shifts as bytes [ceil(C / 4)]. */
  TABLES,
}

export const enum BiasKind {
  NONE = 0,
  /** int32, int16 or float32: the view's elements are the values. */
  PLAIN = 1,
  INT64 = 2,
}

/** Int32 elements of a record for `channels` output channels. */
export function recordLength(channels: number): number {
  return Rec.TABLES + 2 * channels + ((channels + 3) >> 2);
}

export function multiplierAt(channels: number): number {
  void channels;
  return Rec.TABLES;
}
export function offsetAt(channels: number): number {
  return Rec.TABLES + channels;
}
export function shiftAt(channels: number): number {
  return Rec.TABLES + 2 * channels;
}

/** Stores channel c's shift (-31..31) as a byte of the record. */
export function setShift(P: Int32Array, channels: number, c: number, shift: number): void {
  const i = shiftAt(channels) + (c >> 2), bit = (c & 3) << 3;
  P[i] = (P[i] & ~(255 << bit)) | ((shift & 255) << bit);
}

/** Channel c's shift, sign-extended from its byte. */
export function shiftOf(P: Int32Array, channels: number, c: number): number {
  return (P[shiftAt(channels) + (c >> 2)] << (24 - ((c & 3) << 3))) >> 24;
}

/** Bias value of channel c from the bias view. */
export function biasAt(B: ArrayLike<number> | null, kind: number, c: number): number {
  return kind === BiasKind.NONE ? 0 : kind === BiasKind.INT64 ? int64At(B as Int32Array, c) : (B as ArrayLike<number>)[c];
}

/**
 * Per right shift e = 0..20 (conv-params.ts fastRequantization): 1 / 2^(31+e), and the rounding
 * addends (2^30 + 2^(30+e)) / 2^(31+e) and the negative side's, as exact doubles (written out:
 * preloaded modules compute nothing at build time).
 */
const SCALE: readonly number[] = Object.freeze([
  4.656612873077393e-10, 2.3283064365386963e-10, 1.1641532182693481e-10, 5.820766091346741e-11,
  2.9103830456733704e-11, 1.4551915228366852e-11, 7.275957614183426e-12, 3.637978807091713e-12,
  1.8189894035458565e-12, 9.094947017729282e-13, 4.547473508864641e-13, 2.2737367544323206e-13,
  1.1368683772161603e-13, 5.684341886080802e-14, 2.842170943040401e-14, 1.4210854715202004e-14,
  7.105427357601002e-15, 3.552713678800501e-15, 1.7763568394002505e-15, 8.881784197001252e-16,
  4.440892098500626e-16,
]);
const ADD_POSITIVE: readonly number[] = Object.freeze([
  0.5, 0.75, 0.625, 0.5625, 0.53125, 0.515625, 0.5078125, 0.50390625, 0.501953125, 0.5009765625,
  0.50048828125, 0.500244140625, 0.5001220703125, 0.50006103515625, 0.500030517578125, 0.5000152587890625,
  0.5000076293945312, 0.5000038146972656, 0.5000019073486328, 0.5000009536743164, 0.5000004768371582,
]);
const ADD_NEGATIVE: readonly number[] = Object.freeze([
  0.4999999995343387, 0.7499999997671694, 0.6249999998835847, 0.5624999999417923, 0.5312499999708962,
  0.5156249999854481, 0.507812499992724, 0.503906249996362, 0.501953124998181, 0.5009765624990905,
  0.5004882812495453, 0.5002441406247726, 0.5001220703123863, 0.5000610351561932, 0.5000305175780966,
  0.5000152587890483, 0.5000076293945241, 0.5000038146972621, 0.500001907348631, 0.5000009536743155,
  0.5000004768371578,
]);

/**
 * Fills the scratch tables for this invoke: offsets (bias - zp * sum(w) - field / 2) and, when
 * every channel has the fast form, scaled and the two addends. With non-constant weights or
 * bias the offsets are summed from the views here; otherwise they come from the record.
 */
export function deriveRows(
  P: Int32Array, OFF: Float64Array, SC: Float64Array, AP: Float64Array, AN: Float64Array,
  W: ArrayLike<number>, B: ArrayLike<number> | null,
): void {
  const C = P[Rec.OUT_D], K = P[Rec.WINDOW], half = P[Rec.FIELD] / 2, fast = P[Rec.FAST] === 1;
  const mAt = Rec.TABLES, oAt = Rec.TABLES + C, sAt = Rec.TABLES + 2 * C;
  const kind = P[Rec.BIAS], zp = P[Rec.IN_ZP], isStatic = P[Rec.STATIC] === 1;
  if (isStatic) {
    for (let c = 0, o = oAt; c < C; c++) OFF[c] = P[o++] - half;
  } else {
    for (let c = 0; c < C; c++) {
      let sum = 0;
      for (let k = c * K, end = k + K; k < end; k++) sum += W[k];
      OFF[c] = biasAt(B, kind, c) - zp * sum - half;
    }
  }
  if (!fast) return;
  // The quick case reads no addNegative.
  const scale = SCALE, addPositive = ADD_POSITIVE, addNegative = P[Rec.QUICK] === 1 ? null : ADD_NEGATIVE;
  let e = 0, word = 0;
  for (let c = 0, m = mAt; c < C; c++) {
    if ((c & 3) === 0) word = P[sAt + (c >> 2)];
    e = -((word << (24 - ((c & 3) << 3))) >> 24);
    SC[c] = P[m++] * scale[e];
    AP[c] = addPositive[e];
    if (addNegative !== null) AN[c] = addNegative[e];
  }
}

/**
 * CONV_2D's op data: the record and views (each view costs XS slots: the scratch tables are
 * null where the path does not use them). Float bounds are the only numbers kept outside the record.
 */
export interface ConvData {
  p: Int32Array;
  x: TensorData;
  w: TensorData;
  /** The bias input's view (null without bias). */
  b: TensorData | null;
  y: TensorData;
  /** Scratch: the dot products' sums, one array per pair of positions (packed: all pairs in sa). */
  sa: Float64Array | null;
  sb: Float64Array | null;
  se: Float64Array | null;
  sg: Float64Array | null;
  /** Scratch derived at each invoke (deriveRows): offsets, scaled, addPositive, addNegative per channel. */
  off: Float64Array | null;
  sc: Float64Array | null;
  ap: Float64Array | null;
  an: Float64Array | null;
  /** Scratch the windows are gathered into (int8 fast paths without a direct read). */
  patch: TensorData | null;
  /** Packed weights in the arena (INT8_PACKED). */
  packed: Int32Array | Float64Array | null;
  floatMin: number;
  floatMax: number;
}
