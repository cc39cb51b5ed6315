// Shared prepare-time checks of the elementwise and activation kernels, the activation bounds
// TFLM's CalculateActivationRange gives unquantized outputs, and what the broadcasting binary
// kernels have in common: their op data (views and one record in the arena), their eval, and
// MUL and DIV's prepare.
import type { Node, PrepareContext } from '../../core/kernel.js';
import type { Tensor } from '../../core/tensor.js';
import { TensorType, type TensorData } from '../../core/types.js';
import { planBroadcast, planLength, runBroadcast, writePlan, type BroadcastPlan, type Segment } from './broadcast.js';
import { Activation, quantizeMultiplier, quantizedActivationRange, typeRange } from './quantization.js';

/** std::numeric_limits<float>::max(): TFLM clamps unactivated float results to ±this, not ±Infinity. */
export const FLOAT32_MAX = 3.4028234663852886e38;

// TFLM (and TFLite) treat the fused activations they cannot clamp to (TANH, SIGN_BIT) as NONE
// in these ops; so do these.

/** CalculateActivationRange<int32_t>. */
export function int32ActivationBounds(activation: number): [number, number] {
  if (activation === Activation.RELU) return [0, 2147483647];
  if (activation === Activation.RELU6) return [0, 6];
  if (activation === Activation.RELU_N1_TO_1) return [-1, 1];
  return [-2147483648, 2147483647];
}

export interface BinaryTensors {
  input1: Tensor;
  input2: Tensor;
  output: Tensor;
  plan: BroadcastPlan;
}

/**
 * Checks a two-operand elementwise operator: two inputs and one output, inputs of one of `types`
 * and of the same type (unless `mixed`), output of the inputs' type, shapes that broadcast to the
 * output's.
 */
export function prepareBinary(ctx: PrepareContext, node: Node, types: readonly string[], mixed = false): BinaryTensors {
  if (node.inputs.length !== 2) ctx.fail(`takes 2 inputs, the model gives ${node.inputs.length}`);
  if (node.outputs.length !== 1) ctx.fail(`has 1 output, the model gives ${node.outputs.length}`);
  const input1 = node.inputs[0], input2 = node.inputs[1], output = node.outputs[0];
  if (!input1 || !input2) return ctx.fail('both inputs are required');
  if (!types.includes(input1.typeName)) ctx.fail(`input type ${input1.typeName} is not supported (supported: ${types.join(', ')})`);
  if (!mixed && input2.type !== input1.type) ctx.fail(`inputs differ in type: ${input1.typeName} and ${input2.typeName}`);
  if (output.type !== input1.type) ctx.fail(`output type ${output.typeName} differs from the input type ${input1.typeName}`);
  const plan = planBroadcast(input1.shape, input2.shape, output.shape);
  if (typeof plan === 'string') return ctx.fail(plan);
  return { input1, input2, output, plan };
}

/**
 * What every broadcasting binary kernel keeps: the three tensors' views, the segment its types
 * chose, and one Int32Array record in the arena's persistent tail: at Binary.PLAN_AT the index of
 * the broadcast plan, then the kernel's own fields (from Binary.FIRST on), then the plan.
 */
export interface BroadcastData<D> {
  a: TensorData;
  b: TensorData;
  out: TensorData;
  record: Int32Array;
  segment: Segment<D>;
}

export const enum Binary {
  PLAN_AT = 0,
  /** The kernel's first field. */
  FIRST = 1,
}

/**
 * The op data of a binary kernel: its record (`fields` kernel fields, to be filled at Binary.FIRST
 * on, then the plan) from ctx.persistent, and the tensors' views. Same request in both prepare runs.
 */
export function binaryData<D extends BroadcastData<D>>(
  ctx: PrepareContext, tensors: BinaryTensors, fields: number, segment: Segment<D>,
): BroadcastData<D> {
  const at = Binary.FIRST + fields;
  const record = ctx.persistent(TensorType.INT32, at + planLength(tensors.plan)) as Int32Array;
  record[Binary.PLAN_AT] = at;
  writePlan(record, at, tensors.plan);
  return { a: tensors.input1.data, b: tensors.input2.data, out: tensors.output.data, record, segment };
}

/** eval of the broadcasting binary kernels: the chosen segment over the plan, once per invoke. */
export function evalBroadcast<D extends BroadcastData<D>>(data: D): void {
  const record = data.record;
  runBroadcast(record, record[Binary.PLAN_AT], data.a, data.b, data.out, data, data.segment);
}

/**
 * Float bounds of the fused activations, at 2 * code (codes 0..3; TANH and SIGN_BIT, which these
 * ops cannot clamp to, are stored as NONE: see floatActivationCode).
 */
export const FLOAT_BOUNDS: readonly number[] = Object.freeze([
  -FLOAT32_MAX, FLOAT32_MAX, 0, FLOAT32_MAX, -1, 1, 0, 6,
]);

/** The activation code that indexes FLOAT_BOUNDS. */
export function floatActivationCode(activation: number): number {
  return activation === Activation.RELU || activation === Activation.RELU6 || activation === Activation.RELU_N1_TO_1 ? activation : 0;
}

/** MUL and DIV: output bounds and, quantized, one multiplier applied to the offset inputs' result. */
export const enum Product {
  /** int32 and quantized: output bounds. float32: the activation code (FLOAT_BOUNDS). */
  MIN = Binary.FIRST,
  MAX,
  OFFSET1,
  OFFSET2,
  OUTPUT_OFFSET,
  MULTIPLIER,
  SHIFT,
  FIELDS = 7,
}

export type ProductData = BroadcastData<ProductData>;

export interface ProductSegments {
  float: Segment<ProductData>;
  int32: Segment<ProductData>;
  quantized: Segment<ProductData>;
}

/**
 * prepare of MUL and DIV: float32 and int32 clamp to the fused activation's bounds; quantized
 * types rescale by `realMultiplier(input 1 scale, input 2 scale, output scale)` (int16 symmetric).
 * `plainInt32`: int32 tensors must not carry quantization (DIV).
 */
export function prepareProduct(
  ctx: PrepareContext, node: Node, types: readonly string[], segments: ProductSegments,
  realMultiplier: (scale1: number, scale2: number, outputScale: number) => number, plainInt32: boolean,
): ProductData {
  const tensors = prepareBinary(ctx, node, types);
  const { input1, input2, output } = tensors;
  const activation = node.options.fusedActivationFunction as number;
  const type = output.type;
  if (type === TensorType.FLOAT32) {
    const data = binaryData(ctx, tensors, Product.FIELDS, segments.float);
    data.record[Product.MIN] = floatActivationCode(activation);
    return data;
  }
  if (type === TensorType.INT32) {
    if (plainInt32 && (input1.quantization || input2.quantization)) ctx.fail('int32 inputs must not be quantized');
    const data = binaryData(ctx, tensors, Product.FIELDS, segments.int32);
    const [min, max] = int32ActivationBounds(activation);
    data.record[Product.MIN] = min;
    data.record[Product.MAX] = max;
    return data;
  }
  requireQuantizedOperands(ctx, input1, input2, output, true);
  const q = quantizeMultiplier(realMultiplier(input1.scale, input2.scale, output.scale));
  const [qmin, qmax] = typeRange(type);
  const [min, max] = quantizedActivationRange(activation, output.scale, output.zeroPoint, qmin, qmax);
  const data = binaryData(ctx, tensors, Product.FIELDS, segments.quantized);
  const r = data.record;
  r[Product.MIN] = min;
  r[Product.MAX] = max;
  r[Product.OFFSET1] = -input1.zeroPoint;
  r[Product.OFFSET2] = -input2.zeroPoint;
  r[Product.OUTPUT_OFFSET] = output.zeroPoint;
  r[Product.MULTIPLIER] = q.multiplier;
  r[Product.SHIFT] = q.shift;
  return data;
}

/** Checks a one-operand operator: one input of one of `types`, one output of its type and shape. */
export function prepareUnary(ctx: PrepareContext, node: Node, types: readonly string[]): { input: Tensor; output: Tensor } {
  if (node.inputs.length !== 1) ctx.fail(`takes 1 input, the model gives ${node.inputs.length}`);
  if (node.outputs.length !== 1) ctx.fail(`has 1 output, the model gives ${node.outputs.length}`);
  const input = node.inputs[0], output = node.outputs[0];
  if (!input) return ctx.fail('the input is required');
  if (!types.includes(input.typeName)) ctx.fail(`input type ${input.typeName} is not supported (supported: ${types.join(', ')})`);
  if (output.type !== input.type) ctx.fail(`output type ${output.typeName} differs from the input type ${input.typeName}`);
  let same = input.shape.length === output.shape.length;
  for (let i = 0; same && i < input.shape.length; i++) same = input.shape[i] === output.shape[i];
  if (!same) ctx.fail(`output shape [${output.dims().join(', ')}] differs from the input shape [${input.dims().join(', ')}]`);
  return { input, output };
}

/** Refuses a tensor without quantization parameters where the kernel needs them. */
export function requireQuantized(ctx: PrepareContext, tensor: Tensor, role: string): void {
  if (!tensor.quantization || !(tensor.scale > 0)) ctx.fail(`${role} ${tensor.describe()} needs a positive quantization scale`);
}

/**
 * The quantized binary kernels' checks: scales on both inputs and the output, and where
 * `symmetricInt16`, zero points of 0 on int16 tensors.
 */
export function requireQuantizedOperands(
  ctx: PrepareContext, input1: Tensor, input2: Tensor, output: Tensor, symmetricInt16: boolean,
): void {
  requireQuantized(ctx, input1, 'input 1');
  requireQuantized(ctx, input2, 'input 2');
  requireQuantized(ctx, output, 'output');
  if (symmetricInt16 && output.type === TensorType.INT16) {
    requireZeroPoint(ctx, input1, 'input 1');
    requireZeroPoint(ctx, input2, 'input 2');
    requireZeroPoint(ctx, output, 'output');
  }
}

/** Refuses a nonzero zero point where TFLM requires symmetric quantization (int16 paths). */
export function requireZeroPoint(ctx: PrepareContext, tensor: Tensor, role: string, zeroPoint = 0): void {
  if (tensor.zeroPoint !== zeroPoint) ctx.fail(`${role} zero point must be ${zeroPoint}, got ${tensor.zeroPoint}`);
}
