// SignalIrfft (TFLM signal/micro/kernels/irfft.cc, signal/src/irfft_*.cc): the inverse real FFT
// of each row of fft_length/2 + 1 interleaved complex bins into fft_length samples, by kiss_fftri
// exactly as TFLM builds it. int16 and int32 keep kiss_fft's fixed-point scaling (1/p per stage); float32
// divides by fft_length afterwards, as TFLM's wrapper does.
import type { Kernel, Node, PrepareContext } from '../../core/kernel.js';
import { TensorType } from '../../core/types.js';
import { kissFftri16, kissFftriF32 } from '../internal/signal-kissfft.js';
import { kissFftri32 } from '../internal/signal-kissfft32.js';
import { realFftOperands, realFftTables, type RealFftData } from '../internal/signal-real-fft.js';

function prepare(ctx: PrepareContext, node: Node): RealFftData {
  const f = realFftOperands(ctx, node);
  const type = f.type, fftLength = f.fftLength, ncfft = f.ncfft, input = f.input, output = f.output;
  const inputLength = input.shape[input.rank - 1];
  if (inputLength !== 2 * (ncfft + 1)) ctx.fail(`input ${input.describe()} rows must hold ${ncfft + 1} complex bins (${2 * (ncfft + 1)} values)`);
  if (output.shape[output.rank - 1] !== fftLength) ctx.fail(`output ${output.describe()} rows must hold fft_length = ${fftLength} samples`);
  const rows = input.elementCount / inputLength;
  if (output.elementCount !== rows * fftLength) ctx.fail(`output ${output.describe()} must hold ${rows} rows of ${fftLength}`);
  const { plan, twiddles } = realFftTables(ctx, f, true);
  return {
    float: type === TensorType.FLOAT32, int32: type === TensorType.INT32,
    input: input.data as Int16Array | Int32Array | Float32Array, output: output.data as Int16Array | Int32Array | Float32Array,
    rows, inputLength, fftLength, ncfft, plan, twiddles, work: ctx.scratch(type, 2 * ncfft) as Int16Array | Int32Array | Float32Array,
  };
}

function evaluate(data: RealFftData): void {
  const input = data.input, output = data.output, work = data.work;
  const inputLength = data.inputLength, fftLength = data.fftLength, ncfft = data.ncfft;
  for (let r = 0; r < data.rows; r++) {
    const at = r * fftLength;
    if (data.float) {
      const out = output as Float32Array;
      kissFftriF32(data.plan, data.twiddles as Float32Array, ncfft, input as Float32Array, r * inputLength, work as Float32Array, 0, out, at);
      for (let i = at; i < at + fftLength; i++) out[i] = out[i] / fftLength;
    } else if (data.int32) {
      kissFftri32(data.plan, data.twiddles as Int32Array, ncfft, input as Int32Array, r * inputLength, work as Int32Array, 0, output as Int32Array, at);
    } else {
      kissFftri16(data.plan, data.twiddles as Int16Array, ncfft, input as Int16Array, r * inputLength, work as Int16Array, 0, output as Int16Array, at);
    }
  }
}

export const SignalIrfft: Kernel<RealFftData> = Object.freeze({
  code: 32, name: 'SignalIrfft', types: Object.freeze(['int16', 'int32', 'float32']), prepare, eval: evaluate,
});
