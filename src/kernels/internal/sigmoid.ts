// LOGISTIC and TANH (TFLM logistic.cc, logistic_common.cc, tanh.cc), which differ only in the
// function: float32 directly; int8 from a table of the fixed-point function (gemmlowp's, on the
// input rescaled to Q4.27 with its saturation radius); int16 by interpolating TFLM's sigmoid
// table (reference/integer_ops/logistic.h and tanh.h), which the int16 LSTM uses too.
import type { Node, PrepareContext } from '../../core/kernel.js';
import type { Tensor } from '../../core/tensor.js';
import { TensorType, type TensorData } from '../../core/types.js';
import { prepareUnary, requireQuantized, requireZeroPoint } from './elementwise.js';
import { applyInt8Table, checkedLog2, int8Table, SIGMOID_TABLE_UINT16 } from './lut.js';
import { frexp, multiplyByQuantizedMultiplier, roundHalfAway } from './quantization.js';

export interface Int8SigmoidInput {
  multiplier: number;
  leftShift: number;
  /** Inputs (minus zero point) at or beyond ±radius saturate. */
  radius: number;
}

/** The int8 path's input multiplier: scale * 2^27 as a Q31 multiplier and a left shift. */
export function int8SigmoidInput(input: Tensor): Int8SigmoidInput {
  const inputIntegerBits = 4;
  const real = input.scale * Math.pow(2, 31 - inputIntegerBits);
  const [q, leftShift] = frexp(real);
  // A plain static_cast<int32_t> (no renormalisation at 2^31, unlike QuantizeMultiplier); x86
  // gives INT32_MIN for that one case, as `| 0` does.
  const multiplier = roundHalfAway(q * 2147483648) | 0;
  // CalculateInputRadius(4, left_shift, 31), in double.
  const radius = Math.floor(15 * Math.pow(2, 31 - inputIntegerBits) / Math.pow(2, leftShift));
  return { multiplier, leftShift, radius };
}

export interface Int16SigmoidInput {
  /** Applied as (x * multiplier + round) >> leftShift. */
  multiplier: number;
  leftShift: number;
}

/**
 * The int16 path's input rescaling. Power-of-two input scales (left shift 0, or 0 and 1 for
 * TANH) multiply by 3 << shift; others by round-down(scale * 3 * 4096 * 2^k) >> k. Both zero
 * points must be 0 and the output scale 2^-15.
 */
export function int16SigmoidInput(ctx: PrepareContext, input: Tensor, output: Tensor, maxPotShift: number): Int16SigmoidInput {
  const inputIntegerBits = 3;
  requireZeroPoint(ctx, input, 'input');
  requireZeroPoint(ctx, output, 'output');
  const log2 = checkedLog2(input.scale);
  let leftShift = 15 - inputIntegerBits + log2.log2;
  let multiplier: number;
  if (log2.exact && leftShift >= 0 && leftShift <= maxPotShift) {
    multiplier = 3 << leftShift;
    leftShift = 0;
  } else {
    let real = input.scale * 4096 * 3;
    leftShift = 0;
    while (real <= 32767 / 2 && leftShift <= 30) {
      leftShift++;
      real *= 2;
    }
    multiplier = Math.trunc(real);
  }
  if (multiplier > 32767) ctx.fail(`input scale ${input.scale} is too large for the int16 path`);
  const outLog2 = checkedLog2(output.scale);
  if (!outLog2.exact || outLog2.log2 !== -15) ctx.fail(`output scale must be 2^-15, got ${output.scale}`);
  return { multiplier, leftShift };
}

/** float32 cut-offs of reference_ops::Logistic. */
export const LOGISTIC_CUTOFF_UPPER = 16.619047164916992;
export const LOGISTIC_CUTOFF_LOWER = -9;

/** LOGISTIC and TANH: the tensors' views, and an int8 table or the float32 / int16 path's numbers. */
export interface SigmoidData {
  input: TensorData;
  output: TensorData;
  /** int8: the function's table (256 bytes in the arena); else null. */
  table: Int8Array | null;
  tanh: boolean;
  int16: boolean;
  /** int16: input rescaling (x * multiplier + round) >> leftShift. */
  multiplier: number;
  leftShift: number;
}

export interface SigmoidVariant {
  readonly tanh: boolean;
  /** int8 output zero point TFLM requires, or null where it ignores it. */
  readonly int8OutputZeroPoint: number | null;
  /** int8 result before the cast, from the input (minus zero point) rescaled to Q4.27. */
  readonly int8: (inQ4: number) => number;
}

/** prepare of LOGISTIC and TANH. */
export function prepareSigmoid(ctx: PrepareContext, node: Node, variant: SigmoidVariant): SigmoidData {
  const { input, output } = prepareUnary(ctx, node, ['float32', 'int8', 'int16']);
  const data: SigmoidData = {
    input: input.data, output: output.data, table: null, tanh: variant.tanh, int16: input.type === TensorType.INT16,
    multiplier: 0, leftShift: 0,
  };
  if (input.type === TensorType.FLOAT32) return data;
  requireQuantized(ctx, input, 'input');
  requireQuantized(ctx, output, 'output');
  if (input.type === TensorType.INT8) {
    if (variant.int8OutputZeroPoint !== null) requireZeroPoint(ctx, output, 'output', variant.int8OutputZeroPoint);
    const { multiplier, leftShift, radius } = int8SigmoidInput(input);
    const zeroPoint = input.zeroPoint, int8 = variant.int8;
    data.table = int8Table(ctx, q => {
      const x = q - zeroPoint;
      if (x <= -radius) return -128;
      if (x >= radius) return 127;
      return int8(multiplyByQuantizedMultiplier(x, multiplier, leftShift));
    });
    return data;
  }
  // TANH's argument is doubled: one more power-of-two shift fits the table.
  const { multiplier, leftShift } = int16SigmoidInput(ctx, input, output, variant.tanh ? 1 : 0);
  data.multiplier = multiplier;
  data.leftShift = leftShift;
  return data;
}

/** eval of LOGISTIC and TANH. */
export function evalSigmoid(data: SigmoidData): void {
  const input = data.input, output = data.output;
  const n = output.length;
  if (data.table !== null) {
    applyInt8Table(input, output, data.table);
  } else if (data.int16) {
    sigmoidInt16(input, 0, output, 0, n, data.multiplier, data.leftShift, data.tanh);
  } else if (data.tanh) {
    // std::tanh in float (held in a local: one lookup per invoke, not per element).
    const tanh = Math.tanh;
    for (let i = 0; i < n; i++) output[i] = tanh(input[i]);
  } else {
    // reference_ops::Logistic's clamped formula in float.
    const f = Math.fround, exp = Math.exp;
    for (let i = 0; i < n; i++) {
      const v = input[i];
      if (v > LOGISTIC_CUTOFF_UPPER) output[i] = 1;
      else if (v < LOGISTIC_CUTOFF_LOWER) output[i] = exp(v);
      else output[i] = 1 / f(1 + f(exp(-v)));
    }
  }
}

/**
 * reference_integer_ops::Logistic / Tanh for int16: `count` values from input[inputStart] to
 * output[outputStart] (the same array may be both), rescaled as (x * multiplier + round) >>
 * leftShift, then interpolated in the sigmoid table. Tanh is 2 * sigmoid(2x) - 1: the table is
 * stepped per 2^8 instead of 2^9 and the result re-centred.
 */
export function sigmoidInt16(
  input: TensorData, inputStart: number, output: TensorData, outputStart: number, count: number,
  multiplier: number, leftShift: number, tanh: boolean,
): void {
  const table = SIGMOID_TABLE_UINT16;
  const round = leftShift > 0 ? 1 << (leftShift - 1) : 0;
  const bits = tanh ? 8 : 9, mask = tanh ? 0xff : 0x1ff;
  const saturated = tanh ? 0xffff << 8 : 0x7fff << 10;
  // Logistic: result + 2^9 above 0, 2^25 - result + 2^9 - 1 below (sigmoid(-x) = 1 - sigmoid(x)).
  // Tanh: result - 2^23 + 2^7 above 0, 2^23 - result + 2^7 - 1 below.
  const aboveBias = tanh ? -8388480 : 512, belowBias = tanh ? 8388735 : 33554943;
  const outShift = tanh ? 8 : 10;
  const end = inputStart + count, toOutput = outputStart - inputStart;
  for (let i = inputStart; i < end; i++) {
    const x = (input[i] * multiplier + round) >> leftShift;
    const magnitude = x < 0 ? -x : x;
    const segment = magnitude >>> bits;
    let result: number;
    if (segment >= 255) {
      result = saturated;
    } else {
      const low = table[segment];
      result = (low << bits) + (magnitude & mask) * (table[segment + 1] - low);
    }
    output[i + toOutput] = (x >= 0 ? result + aboveBias : belowBias - result) >> outShift;
  }
}
