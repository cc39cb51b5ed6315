// SignalRfft (TFLM signal/micro/kernels/rfft.cc, signal/src/rfft_*.cc): the real FFT of each
// innermost row, zero-padded to fft_length, as fft_length/2 + 1 interleaved complex bins. int16
// and float32 run kiss_fftr exactly as TFLM builds it (internal/signal-kissfft.ts); the type comes
// from the "T" option, as in TFLM.
import type { Kernel, Node, PrepareContext } from '../../core/kernel.js';
import { TensorType, typeName } from '../../core/types.js';
import { flexInt } from '../../core/flexbuffers.js';
import { expectCounts, expectInput, expectOutput, signalOptions } from '../internal/signal-common.js';
import { kissFactor, kissFftr16, kissFftrF32, kissPlanLength, kissSuperTwiddles, kissTwiddles } from '../internal/signal-kissfft.js';

export interface RfftData {
  float: boolean;
  input: Int16Array | Float32Array;
  output: Int16Array | Float32Array;
  /** Rows of input_length samples, each to ncfft + 1 bins (output row length outputLength values). */
  rows: number;
  inputLength: number;
  outputLength: number;
  fftLength: number;
  ncfft: number;
  plan: Int32Array;
  /** ncfft twiddles then ncfft/2 super twiddles, interleaved. */
  twiddles: Int16Array | Float32Array;
  /** fft_length padded samples, then 2·ncfft values of the complex FFT's output. */
  work: Int16Array | Float32Array;
}

function prepare(ctx: PrepareContext, node: Node): RfftData {
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
  const outputLength = output.shape[output.rank - 1];
  if (inputLength > fftLength) ctx.fail(`input rows of ${inputLength} samples are longer than fft_length ${fftLength}`);
  if (outputLength !== 2 * (ncfft + 1)) ctx.fail(`output ${output.describe()} rows must hold ${ncfft + 1} complex bins (${2 * (ncfft + 1)} values)`);
  const rows = inputLength === 0 ? 0 : input.elementCount / inputLength;
  if (output.elementCount !== rows * outputLength) ctx.fail(`output ${output.describe()} must hold ${rows} rows of ${outputLength}`);
  const plan = ctx.persistent(TensorType.INT32, kissPlanLength(ncfft)) as Int32Array;
  const why = kissFactor(ncfft, plan);
  if (why) ctx.fail(`fft_length ${fftLength}: ${why}`);
  const float = type === TensorType.FLOAT32;
  const twiddles = ctx.persistent(type, 2 * ncfft + 2 * (ncfft >> 1)) as Int16Array | Float32Array;
  if (!ctx.sizing) {
    kissTwiddles(ncfft, false, twiddles, 0);
    kissSuperTwiddles(ncfft, false, twiddles, 2 * ncfft);
  }
  const work = ctx.scratch(type, fftLength + 2 * ncfft) as Int16Array | Float32Array;
  return {
    float, input: input.data as Int16Array | Float32Array, output: output.data as Int16Array | Float32Array,
    rows, inputLength, outputLength, fftLength, ncfft, plan, twiddles, work,
  };
}

function evaluate(data: RfftData): void {
  const input = data.input, output = data.output, work = data.work;
  const inputLength = data.inputLength, outputLength = data.outputLength, fftLength = data.fftLength, ncfft = data.ncfft;
  for (let r = 0; r < data.rows; r++) {
    const from = r * inputLength;
    for (let i = 0; i < inputLength; i++) work[i] = input[from + i];
    for (let i = inputLength; i < fftLength; i++) work[i] = 0;
    if (data.float) {
      kissFftrF32(data.plan, data.twiddles as Float32Array, ncfft, work as Float32Array, 0, work as Float32Array, fftLength, output as Float32Array, r * outputLength);
    } else {
      kissFftr16(data.plan, data.twiddles as Int16Array, ncfft, work as Int16Array, 0, work as Int16Array, fftLength, output as Int16Array, r * outputLength);
    }
  }
}

export const SignalRfft: Kernel<RfftData> = Object.freeze({
  code: 32, name: 'SignalRfft', types: Object.freeze(['int16', 'float32']), prepare, eval: evaluate,
});
