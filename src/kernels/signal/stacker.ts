// SignalStacker (TFLM signal/micro/kernels/stacker.cc): stacks num_channels-sample input frames
// into left_context + 1 + right_context frames of context. The first frame is repeated
// left_context more times as padding; once the ring holds a whole stack it is output (valid)
// and stacker_step frames are dropped. resetVariables() empties the ring and forgets the first
// frame, as TFLM's Reset.
import type { Kernel, Node, PrepareContext } from '../../core/kernel.js';
import { TensorType } from '../../core/types.js';
import { flexInt } from '../../core/flexbuffers.js';
import { expectCounts, expectInput, expectOutput, signalOptions } from '../internal/signal-common.js';
import { cbAvailable, cbDiscard, cbExtend, cbGet, cbReset, cbWrite } from '../internal/signal2-circular-buffer.js';

export interface StackerData {
  input: Int16Array;
  output: Int16Array;
  outputValid: Uint8Array;
  ring: Int16Array;
  /** read, write, empty, then 1 once the first frame has been padded. */
  ringState: Int32Array;
  numChannels: number;
  leftContext: number;
  bufferSize: number;
  stepSize: number;
}

function prepare(ctx: PrepareContext, node: Node): StackerData {
  const o = signalOptions(node);
  const numChannels = flexInt(o, 'num_channels'), left = flexInt(o, 'stacker_left_context');
  const right = flexInt(o, 'stacker_right_context'), step = flexInt(o, 'stacker_step');
  expectCounts(ctx, node, 1, 2);
  const input = expectInput(ctx, node, 0, 'input', TensorType.INT16, 1);
  const output = expectOutput(ctx, node, 0, 'output', TensorType.INT16, 1);
  const outputValid = expectOutput(ctx, node, 1, 'output_valid', TensorType.BOOL, 0);
  if (numChannels < 1) ctx.fail(`option num_channels = ${numChannels} must be positive`);
  if (left < 0 || right < 0) ctx.fail(`options stacker_left_context = ${left}, stacker_right_context = ${right} must not be negative`);
  const frames = left + right + 1;
  // TFLM's ring asserts a positive discard no larger than what it holds.
  if (step < 1 || step > frames) ctx.fail(`option stacker_step = ${step} must be in [1, ${frames}]`);
  const bufferSize = numChannels * frames;
  // TFLM reads num_channels input samples and writes the whole stack, checking neither.
  if (input.shape[0] < numChannels) ctx.fail(`input ${input.describe()} must hold num_channels = ${numChannels} values`);
  if (output.shape[0] < bufferSize) ctx.fail(`output ${output.describe()} must hold ${bufferSize} values`);
  const ring = ctx.persistent(TensorType.INT16, bufferSize) as Int16Array;
  const ringState = ctx.persistent(TensorType.INT32, 4) as Int32Array;
  return {
    input: input.data as Int16Array, output: output.data as Int16Array, outputValid: outputValid.data as Uint8Array,
    ring, ringState, numChannels, leftContext: left, bufferSize, stepSize: numChannels * step,
  };
}

function evaluate(data: StackerData): void {
  const ring = data.ring, st = data.ringState, bufferSize = data.bufferSize, numChannels = data.numChannels;
  cbWrite(ring, 0, bufferSize, st, 0, data.input, 0, numChannels);
  if (st[3] === 0) {
    cbExtend(ring, 0, bufferSize, st, 0, numChannels, data.leftContext);
    st[3] = 1;
  }
  if (cbAvailable(st, 0, bufferSize) >= bufferSize) {
    cbGet(ring, 0, bufferSize, st, 0, bufferSize, data.output, 0);
    cbDiscard(st, 0, bufferSize, data.stepSize);
    data.outputValid[0] = 1;
  } else {
    data.outputValid[0] = 0;
  }
}

function reset(data: StackerData): void {
  cbReset(data.ringState, 0);
  data.ringState[3] = 0;
}

export const SignalStacker: Kernel<StackerData> = Object.freeze({
  code: 32, name: 'SignalStacker', types: Object.freeze(['int16']), prepare, eval: evaluate, reset,
});
