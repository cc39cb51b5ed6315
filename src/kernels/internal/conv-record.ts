// CONV_2D's op data: one Int32 record in the arena (ctx.persistent) holding the shape, the chosen
// path, where every buffer the operator reads and writes starts, and, per output channel, the
// Q31 multiplier, the bias and zero point folded into one int32 offset, and the right shift as a
// byte (9 bytes a channel, as TFLM's 8 plus the offset). The op data object itself holds three
// things: the whole arena viewed as Int32 (for the record), the record's index, and a list of
// views shared by every CONV_2D of the interpreter (convViews below): a view of the whole arena,
// or of the whole model, per element type, plus a few views of the arena's doubles shifted by a
// number of elements. Buffers are element indices into those views, so no operator holds views
// of its own (a view costs XS about 4 heap slots).
//
// The sums of the int8 fast paths are one scratch region of doubles, one run of C per pair of
// output positions: [pair 0 | pair 1 | pair 2 | pair 3]. The loops read pair j's sum of channel c
// as V_j[s + c], V_j the arena's doubles shifted by j * C elements (shared by every operator with
// C channels), so they index all pairs with one running index, as they did separate arrays.
//
// The fast requantization (internal/conv-params.ts explains its form) wants, per channel,
// scaled = m / 2^(31+e) and two rounding addends that depend on e alone: the requantization
// loops derive them per channel from the record and the frozen tables below (no scratch).
import type { PrepareContext } from '../../core/kernel.js';
import type { TensorData } from '../../core/types.js';
import type { Convolve } from './convolve.js';
import { wholeView } from './shared-views.js';

/** Fields of the record (Int32 indices from the record's start). */
export const enum Rec {
  PATH = 0,
  BATCHES, IN_H, IN_W, IN_D, OUT_H, OUT_W, OUT_D,
  F_H, F_W, F_D, PER_GROUP, S_H, S_W, D_H, D_W, PAD_H, PAD_W,
  /** Window length: filter height * width * depth. */
  WINDOW,
  /** 1 when the input is read in place (1x1 filter, no padding) rather than gathered. */
  DIRECT,
  /**
   * Field weight of the packed sums (internal/packed-dot.ts); CONVOLVE: the reference path whose
   * arithmetic it keeps (INT8, INT16_ACC32, INT16_ACC64); 0 on the other paths.
   */
  FIELD,
  /** Output positions taken at a time on the quad path. */
  GROUP,
  /** The quick requantization holds (constant weights and bias, bounded accumulators, RELU-like low bound). */
  QUICK,
  /** Every channel has the fast requantization (no left shift, right shift <= 20). */
  FAST,
  OUT_MIN, OUT_MAX, IN_ZP, OUT_ZP,
  /** BiasKind of the bias input. */
  BIAS,
  /** 1 when weights and bias are constant: the offsets below hold; else each invoke folds them again. */
  STATIC,
  /** Fused activation code (float32: the bounds are derived from it at each invoke). */
  ACT,
  /** Element indices: input, weights, bias, output in their views; sums (doubles), patch (int8), packed weights in the arena's. */
  X, W, B, Y, SUMS, PATCH, PACKED,
  /** Byte index of the shifts (the record's last words) in the arena viewed as Int8. */
  SHIFTS,
  /** Indices in the shared view list: input, weights, bias, output, the arena's int8 (patch, shifts), packed weights, doubles shifted by 0..3 runs of C. */
  VX, VW, VB, VY, VI8, VK, VD0, VD1, VD2, VD3,
  /** First of the per-channel tables: multipliers [C], offsets [C], shifts as bytes [ceil(C / 4) words]. */
  TABLES,
}

export const enum BiasKind {
  NONE = 0,
  /** int32, int16 or float32: the view's elements are the values. */
  PLAIN = 1,
  INT64 = 2,
}

/** CONV_2D's op data (3 properties: see above). */
export interface ConvData {
  /** The arena as Int32: the record at r. */
  p: Int32Array;
  r: number;
  /** The views shared by the interpreter's CONV_2D operators (Rec.VX ... give the indices). */
  v: readonly TensorData[];
  /** CONVOLVE path only (conv-convolve.ts): E.convolve, the filter's rows, the patch. */
  f?: Convolve;
  k?: TensorData[];
  q?: TensorData;
}

/** Int32 elements of a record for `channels` output channels (0: no per-channel tables). */
export function recordLength(channels: number): number {
  return Rec.TABLES + 2 * channels + ((channels + 3) >> 2);
}

/** Record index of the first offset. */
export function offsetAt(channels: number): number {
  return Rec.TABLES + channels;
}

/** Record index of the first word of shift bytes. */
export function shiftAt(channels: number): number {
  return Rec.TABLES + 2 * channels;
}

/** Bias value of channel c from the bias view, its first element (int64: first Int32) at `at`. */
export function biasAt(B: TensorData | null, at: number, kind: number, c: number): number {
  if (kind === BiasKind.NONE) return 0;
  const V = B as TensorData;
  return kind === BiasKind.INT64 ? (V[at + 2 * c] >>> 0) + V[at + 2 * c + 1] * 4294967296 : V[at + c];
}

const LIST_KEY = 'tflite-xs.conv-views';

type ViewConstructor = { new (buffer: ArrayBufferLike, byteOffset: number, length: number): TensorData; readonly BYTES_PER_ELEMENT: number };

/**
 * Index in the run's shared list of the view of the whole buffer under `view` (its type), or,
 * with `shift` > 0, of that whole view less its first `shift` elements. Made once per run and
 * buffer, type and shift; the whole views are shared-views.ts's (shared with other kernels).
 */
export function viewIndex(ctx: PrepareContext, view: TensorData, shift: number): number {
  let list = ctx.shared.get(LIST_KEY) as TensorData[] | undefined;
  if (!list) {
    list = [];
    ctx.shared.set(LIST_KEY, list);
  }
  const whole = wholeView(ctx, view);
  // The sizing run's empty views cannot be shifted (their op data is dropped anyway).
  const s = shift > 0 && shift < whole.length ? shift : 0;
  const C = whole.constructor as unknown as ViewConstructor, byteOffset = s * C.BYTES_PER_ELEMENT;
  for (let i = 0; i < list.length; i++) {
    const v = list[i];
    if (v.buffer === whole.buffer && v.constructor === C && v.byteOffset === byteOffset) return i;
  }
  list.push(s === 0 ? whole : new C(whole.buffer, byteOffset, whole.length - s));
  return list.length - 1;
}

/** The shared view list (after viewIndex). */
export function viewList(ctx: PrepareContext): readonly TensorData[] {
  return ctx.shared.get(LIST_KEY) as TensorData[];
}

/**
 * Per right shift e = 0..20 (conv-params.ts explains the form): 1 / 2^(31+e), and the rounding
 * addends (2^30 + 2^(30+e)) / 2^(31+e) and the negative side's, as exact doubles (written out:
 * preloaded modules compute nothing at build time).
 */
export const SCALE: readonly number[] = Object.freeze([
  4.656612873077393e-10, 2.3283064365386963e-10, 1.1641532182693481e-10, 5.820766091346741e-11,
  2.9103830456733704e-11, 1.4551915228366852e-11, 7.275957614183426e-12, 3.637978807091713e-12,
  1.8189894035458565e-12, 9.094947017729282e-13, 4.547473508864641e-13, 2.2737367544323206e-13,
  1.1368683772161603e-13, 5.684341886080802e-14, 2.842170943040401e-14, 1.4210854715202004e-14,
  7.105427357601002e-15, 3.552713678800501e-15, 1.7763568394002505e-15, 8.881784197001252e-16,
  4.440892098500626e-16,
]);
export const ADD_POSITIVE: readonly number[] = Object.freeze([
  0.5, 0.75, 0.625, 0.5625, 0.53125, 0.515625, 0.5078125, 0.50390625, 0.501953125, 0.5009765625,
  0.50048828125, 0.500244140625, 0.5001220703125, 0.50006103515625, 0.500030517578125, 0.5000152587890625,
  0.5000076293945312, 0.5000038146972656, 0.5000019073486328, 0.5000009536743164, 0.5000004768371582,
]);
export const ADD_NEGATIVE: readonly number[] = Object.freeze([
  0.4999999995343387, 0.7499999997671694, 0.6249999998835847, 0.5624999999417923, 0.5312499999708962,
  0.5156249999854481, 0.507812499992724, 0.503906249996362, 0.501953124998181, 0.5009765624990905,
  0.5004882812495453, 0.5002441406247726, 0.5001220703123863, 0.5000610351561932, 0.5000305175780966,
  0.5000152587890483, 0.5000076293945241, 0.5000038146972621, 0.500001907348631, 0.5000009536743155,
  0.5000004768371578,
]);

/**
 * Folds bias - zp * sum(w) - `less` into the record's offsets, each stored modulo 2^32. That is
 * exact: TFLM's int32 accumulator is itself the sum modulo 2^32, the exact requantization takes
 * `acc | 0`, and an accumulator that the fast form may take (below 2^21) is met only where the
 * offset did not wrap (a wrapped one puts the accumulator 2^32 away, onto the exact form).
 */
export function foldOffsets(
  P: Int32Array, r: number, W: TensorData, w: number, B: TensorData | null, b: number, less: number,
): void {
  const C = P[r + Rec.OUT_D], K = P[r + Rec.WINDOW], kind = P[r + Rec.BIAS], zp = P[r + Rec.IN_ZP], o = r + offsetAt(C);
  for (let c = 0; c < C; c++) {
    let sum = 0;
    for (let k = w + c * K, end = k + K; k < end; k++) sum += W[k];
    P[o + c] = biasAt(B, b, kind, c) - zp * sum - less;
  }
}
