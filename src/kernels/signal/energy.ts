// SignalEnergy (TFLM energy.cc, signal/src/energy.cc): |bin|² of complex int16 bins
// [start_index, end_index) as uint32 (the int32 sum of two squares, wrapping as the C code does
// for (-32768)² + (-32768)²). Bins outside the range are left as they are, as in TFLM.
import type { Kernel, Node, PrepareContext } from '../../core/kernel.js';
import { TensorType } from '../../core/types.js';
import { flexInt } from '../../core/flexbuffers.js';
import { expectCounts, expectInput, expectOutput, signalOptions } from '../internal/signal-common.js';

export interface EnergyData {
  input: Int16Array;
  output: Uint32Array;
  start: number;
  end: number;
}

function prepare(ctx: PrepareContext, node: Node): EnergyData {
  const options = signalOptions(node);
  const end = flexInt(options, 'end_index'), start = flexInt(options, 'start_index');
  expectCounts(ctx, node, 1, 1);
  const input = expectInput(ctx, node, 0, 'input', TensorType.INT16, 1);
  const output = expectOutput(ctx, node, 0, 'output', TensorType.UINT32, 1);
  // TFLM indexes both tensors with the options unchecked.
  const bins = input.shape[0] >> 1;
  if (start < 0 || end > bins || end > output.shape[0]) {
    ctx.fail(`start_index ${start} .. end_index ${end} must lie within the ${bins} bins of input ${input.describe()} and output ${output.describe()}`);
  }
  return { input: input.data as Int16Array, output: output.data as Uint32Array, start, end };
}

function evaluate(data: EnergyData): void {
  const input = data.input, output = data.output, end = data.end;
  for (let i = data.start; i < end; i++) {
    const re = input[2 * i], im = input[2 * i + 1];
    output[i] = re * re + im * im;
  }
}

export const SignalEnergy: Kernel<EnergyData> = Object.freeze({
  code: 32, name: 'SignalEnergy', types: Object.freeze(['int16']), prepare, eval: evaluate,
});
