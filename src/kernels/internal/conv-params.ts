// What CONV_2D, DEPTHWISE_CONV_2D and TRANSPOSE_CONV share at prepare time: TFLM's
// PopulateConvolutionQuantizationParams (per-channel multipliers, activation bounds), reading
// constant weights and biases before the arena exists, and the tables the kernels' inlined
// requantization reads.
import type { PrepareContext } from '../../core/kernel.js';
import type { Tensor } from '../../core/tensor.js';
import { TensorType, typedView, typeName, type TensorData } from '../../core/types.js';
import { floatActivationRange, quantizedActivationRange, quantizeMultiplier, typeRange } from './quantization.js';

/**
 * The values of a tensor during prepare: constants are views over the model's bytes (copied
 * when misaligned for their type) until allocateTensors points them into the arena.
 */
export function constantData(tensor: Tensor): TensorData {
  if (tensor.data.length === tensor.elementCount || tensor.elementCount === 0) return tensor.data;
  const bytes = tensor.bytes;
  if (bytes.byteLength !== tensor.byteLength) return tensor.data;
  const size = tensor.type === TensorType.INT64 ? 4 : Math.max(1, tensor.byteLength / Math.max(1, tensor.elementCount));
  if (bytes.byteOffset % size === 0) return typedView(tensor.type, bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return typedView(tensor.type, copy.buffer, 0, copy.byteLength);
}

/** Element `i` of an int64 tensor (Int32Array of low, high pairs) as an exact double when |v| < 2^53. */
export function int64At(data: TensorData, i: number): number {
  return (data[2 * i] >>> 0) + data[2 * i + 1] * 4294967296;
}

/** Bias values as doubles (int32, int64, int16 or float32 biases). */
export function biasValues(bias: Tensor, data: TensorData, out: Float64Array): void {
  if (bias.type === TensorType.INT64) {
    for (let i = 0; i < out.length; i++) out[i] = int64At(data, i);
  } else {
    for (let i = 0; i < out.length; i++) out[i] = data[i];
  }
}

/**
 * Per-channel requantization: TFLM's multipliers and shifts, and the tables of the inlined fast
 * path. MultiplyByQuantizedMultiplier(acc, m, shift) with shift = -e <= 0 is two roundings,
 * SRDHM(acc, m) then a rounding divide by 2^e; both fold into one floor of
 * (acc * m + add) / 2^(31 + e), where add depends on the sign of acc only. With |acc| < 2^21 every
 * step is exact in doubles, so the kernels compute
 *   acc >= 0: (acc * scaled + addPositive) | 0      acc < 0: -((addNegative - acc * scaled) | 0)
 * with scaled = m / 2^(31+e), and fall back to multiplyByQuantizedMultiplier otherwise.
 */
export interface ChannelQuantization {
  /** Q31 multipliers and TFLM shifts (positive = left) per output channel. */
  multipliers: Int32Array;
  shifts: Int32Array;
  scaled: Float64Array;
  addPositive: Float64Array;
  addNegative: Float64Array;
  /** The fast path holds for every channel (no left shift, right shifts up to 20). */
  fast: boolean;
  outputMin: number;
  outputMax: number;
}

/** |accumulator| below this keeps the fast requantization exact. */
export const FAST_REQUANT_LIMIT = 2097152;

/** Fills the fast-path tables of channel `c` from its multiplier and shift; false if it does not apply. */
export function fastRequantization(q: ChannelQuantization, c: number): boolean {
  const shift = q.shifts[c];
  if (shift > 0 || shift < -20) return false;
  const e = -shift;
  const divisor = 2 ** (31 + e);
  const addPositive = 2 ** 30 + (e > 0 ? 2 ** (30 + e) : 0);
  const addNegative = divisor - 1 - (addPositive - (e > 0 ? 2 ** 31 : 0));
  q.scaled[c] = q.multipliers[c] / divisor;
  q.addPositive[c] = addPositive / divisor;
  q.addNegative[c] = addNegative / divisor;
  return true;
}

/** Checks a fused activation code and returns its float bounds. */
export function floatBounds(ctx: PrepareContext, activation: number): [number, number] {
  checkActivation(ctx, activation);
  return floatActivationRange(activation);
}

export function checkActivation(ctx: PrepareContext, activation: number): void {
  // TFLM handles NONE, RELU, RELU_N1_TO_1 and RELU6 and treats anything else as NONE; TANH
  // and SIGN_BIT cannot be fused into these ops by the converter.
  if (!(activation >= 0 && activation <= 3)) ctx.fail(`fused activation ${activation} is not supported`);
}

/**
 * TFLM's PopulateConvolutionQuantizationParams: one multiplier per output channel from
 * input scale * filter scale / output scale (in double), and the quantized activation bounds.
 */
export function convQuantization(
  ctx: PrepareContext, input: Tensor, filter: Tensor, output: Tensor, channels: number,
  quantizedDimension: number, activation: number,
): ChannelQuantization {
  checkActivation(ctx, activation);
  const iq = input.quantization, fq = filter.quantization, oq = output.quantization;
  if (!iq || !iq.scale.length) ctx.fail(`input ${input.describe()} is not quantized`);
  if (!oq || !oq.scale.length) ctx.fail(`output ${output.describe()} is not quantized`);
  if (!fq || !fq.scale.length) ctx.fail(`filter ${filter.describe()} is not quantized`);
  const scales = fq!.scale;
  if (scales.length !== 1 && scales.length !== channels) {
    ctx.fail(`filter has ${scales.length} scales for ${channels} output channels`);
  }
  if (scales.length > 1 && fq!.quantizedDimension !== quantizedDimension) {
    ctx.fail(`filter is quantized along dimension ${fq!.quantizedDimension}, expected ${quantizedDimension}`);
  }
  if (fq!.zeroPoint.length > 1 && fq!.zeroPoint.length !== scales.length) {
    ctx.fail(`filter has ${fq!.zeroPoint.length} zero points for ${scales.length} scales`);
  }
  const inputScale = input.scale, outputScale = output.scale;
  if (!(outputScale > 0)) ctx.fail(`output scale ${outputScale} must be positive`);
  const multipliers = new Int32Array(channels), shifts = new Int32Array(channels);
  const [qmin, qmax] = typeRange(output.type);
  const [outputMin, outputMax] = quantizedActivationRange(activation, outputScale, output.zeroPoint, qmin, qmax);
  const result: ChannelQuantization = {
    multipliers, shifts, scaled: new Float64Array(channels), addPositive: new Float64Array(channels),
    addNegative: new Float64Array(channels), fast: true, outputMin, outputMax,
  };
  for (let c = 0; c < channels; c++) {
    const filterScale = scales.length > 1 ? scales[c] : scales[0];
    const effective = inputScale * filterScale / outputScale;
    if (!(effective >= 0)) ctx.fail(`channel ${c}: effective scale ${effective} is negative`);
    const q = quantizeMultiplier(effective);
    multipliers[c] = q.multiplier;
    shifts[c] = q.shift;
    if (!fastRequantization(result, c)) result.fast = false;
  }
  return result;
}

/** Fails unless `tensor` has rank 4. */
export function requireRank4(ctx: PrepareContext, tensor: Tensor, what: string): void {
  if (tensor.rank !== 4) ctx.fail(`${what} ${tensor.describe()} must have rank 4`);
}

export function requireType(ctx: PrepareContext, tensor: Tensor, type: number, what: string): void {
  if (tensor.type !== type) ctx.fail(`${what} ${tensor.describe()} must be ${typeName(type)}`);
}

/** Checks stride and dilation options are positive integers. */
export function requirePositive(ctx: PrepareContext, value: number, what: string): void {
  if (!(Number.isInteger(value) && value > 0)) ctx.fail(`${what} must be a positive integer, got ${value}`);
}
