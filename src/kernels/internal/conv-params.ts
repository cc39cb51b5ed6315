// What CONV_2D, DEPTHWISE_CONV_2D and TRANSPOSE_CONV share at prepare time: TFLM's
// PopulateConvolutionQuantizationParams (per-channel multipliers, activation bounds), reading
// constant weights before the arena exists, and the form of the kernels' inlined requantization.
import type { Node, PrepareContext } from '../../core/kernel.js';
import type { Tensor } from '../../core/tensor.js';
import { TensorType, typedView, typeName, type TensorData } from '../../core/types.js';
import { floatActivationRange, quantizedActivationRange, quantizeMultiplier, typeRange } from './quantization.js';

/** Largest float32: float bounds are clamped to it so the kernels' clamps stay float32 values. */
export const FLOAT_MAX = 3.4028234663852886e38;

/** The tensors and window options of a convolution node, checked. */
export interface ConvOperands {
  input: Tensor;
  filter: Tensor;
  bias: Tensor | null;
  output: Tensor;
  strideHeight: number;
  strideWidth: number;
  /** 1 for TRANSPOSE_CONV, which has none. */
  dilationHeight: number;
  dilationWidth: number;
  activation: number;
  padding: number;
}

/**
 * Operand counts, ranks and window options. TRANSPOSE_CONV (`transpose`) takes the output
 * shape first, then weights, input and an optional bias, and has no dilation.
 */
export function convOperands(ctx: PrepareContext, node: Node, transpose: boolean): ConvOperands {
  const inputs = node.inputs;
  const least = transpose ? 3 : 2;
  if (inputs.length !== least && inputs.length !== least + 1) ctx.fail(`expected ${least} or ${least + 1} inputs, got ${inputs.length}`);
  if (node.outputs.length !== 1) ctx.fail(`expected 1 output, got ${node.outputs.length}`);
  const input = inputs[transpose ? 2 : 0], filter = inputs[1], bias = inputs.length === least + 1 ? inputs[least] : null;
  const output = node.outputs[0];
  const filterName = transpose ? 'weights' : 'filter';
  if (!input || !filter) ctx.fail(transpose ? 'weights and input are required' : 'input and filter are required');
  requireRank4(ctx, input!, 'input');
  requireRank4(ctx, filter!, filterName);
  requireRank4(ctx, output, 'output');
  const opts = node.options;
  const strideHeight = opts.strideH as number, strideWidth = opts.strideW as number;
  const dilationHeight = transpose ? 1 : opts.dilationHFactor as number, dilationWidth = transpose ? 1 : opts.dilationWFactor as number;
  requirePositive(ctx, strideHeight, 'stride height');
  requirePositive(ctx, strideWidth, 'stride width');
  requirePositive(ctx, dilationHeight, 'dilation height');
  requirePositive(ctx, dilationWidth, 'dilation width');
  return {
    input: input!, filter: filter!, bias: bias ?? null, output, strideHeight, strideWidth, dilationHeight, dilationWidth,
    activation: opts.fusedActivationFunction as number, padding: opts.padding as number,
  };
}

/**
 * Checks the types of float32, int8 (int8 filter, int32 bias) and 16x8 convolutions; the 16x8
 * bias types differ by op (`int16Biases`). `op` and `filterName` only word the failures.
 */
export function checkConvTypes(
  ctx: PrepareContext, operands: ConvOperands, op: string, filterName: string, int16Biases: readonly number[],
): void {
  const { input, filter, bias, output } = operands;
  const inType = input.type;
  if (output.type !== inType) ctx.fail(`output type ${output.typeName} differs from input type ${input.typeName}`);
  if (inType === TensorType.FLOAT32) {
    if (filter.type !== TensorType.FLOAT32) ctx.fail(`float32 input needs float32 ${filterName}, got ${filter.typeName}`);
    if (bias && bias.type !== TensorType.FLOAT32) ctx.fail(`float32 ${op} needs a float32 bias, got ${bias.typeName}`);
  } else if (inType === TensorType.INT8) {
    if (filter.type !== TensorType.INT8) ctx.fail(`int8 input needs int8 ${filterName}, got ${filter.typeName}`);
    if (bias && bias.type !== TensorType.INT32) ctx.fail(`int8 ${op} needs an int32 bias, got ${bias.typeName}`);
  } else if (inType === TensorType.INT16) {
    if (filter.type !== TensorType.INT8) ctx.fail(`int16 input needs int8 ${filterName}, got ${filter.typeName}`);
    if (bias && int16Biases.indexOf(bias.type) < 0) {
      ctx.fail(`int16 ${op} needs an ${int16Biases.map(typeName).join(' or ')} bias, got ${bias.typeName}`);
    }
  } else {
    ctx.fail(`input type ${typeName(inType)} is not supported (float32, int8, int16)`);
  }
}

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

/**
 * The inlined fast requantization the int8 conv kernels share. MultiplyByQuantizedMultiplier(acc,
 * m, shift) with shift = -e <= 0 is two roundings, SRDHM(acc, m) then a rounding divide by 2^e;
 * both fold into one floor of (acc * m + add) / 2^(31 + e), where add depends on the sign of acc
 * only. With |acc| < 2^21 every step is exact in doubles, so the kernels compute
 *   acc >= 0: (acc * scaled + addPositive) | 0      acc < 0: -((addNegative - acc * scaled) | 0)
 * with scaled = m / 2^(31+e) (the factors per e: conv-record.ts, depthwise-data.ts), and fall
 * back to multiplyByQuantizedMultiplier otherwise.
 */

/** |accumulator| below this keeps the fast requantization exact. */
export const FAST_REQUANT_LIMIT = 2097152;

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
 * TFLM's PopulateConvolutionQuantizationParams without tables of its own: one multiplier per
 * output channel from input scale * filter scale / output scale (in double). Validates, hands
 * each channel's Q31 multiplier and TFLM shift to `store`, and returns the quantized activation
 * bounds [min, max].
 */
export function channelQuantization(
  ctx: PrepareContext, input: Tensor, filter: Tensor, output: Tensor, channels: number,
  quantizedDimension: number, activation: number, store: (channel: number, multiplier: number, shift: number) => void,
): [number, number] {
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
  const [qmin, qmax] = typeRange(output.type);
  const bounds = quantizedActivationRange(activation, outputScale, output.zeroPoint, qmin, qmax);
  for (let c = 0; c < channels; c++) {
    const filterScale = scales.length > 1 ? scales[c] : scales[0];
    const effective = inputScale * filterScale / outputScale;
    if (!(effective >= 0)) ctx.fail(`channel ${c}: effective scale ${effective} is negative`);
    const q = quantizeMultiplier(effective);
    store(c, q.multiplier, q.shift);
  }
  return bounds;
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
