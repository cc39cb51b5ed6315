// Shared prepare-time checks of the elementwise and activation kernels, and the activation bounds
// TFLM's CalculateActivationRange gives unquantized outputs.
import type { Node, PrepareContext } from '../../core/kernel.js';
import type { Tensor } from '../../core/tensor.js';
import { planBroadcast, type BroadcastPlan } from './broadcast.js';
import { Activation } from './quantization.js';

/** std::numeric_limits<float>::max(): TFLM clamps unactivated float results to ±this, not ±Infinity. */
export const FLOAT32_MAX = 3.4028234663852886e38;

// TFLM (and TFLite) treat the fused activations they cannot clamp to (TANH, SIGN_BIT) as NONE
// in these ops; so do these.

/** CalculateActivationRange<float>. */
export function floatActivationBounds(activation: number): [number, number] {
  if (activation === Activation.RELU) return [0, FLOAT32_MAX];
  if (activation === Activation.RELU6) return [0, 6];
  if (activation === Activation.RELU_N1_TO_1) return [-1, 1];
  return [-FLOAT32_MAX, FLOAT32_MAX];
}

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

/** Refuses a nonzero zero point where TFLM requires symmetric quantization (int16 paths). */
export function requireZeroPoint(ctx: PrepareContext, tensor: Tensor, role: string, zeroPoint = 0): void {
  if (tensor.zeroPoint !== zeroPoint) ctx.fail(`${role} zero point must be ${zeroPoint}, got ${tensor.zeroPoint}`);
}
