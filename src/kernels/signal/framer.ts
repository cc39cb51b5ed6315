// SignalFramer (TFLM signal/micro/kernels/framer.cc): each row of the input (its innermost
// dimension, a whole number of frame_step samples) is pushed frame_step samples at a time into a
// ring per row; every push that leaves frame_size samples available outputs them as a frame and
// drops frame_step. output_valid is false while any row's ring has not filled yet (those frames
// are left as they were). prefill starts each ring with frame_size - frame_step zeros.
// resetVariables() empties the rings (and prefills them again), as TFLM's Reset.
import type { Kernel, Node, PrepareContext } from '../../core/kernel.js';
import { TensorType } from '../../core/types.js';
import { flexBool, flexInt } from '../../core/flexbuffers.js';
import { expectCounts, expectInput, expectOutput, signalOptions } from '../internal/signal-common.js';
import { cbAvailable, cbDiscard, cbGet, cbReset, cbWrite, cbWriteZeros } from '../internal/signal2-circular-buffer.js';

export interface FramerData {
  input: Int16Array;
  output: Int16Array;
  outputValid: Uint8Array;
  /** The rings' samples (outerDims · capacity) and read, write, empty per ring. */
  ring: Int16Array;
  ringState: Int32Array;
  capacity: number;
  frameSize: number;
  frameStep: number;
  outerDims: number;
  nFrames: number;
  prefill: boolean;
}

function prepare(ctx: PrepareContext, node: Node): FramerData {
  const o = signalOptions(node);
  const frameSize = flexInt(o, 'frame_size'), frameStep = flexInt(o, 'frame_step'), prefill = flexBool(o, 'prefill');
  expectCounts(ctx, node, 1, 2);
  const input = expectInput(ctx, node, 0, 'input', TensorType.INT16, -1);
  const output = expectOutput(ctx, node, 0, 'output', TensorType.INT16, input.rank + 1);
  const outputValid = expectOutput(ctx, node, 1, 'output_valid', TensorType.BOOL, 0);
  if (input.rank < 1) ctx.fail(`input ${input.describe()} must have at least 1 dimension`);
  if (frameStep < 1) ctx.fail(`option frame_step = ${frameStep} must be positive`);
  if (frameSize < 1) ctx.fail(`option frame_size = ${frameSize} must be positive`);
  // TFLM would write frame_size - frame_step (negative, as a size_t) zeros.
  if (prefill && frameSize < frameStep) ctx.fail(`prefill needs frame_size ${frameSize} >= frame_step ${frameStep}`);
  const innermost = input.shape[input.rank - 1];
  if (innermost < frameStep) ctx.fail(`input ${input.describe()}: innermost dimension is shorter than frame_step ${frameStep}`);
  if (innermost % frameStep !== 0) ctx.fail(`input ${input.describe()}: innermost dimension is not a multiple of frame_step ${frameStep}`);
  const outerDims = input.elementCount / innermost, nFrames = innermost / frameStep;
  // TFLM checks only the output's rank; it writes outerDims · nFrames frames of frame_size.
  if (output.elementCount !== outerDims * nFrames * frameSize) ctx.fail(`output ${output.describe()} must hold ${outerDims * nFrames} frames of ${frameSize}`);
  const capacity = Math.ceil(frameSize / frameStep) * frameStep;
  const ring = ctx.persistent(TensorType.INT16, outerDims * capacity) as Int16Array;
  const ringState = ctx.persistent(TensorType.INT32, outerDims * 3) as Int32Array;
  return {
    input: input.data as Int16Array, output: output.data as Int16Array, outputValid: outputValid.data as Uint8Array,
    ring, ringState, capacity, frameSize, frameStep, outerDims, nFrames, prefill,
  };
}

function evaluate(data: FramerData): void {
  const input = data.input, output = data.output, ring = data.ring, st = data.ringState;
  const capacity = data.capacity, frameSize = data.frameSize, frameStep = data.frameStep;
  const outerDims = data.outerDims, nFrames = data.nFrames;
  let valid = 1;
  for (let i = 0; i < outerDims; i++) {
    const base = i * capacity, s = i * 3;
    for (let frame = 0; frame < nFrames; frame++) {
      const k = i * nFrames + frame;
      cbWrite(ring, base, capacity, st, s, input, k * frameStep, frameStep);
      if (cbAvailable(st, s, capacity) >= frameSize) {
        cbGet(ring, base, capacity, st, s, frameSize, output, k * frameSize);
        cbDiscard(st, s, capacity, frameStep);
      } else {
        valid = 0;
      }
    }
  }
  data.outputValid[0] = valid;
}

function reset(data: FramerData): void {
  const st = data.ringState, ring = data.ring, capacity = data.capacity;
  for (let i = 0; i < data.outerDims; i++) {
    cbReset(st, i * 3);
    if (data.prefill) cbWriteZeros(ring, i * capacity, capacity, st, i * 3, data.frameSize - data.frameStep);
  }
}

export const SignalFramer: Kernel<FramerData> = Object.freeze({
  code: 32, name: 'SignalFramer', types: Object.freeze(['int16']), prepare, eval: evaluate, reset,
});
