// SignalFftAutoScale (TFLM fft_auto_scale_kernel.cc, signal/src/fft_auto_scale.cc): shifts int16
// samples left by as many bits as the largest magnitude leaves free, and outputs that count.
// MaxAbs16 keeps its maximum in an int16, so -32768 gives -32768, whose most significant bit (of
// its uint32 conversion) is 32: no shift, as in TFLM.
import type { Kernel, Node, PrepareContext } from '../../core/kernel.js';
import { TensorType } from '../../core/types.js';
import { expectCounts, expectInput, expectOutput, msb32 } from '../internal/signal-common.js';

export interface FftAutoScaleData {
  input: Int16Array;
  output: Int16Array;
  scaleBit: Int32Array;
  size: number;
}

function prepare(ctx: PrepareContext, node: Node): FftAutoScaleData {
  expectCounts(ctx, node, 1, 2);
  const input = expectInput(ctx, node, 0, 'input', TensorType.INT16, 1);
  const output = expectOutput(ctx, node, 0, 'output', TensorType.INT16, 1);
  const scaleBit = expectOutput(ctx, node, 1, 'scale_bit', TensorType.INT32, 0);
  // TFLM reads output's length of input: they must agree.
  if (input.shape[0] !== output.shape[0]) ctx.fail(`input ${input.describe()} and output ${output.describe()} differ in length`);
  return { input: input.data as Int16Array, output: output.data as Int16Array, scaleBit: scaleBit.data as Int32Array, size: output.shape[0] };
}

function evaluate(data: FftAutoScaleData): void {
  const input = data.input, output = data.output, size = data.size;
  let max = 0;
  for (let i = 0; i < size; i++) {
    const value = input[i];
    if (value > max) max = value;
    else if (-value > max) max = (-value) << 16 >> 16;
  }
  let bits = 16 - msb32(max >>> 0) - 1;
  if (bits <= 0) bits = 0;
  const factor = 1 << bits;
  for (let i = 0; i < size; i++) output[i] = input[i] * factor;
  data.scaleBit[0] = bits;
}

export const SignalFftAutoScale: Kernel<FftAutoScaleData> = Object.freeze({
  code: 32, name: 'SignalFftAutoScale', types: Object.freeze(['int16']), prepare, eval: evaluate,
});
