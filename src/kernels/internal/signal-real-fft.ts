// Shared by SignalRfft and SignalIrfft: their "T" and fft_length options, one int16/int32/float32 input
// and output, and the kiss_fft plan and twiddles both build at prepare (the inverse flag picks
// the twiddles' sign, as kiss_fftr_alloc's inverse_fft does).
import type { Node, PrepareContext } from '../../core/kernel.js';
import { flexInt } from '../../core/flexbuffers.js';
import type { Tensor } from '../../core/tensor.js';
import { TensorType, typeName } from '../../core/types.js';
import { expectCounts, expectInput, expectOutput, signalOptions } from './signal-common.js';
import { kissFactor, kissPlanLength, kissSuperTwiddles, kissTwiddles } from './signal-kissfft.js';
import { kissSuperTwiddles32, kissTwiddles32 } from './signal-kissfft32.js';

/** What both kernels keep for eval; SignalRfft adds its output row length. */
export interface RealFftData {
  float: boolean;
  /** int32 (kiss_fft's FIXED_POINT=32); neither float nor int32 is int16. */
  int32: boolean;
  input: Int16Array | Int32Array | Float32Array;
  output: Int16Array | Int32Array | Float32Array;
  rows: number;
  inputLength: number;
  fftLength: number;
  ncfft: number;
  plan: Int32Array;
  /** ncfft twiddles then ncfft/2 super twiddles, interleaved. */
  twiddles: Int16Array | Int32Array | Float32Array;
  /**
   * Scratch: for SignalRfft fft_length padded samples, then 2·ncfft values of the complex FFT's
   * output; for SignalIrfft kiss_fftri's tmpbuf of 2·ncfft values.
   */
  work: Int16Array | Int32Array | Float32Array;
}

export interface RealFftOperands {
  type: number;
  fftLength: number;
  /** fft_length / 2: the complex FFT's length. */
  ncfft: number;
  input: Tensor;
  output: Tensor;
}

/** Reads the options and checks the operands every real FFT shares. */
export function realFftOperands(ctx: PrepareContext, node: Node): RealFftOperands {
  const options = signalOptions(node);
  const type = flexInt(options, 'T'), fftLength = flexInt(options, 'fft_length');
  if (type !== TensorType.INT16 && type !== TensorType.INT32 && type !== TensorType.FLOAT32) ctx.fail(`type ${typeName(type)} (option T) is not supported (int16, int32, float32)`);
  expectCounts(ctx, node, 1, 1);
  const input = expectInput(ctx, node, 0, 'input', type, -1);
  const output = expectOutput(ctx, node, 0, 'output', type, input.rank);
  if (input.rank < 1) ctx.fail(`input ${input.describe()} must have at least 1 dimension`);
  if (fftLength < 4 || fftLength % 2 !== 0 || fftLength > 65536) ctx.fail(`fft_length ${fftLength} must be even, in [4, 65536]`);
  return { type, fftLength, ncfft: fftLength / 2, input, output };
}

export interface RealFftTables {
  plan: Int32Array;
  /** ncfft twiddles then ncfft/2 super twiddles, interleaved. */
  twiddles: Int16Array | Int32Array | Float32Array;
}

/** The kiss_fft plan and twiddles in the persistent tail (filled in the binding run only). */
export function realFftTables(ctx: PrepareContext, f: RealFftOperands, inverse: boolean): RealFftTables {
  const ncfft = f.ncfft;
  const plan = ctx.persistent(TensorType.INT32, kissPlanLength(ncfft)) as Int32Array;
  const why = kissFactor(ncfft, plan);
  if (why) ctx.fail(`fft_length ${f.fftLength}: ${why}`);
  const twiddles = ctx.persistent(f.type, 2 * ncfft + 2 * (ncfft >> 1)) as Int16Array | Int32Array | Float32Array;
  if (!ctx.sizing && f.type === TensorType.INT32) {
    kissTwiddles32(ncfft, inverse, twiddles as Int32Array, 0);
    kissSuperTwiddles32(ncfft, inverse, twiddles as Int32Array, 2 * ncfft);
  } else if (!ctx.sizing) {
    kissTwiddles(ncfft, inverse, twiddles as Int16Array | Float32Array, 0);
    kissSuperTwiddles(ncfft, inverse, twiddles as Int16Array | Float32Array, 2 * ncfft);
  }
  return { plan, twiddles };
}
