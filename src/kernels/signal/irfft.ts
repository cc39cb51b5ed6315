// SignalIrfft (TFLM signal/micro/kernels/irfft.cc, signal/src/irfft_*.cc): the inverse real FFT
// of each row of fft_length/2 + 1 interleaved complex bins into fft_length samples, by kiss_fftri
// exactly as TFLM builds it. int16 keeps kiss_fft's fixed-point scaling (1/n per stage); float32
// divides by fft_length afterwards, as TFLM's wrapper does.
import type { Kernel, Node, PrepareContext } from '../../core/kernel.js';
import { TensorType, typeName } from '../../core/types.js';
import { flexInt } from '../../core/flexbuffers.js';
import { expectCounts, expectInput, expectOutput, signalOptions } from '../internal/signal-common.js';
import { kissFactor, kissFftri16, kissFftriF32, kissPlanLength, kissSuperTwiddles, kissTwiddles } from '../internal/signal-kissfft.js';

export interface IrfftData {
  float: boolean;
  input: Int16Array | Float32Array;
  output: Int16Array | Float32Array;
  rows: number;
  inputLength: number;
  fftLength: number;
  ncfft: number;
  plan: Int32Array;
  twiddles: Int16Array | Float32Array;
  /** kiss_fftri's tmpbuf: 2·ncfft values. */
  work: Int16Array | Float32Array;
}

function prepare(ctx: PrepareContext, node: Node): IrfftData {
  const options = signalOptions(node);
  const type = flexInt(options, 'T'), fftLength = flexInt(options, 'fft_length');
  if (type !== TensorType.INT16 && type !== TensorType.FLOAT32) ctx.fail(`type ${typeName(type)} (option T) is not supported (int16, float32)`);
  expectCounts(ctx, node, 1, 1);
  const input = expectInput(ctx, node, 0, 'input', type, -1);
  const output = expectOutput(ctx, node, 0, 'output', type, input.rank);
  if (input.rank < 1) ctx.fail(`input ${input.describe()} must have at least 1 dimension`);
  if (fftLength < 4 || fftLength % 2 !== 0 || fftLength > 65536) ctx.fail(`fft_length ${fftLength} must be even, in [4, 65536]`);
  const ncfft = fftLength / 2;
  const inputLength = input.shape[input.rank - 1];
  if (inputLength !== 2 * (ncfft + 1)) ctx.fail(`input ${input.describe()} rows must hold ${ncfft + 1} complex bins (${2 * (ncfft + 1)} values)`);
  if (output.shape[output.rank - 1] !== fftLength) ctx.fail(`output ${output.describe()} rows must hold fft_length = ${fftLength} samples`);
  const rows = input.elementCount / inputLength;
  if (output.elementCount !== rows * fftLength) ctx.fail(`output ${output.describe()} must hold ${rows} rows of ${fftLength}`);
  const plan = ctx.persistent(TensorType.INT32, kissPlanLength(ncfft)) as Int32Array;
  const why = kissFactor(ncfft, plan);
  if (why) ctx.fail(`fft_length ${fftLength}: ${why}`);
  const twiddles = ctx.persistent(type, 2 * ncfft + 2 * (ncfft >> 1)) as Int16Array | Float32Array;
  if (!ctx.sizing) {
    kissTwiddles(ncfft, true, twiddles, 0);
    kissSuperTwiddles(ncfft, true, twiddles, 2 * ncfft);
  }
  return {
    float: type === TensorType.FLOAT32, input: input.data as Int16Array | Float32Array, output: output.data as Int16Array | Float32Array,
    rows, inputLength, fftLength, ncfft, plan, twiddles, work: ctx.scratch(type, 2 * ncfft) as Int16Array | Float32Array,
  };
}

function evaluate(data: IrfftData): void {
  const input = data.input, output = data.output, work = data.work;
  const inputLength = data.inputLength, fftLength = data.fftLength, ncfft = data.ncfft;
  for (let r = 0; r < data.rows; r++) {
    const at = r * fftLength;
    if (data.float) {
      const out = output as Float32Array;
      kissFftriF32(data.plan, data.twiddles as Float32Array, ncfft, input as Float32Array, r * inputLength, work as Float32Array, 0, out, at);
      for (let i = at; i < at + fftLength; i++) out[i] = out[i] / fftLength;
    } else {
      kissFftri16(data.plan, data.twiddles as Int16Array, ncfft, input as Int16Array, r * inputLength, work as Int16Array, 0, output as Int16Array, at);
    }
  }
}

export const SignalIrfft: Kernel<IrfftData> = Object.freeze({
  code: 32, name: 'SignalIrfft', types: Object.freeze(['int16', 'float32']), prepare, eval: evaluate,
});
