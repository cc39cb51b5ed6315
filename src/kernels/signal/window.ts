// SignalWindow (TFLM signal/micro/kernels/window.cc, signal/src/window.cc): int16 samples times
// int16 window weights, >> shift, saturated to int16; the window repeats over the input's
// flattened length.
import type { Kernel, Node, PrepareContext } from '../../core/kernel.js';
import { TensorType } from '../../core/types.js';
import { flexInt } from '../../core/flexbuffers.js';
import { expectCounts, expectInput, expectOutput, expectRange, signalOptions } from '../internal/signal-common.js';

export interface WindowData {
  input: Int16Array;
  weights: Int16Array;
  output: Int16Array;
  size: number;
  weightSize: number;
  shift: number;
}

function prepare(ctx: PrepareContext, node: Node): WindowData {
  const shift = expectRange(ctx, 'shift', flexInt(signalOptions(node), 'shift'), 0, 31);
  expectCounts(ctx, node, 2, 1);
  const input = expectInput(ctx, node, 0, 'input', TensorType.INT16, -1);
  const weights = expectInput(ctx, node, 1, 'weights', TensorType.INT16, 1);
  const output = expectOutput(ctx, node, 0, 'output', TensorType.INT16, input.rank);
  if (input.rank < 1) ctx.fail(`input ${input.describe()} must have at least 1 dimension`);
  const size = input.elementCount, weightSize = weights.shape[0];
  // TFLM steps through the input a window at a time; a partial last window would read past it.
  if (weightSize === 0 || size % weightSize !== 0) ctx.fail(`input ${input.describe()} is not a whole number of ${weightSize}-sample windows`);
  if (output.elementCount !== size) ctx.fail(`output ${output.describe()} must hold ${size} values`);
  return { input: input.data as Int16Array, weights: weights.data as Int16Array, output: output.data as Int16Array, size, weightSize, shift };
}

function evaluate(data: WindowData): void {
  const input = data.input, weights = data.weights, output = data.output;
  const size = data.size, weightSize = data.weightSize, shift = data.shift;
  for (let base = 0; base < size; base += weightSize) {
    for (let i = 0; i < weightSize; i++) {
      const raw = (input[base + i] * weights[i]) >> shift;
      output[base + i] = raw < -32768 ? -32768 : raw > 32767 ? 32767 : raw;
    }
  }
}

export const SignalWindow: Kernel<WindowData> = Object.freeze({
  code: 32, name: 'SignalWindow', types: Object.freeze(['int16']), prepare, eval: evaluate,
});
