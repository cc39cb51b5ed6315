// DEPTHWISE_CONV_2D's op data, laid out in the arena: one Int32 record of the operator's sizes and
// settings, followed by its per output channel multipliers and (int8) folded offsets, and one Int8
// table of per channel shifts: 9 bytes per output channel for int8, 5 for 16x8, as TFLM's 8.
//
// The operator holds no view of its own: the record, the tensors, the shifts and the scratch are
// addressed by element index (kept in the record) within views of whole buffers (the arena, the
// model) that every operator of the interpreter shares (internal/shared-views.ts). The op data
// object holds only those shared views; one that is the same view as the input's is left out.
//
// The fast requantization's factors (internal/conv-params.ts explains the form) depend on the
// shift alone but for the multiplier itself, so the paths derive them per channel (or per output
// value, on the paths that cannot hoist them) from the frozen tables below instead of holding
// three doubles per channel.
//
// Offsets: bias - zp * sum(w) (less half the packed field on the pair paths), stored modulo 2^32.
// That is exact: TFLM's int32 accumulator is itself the sum modulo 2^32, every slow-path
// requantization takes `acc | 0`, and an accumulator within the fast range (below 2^21) is its
// own int32 value. Where `quick` holds (accumulators provably below 2^21), the offsets fit as
// they are.
import type { PrepareContext } from '../../core/kernel.js';
import type { Tensor } from '../../core/tensor.js';
import type { TensorData } from '../../core/types.js';
import type { Convolve } from './convolve.js';
import { checkActivation, FAST_REQUANT_LIMIT } from './conv-params.js';
import { quantizedActivationRange, quantizeMultiplier, typeRange } from './quantization.js';

/** Fields of the Int32 record (`r`); per channel tables follow at Field.COUNT. */
export const enum Field {
  PATH, BATCHES, IN_H, IN_W, IN_D, OUT_H, OUT_W, OUT_D, MULT,
  F_H, F_W, S_H, S_W, D_H, D_W, PAD_H, PAD_W,
  IN_ZP, OUT_ZP, OUT_MIN, OUT_MAX,
  /** 1 when every channel's shift lies in the fast requantization's range. */
  FAST,
  /** 1 when the accumulators are provably in the fast range and the lower bound is the output zero point. */
  QUICK,
  /** 1 when weights or bias change between invokes: offsets (and packed weights) are folded at each eval. */
  FOLD,
  /** Output rows [TOP, BOTTOM) and columns [LEFT, RIGHT) whose windows lie inside the input. */
  TOP, BOTTOM, LEFT, RIGHT,
  /** 3x3 and row paths: the ring of padded input rows (rows, columns per row). */
  RING_ROWS, RING_WIDTH,
  /** Packed and quad paths: the field weight (internal/packed-dot.ts). */
  FIELD,
  /** INT8_SLIDE: leading outputs of a row whose entering columns lie inside the input. */
  SLIDE_SAFE,
  /** Packed path, input depth 1 and rows a multiple of 8 long: windows read in place from the ring. */
  ROW_MODE,
  /**
   * Element indices within the shared whole views: input (x), weights (w), output (y), shifts
   * (s), bias (b), scratch (t: the ring, the quad's sums and factors, the packed
   * path's gathered window or ring), packed weights (k).
   */
  X_AT, W_AT, Y_AT, S_AT, B_AT, T_AT, K_AT,
  COUNT,
}

/**
 * What eval holds: views of whole buffers shared by the interpreter's operators (never views of
 * this operator's own), the record's index in `r` and, for float32, the output bounds.
 */
export interface DepthwiseData {
  /** The Int32 view of the whole arena: the record (Field) at `a`, then multipliers at a + COUNT + c and (int8) offsets at a + COUNT + O + c. */
  r: Int32Array;
  a: number;
  /** The input's whole buffer (indexed from r[a + X_AT]). */
  x: TensorData;
  w: TensorData;
  /** The output's, shifts' (Int8), scratch's: left out where the same view as x. */
  y?: TensorData;
  s?: TensorData;
  t?: TensorData;
  /** The bias's, where eval reads it (float32, 16x8, or int8 folded at each invoke). */
  b?: TensorData;
  /** Packed path: the packed weights' whole buffer (left out where the same view as r), and the pair sums (a view of its own). */
  k?: Int32Array | Float64Array;
  p?: Float64Array;
  /** float32: the activation bounds. */
  lo?: number;
  hi?: number;
  /** CONVOLVE path only (depthwise-convolve.ts): E.convolve, each channel's weights, the patch. */
  f?: Convolve;
  cr?: TensorData[];
  q?: TensorData;
}

/** Table index of a shift: the fast form applies for shifts 0 down to -20. */
export const SHIFT_BASE = 20;

function fastTable(which: number): readonly number[] {
  const out: number[] = [];
  for (let e = SHIFT_BASE; e >= 0; e--) {
    const divisor = 2 ** (31 + e);
    const addPositive = 2 ** 30 + (e > 0 ? 2 ** (30 + e) : 0);
    const addNegative = divisor - 1 - (addPositive - (e > 0 ? 2 ** 31 : 0));
    out[SHIFT_BASE - e] = which === 0 ? 1 / divisor : which === 1 ? addPositive / divisor : addNegative / divisor;
  }
  return Object.freeze(out);
}

/**
 * Indexed by shift + SHIFT_BASE: the multiplier's scale (scaled = multiplier * SCALE), and what
 * the fast form adds to positive and negative accumulators. Identical to the doubles
 * conv-params' fastRequantization computes (powers of two and their exact quotients).
 */
export const SCALE: readonly number[] = fastTable(0);
export const ADD_POSITIVE: readonly number[] = fastTable(1);
export const ADD_NEGATIVE: readonly number[] = fastTable(2);

/** Where channel c's offset sits: r[a + offsetsAt(O) + c]. */
export function offsetsAt(outputDepth: number): number {
  return Field.COUNT + outputDepth;
}

/**
 * Folds bias and zero point into the offsets of the record at R[a]: bias - zp * sum(w) -
 * fieldOffset per channel, stored modulo 2^32 (see above). Weights and bias are read at
 * R[a + W_AT] and R[a + B_AT] in `weights` and `bias` (the int32 bias, or null).
 */
export function foldOffsets(R: Int32Array, a: number, weights: TensorData, bias: TensorData | null, fieldOffset: number): void {
  const O = R[a + Field.OUT_D], taps = R[a + Field.F_H] * R[a + Field.F_W], zp = R[a + Field.IN_ZP], at = a + offsetsAt(O);
  const wb = R[a + Field.W_AT], bb = R[a + Field.B_AT];
  for (let c = 0; c < O; c++) {
    let sum = 0;
    for (let t = 0; t < taps; t++) sum += weights[wb + t * O + c];
    R[at + c] = (bias ? bias[bb + c] : 0) - zp * sum - fieldOffset;
  }
}

/** The requantization's bounds and whether its fast form holds for every channel. */
export interface ChannelRange {
  fast: boolean;
  outputMin: number;
  outputMax: number;
}

/**
 * TFLM's PopulateConvolutionQuantizationParams for depthwise filters (channels along dimension
 * 3): multipliers into R from Field.COUNT, shifts into S. Checks run in both prepare runs; the
 * writes are no-ops in the sizing run, and nothing returned depends on them.
 */
export function channelQuantization(
  ctx: PrepareContext, input: Tensor, filter: Tensor, output: Tensor, channels: number, activation: number,
  R: Int32Array, S: Int8Array,
): ChannelRange {
  checkActivation(ctx, activation);
  const iq = input.quantization, fq = filter.quantization, oq = output.quantization;
  if (!iq || !iq.scale.length) ctx.fail(`input ${input.describe()} is not quantized`);
  if (!oq || !oq.scale.length) ctx.fail(`output ${output.describe()} is not quantized`);
  if (!fq || !fq.scale.length) ctx.fail(`filter ${filter.describe()} is not quantized`);
  const scales = fq!.scale;
  if (scales.length !== 1 && scales.length !== channels) ctx.fail(`filter has ${scales.length} scales for ${channels} output channels`);
  if (scales.length > 1 && fq!.quantizedDimension !== 3) {
    ctx.fail(`filter is quantized along dimension ${fq!.quantizedDimension}, expected 3`);
  }
  if (fq!.zeroPoint.length > 1 && fq!.zeroPoint.length !== scales.length) {
    ctx.fail(`filter has ${fq!.zeroPoint.length} zero points for ${scales.length} scales`);
  }
  const inputScale = input.scale, outputScale = output.scale;
  if (!(outputScale > 0)) ctx.fail(`output scale ${outputScale} must be positive`);
  const range = typeRange(output.type);
  const bounds = quantizedActivationRange(activation, outputScale, output.zeroPoint, range[0], range[1]);
  let fast = true;
  for (let c = 0; c < channels; c++) {
    const effective = inputScale * (scales.length > 1 ? scales[c] : scales[0]) / outputScale;
    if (!(effective >= 0)) ctx.fail(`channel ${c}: effective scale ${effective} is negative`);
    const q = quantizeMultiplier(effective);
    // The shift table is Int8: a scale of 2^127 and more is no quantized model's.
    if (q.shift > 127) ctx.fail(`channel ${c}: effective scale ${effective} is too large`);
    if (q.shift > 0 || q.shift < -SHIFT_BASE) fast = false;
    R[Field.COUNT + c] = q.multiplier;
    S[c] = q.shift;
  }
  return { fast, outputMin: bounds[0], outputMax: bounds[1] };
}

/**
 * True when every accumulator of these constant weights and bias, bias + sum(w * (x - zp)) over
 * int8 x, stays below FAST_REQUANT_LIMIT in magnitude (quad-dot's accumulatorsBounded, reading the bias
 * view in place).
 */
export function accumulatorsBounded(weights: TensorData, bias: TensorData | null, channels: number, taps: number, zeroPoint: number): boolean {
  const spread = Math.max(127 - zeroPoint, zeroPoint + 128);
  for (let c = 0; c < channels; c++) {
    let sum = 0;
    for (let k = 0; k < taps; k++) {
      const w = weights[c + k * channels];
      sum += w < 0 ? -w : w;
    }
    const b = bias ? bias[c] : 0;
    if (sum * spread + (b < 0 ? -b : b) >= FAST_REQUANT_LIMIT) return false;
  }
  return true;
}
