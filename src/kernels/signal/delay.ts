// SignalDelay (TFLM signal/micro/kernels/delay.cc): delays each row of the input (its innermost
// dimension) by delay_length samples through a ring per row that starts with delay_length zeros.
// resetVariables() restores those zeros, as TFLM's Reset.
import type { Kernel, Node, PrepareContext } from '../../core/kernel.js';
import { TensorType } from '../../core/types.js';
import { flexInt } from '../../core/flexbuffers.js';
import { expectCounts, expectInput, expectOutput, signalOptions } from '../internal/signal-common.js';
import { cbDiscard, cbGet, cbReset, cbWrite, cbWriteZeros } from '../internal/signal2-circular-buffer.js';

export interface DelayData {
  input: Int16Array;
  output: Int16Array;
  ring: Int16Array;
  ringState: Int32Array;
  capacity: number;
  frameSize: number;
  delayLength: number;
  outerDims: number;
}

function prepare(ctx: PrepareContext, node: Node): DelayData {
  const delayLength = flexInt(signalOptions(node), 'delay_length');
  expectCounts(ctx, node, 1, 1);
  const input = expectInput(ctx, node, 0, 'input', TensorType.INT16, -1);
  const output = expectOutput(ctx, node, 0, 'output', TensorType.INT16, -1);
  if (input.rank < 1) ctx.fail(`input ${input.describe()} must have at least 1 dimension`);
  if (delayLength < 0) ctx.fail(`option delay_length = ${delayLength} must not be negative`);
  const frameSize = input.shape[input.rank - 1];
  if (frameSize < 1) ctx.fail(`input ${input.describe()}: innermost dimension must not be empty`);
  // TFLM checks no shape: it writes the input's element count into the output.
  if (output.elementCount !== input.elementCount) ctx.fail(`output ${output.describe()} must hold as many values as input ${input.describe()}`);
  const outerDims = input.elementCount / frameSize, capacity = frameSize + delayLength;
  const ring = ctx.persistent(TensorType.INT16, outerDims * capacity) as Int16Array;
  const ringState = ctx.persistent(TensorType.INT32, outerDims * 3) as Int32Array;
  return { input: input.data as Int16Array, output: output.data as Int16Array, ring, ringState, capacity, frameSize, delayLength, outerDims };
}

function evaluate(data: DelayData): void {
  const input = data.input, output = data.output, ring = data.ring, st = data.ringState;
  const capacity = data.capacity, frameSize = data.frameSize, outerDims = data.outerDims;
  for (let i = 0, at = 0; i < outerDims; i++, at += frameSize) {
    const base = i * capacity, s = i * 3;
    cbWrite(ring, base, capacity, st, s, input, at, frameSize);
    cbGet(ring, base, capacity, st, s, frameSize, output, at);
    cbDiscard(st, s, capacity, frameSize);
  }
}

function reset(data: DelayData): void {
  const st = data.ringState, ring = data.ring, capacity = data.capacity;
  for (let i = 0; i < data.outerDims; i++) {
    cbReset(st, i * 3);
    cbWriteZeros(ring, i * capacity, capacity, st, i * 3, data.delayLength);
  }
}

export const SignalDelay: Kernel<DelayData> = Object.freeze({
  code: 32, name: 'SignalDelay', types: Object.freeze(['int16']), prepare, eval: evaluate, reset,
});
