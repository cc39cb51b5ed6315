// SignalOverlapAdd (TFLM signal/micro/kernels/overlap_add.cc, signal/src/overlap_add.cc): for
// each frame of frame_size samples (input [..., n_frames, frame_size]), adds it into a
// frame_size state per outer row (int16: saturated; float32: float32 sums), outputs the first
// frame_step samples and shifts the state left by frame_step, zero-filling its end. Output
// [..., n_frames · frame_step]. The type comes from option T (TensorType: 7 int16, 0 float32),
// as in TFLM. resetVariables() zeroes the state, as TFLM's Reset.
import type { Kernel, Node, PrepareContext } from '../../core/kernel.js';
import { TensorType, typeName } from '../../core/types.js';
import { flexInt } from '../../core/flexbuffers.js';
import { expectCounts, expectInput, expectOutput, signalOptions } from '../internal/signal-common.js';

export interface OverlapAddData {
  isFloat: boolean;
  input: Int16Array | Float32Array;
  output: Int16Array | Float32Array;
  /** outerDims · frameSize samples of state. */
  state: Int16Array | Float32Array;
  frameSize: number;
  frameStep: number;
  nFrames: number;
  outerDims: number;
}

function prepare(ctx: PrepareContext, node: Node): OverlapAddData {
  const o = signalOptions(node);
  const type = flexInt(o, 'T'), frameStep = flexInt(o, 'frame_step');
  if (type !== TensorType.INT16 && type !== TensorType.FLOAT32) ctx.fail(`type ${typeName(type)} (option T) is not supported: int16 or float32`);
  expectCounts(ctx, node, 1, 1);
  const input = expectInput(ctx, node, 0, 'input', type, -1);
  if (input.rank < 2) ctx.fail(`input ${input.describe()} must have at least 2 dimensions`);
  const output = expectOutput(ctx, node, 0, 'output', type, input.rank - 1);
  const frameSize = input.shape[input.rank - 1], nFrames = input.shape[input.rank - 2];
  if (frameSize < 1 || nFrames < 1) ctx.fail(`input ${input.describe()} has no frames`);
  // TFLM moves frame_size - frame_step samples of state unchecked.
  if (frameStep < 0 || frameStep > frameSize) ctx.fail(`option frame_step = ${frameStep} must be in [0, ${frameSize}] (the frame size)`);
  const outerDims = input.elementCount / (frameSize * nFrames);
  if (output.elementCount !== outerDims * nFrames * frameStep) ctx.fail(`output ${output.describe()} must hold ${outerDims * nFrames * frameStep} values`);
  const state = ctx.persistent(type, outerDims * frameSize) as Int16Array | Float32Array;
  return {
    isFloat: type === TensorType.FLOAT32, input: input.data as Int16Array | Float32Array, output: output.data as Int16Array | Float32Array,
    state, frameSize, frameStep, nFrames, outerDims,
  };
}

function evaluate(data: OverlapAddData): void {
  const input = data.input, output = data.output, state = data.state, isFloat = data.isFloat;
  const frameSize = data.frameSize, frameStep = data.frameStep, nFrames = data.nFrames, outerDims = data.outerDims;
  const keep = frameSize - frameStep;
  for (let i = 0; i < outerDims; i++) {
    const base = i * frameSize;
    for (let frame = 0; frame < nFrames; frame++) {
      const k = i * nFrames + frame, from = k * frameSize, to = k * frameStep;
      if (isFloat) {
        // Float32Array stores round each double sum to float32: TFLM's float addition.
        for (let j = 0; j < frameSize; j++) state[base + j] += input[from + j];
      } else {
        for (let j = 0; j < frameSize; j++) {
          const sum = input[from + j] + state[base + j];
          state[base + j] = sum < -32768 ? -32768 : sum > 32767 ? 32767 : sum;
        }
      }
      for (let j = 0; j < frameStep; j++) output[to + j] = state[base + j];
      for (let j = 0; j < keep; j++) state[base + j] = state[base + frameStep + j];
      for (let j = keep; j < frameSize; j++) state[base + j] = 0;
    }
  }
}

function reset(data: OverlapAddData): void {
  data.state.fill(0);
}

export const SignalOverlapAdd: Kernel<OverlapAddData> = Object.freeze({
  code: 32, name: 'SignalOverlapAdd', types: Object.freeze(['int16', 'float32']), prepare, eval: evaluate, reset,
});
