// SignalRfft (TFLM signal/micro/kernels/rfft.cc, signal/src/rfft_*.cc): the real FFT of each
// innermost row, zero-padded to fft_length, as fft_length/2 + 1 interleaved complex bins. int16,
// int32 and float32 run kiss_fftr exactly as TFLM builds it (internal/signal-kissfft.ts,
// signal-kissfft32.ts); the type comes from the "T" option, as in TFLM.
import type { Kernel, Node, PrepareContext } from '../../core/kernel.js';
import { TensorType } from '../../core/types.js';
import { kissFftr16, kissFftrF32 } from '../internal/signal-kissfft.js';
import { kissFftr32 } from '../internal/signal-kissfft32.js';
import { realFftOperands, realFftTables, type RealFftData } from '../internal/signal-real-fft.js';

export interface RfftData extends RealFftData {
  /** Values per output row: ncfft + 1 interleaved complex bins. */
  outputLength: number;
}

function prepare(ctx: PrepareContext, node: Node): RfftData {
  const f = realFftOperands(ctx, node);
  const type = f.type, fftLength = f.fftLength, ncfft = f.ncfft, input = f.input, output = f.output;
  const inputLength = input.shape[input.rank - 1];
  const outputLength = output.shape[output.rank - 1];
  if (inputLength > fftLength) ctx.fail(`input rows of ${inputLength} samples are longer than fft_length ${fftLength}`);
  if (outputLength !== 2 * (ncfft + 1)) ctx.fail(`output ${output.describe()} rows must hold ${ncfft + 1} complex bins (${2 * (ncfft + 1)} values)`);
  const rows = inputLength === 0 ? 0 : input.elementCount / inputLength;
  if (output.elementCount !== rows * outputLength) ctx.fail(`output ${output.describe()} must hold ${rows} rows of ${outputLength}`);
  const { plan, twiddles } = realFftTables(ctx, f, false);
  const work = ctx.scratch(type, fftLength + 2 * ncfft) as Int16Array | Int32Array | Float32Array;
  return {
    float: type === TensorType.FLOAT32, int32: type === TensorType.INT32,
    input: input.data as Int16Array | Int32Array | Float32Array, output: output.data as Int16Array | Int32Array | Float32Array,
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
    } else if (data.int32) {
      kissFftr32(data.plan, data.twiddles as Int32Array, ncfft, work as Int32Array, 0, work as Int32Array, fftLength, output as Int32Array, r * outputLength);
    } else {
      kissFftr16(data.plan, data.twiddles as Int16Array, ncfft, work as Int16Array, 0, work as Int16Array, fftLength, output as Int16Array, r * outputLength);
    }
  }
}

export const SignalRfft: Kernel<RfftData> = Object.freeze({
  code: 32, name: 'SignalRfft', types: Object.freeze(['int16', 'int32', 'float32']), prepare, eval: evaluate,
});
