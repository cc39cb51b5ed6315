// FULLY_CONNECTED's quantized sums through E.convolve (internal/convolve.ts), where the engine
// has it: one native call per output channel, a[i] the channel's weight row (a view of exactly
// one row, made at prepare), b the batch's input (the input tensor, or the row of input less its
// zero point; the batch's start is the offset, walked by E.convolve: 0 for one batch). The sums
// are the exact integer sums the plain loops compute (see convolve.ts), so requantization, bias,
// folded offsets and the filter zero point's batch term are fully_connected.ts's, unchanged.
//
// Views kept: one per output channel (the weight rows) in an array held by the op data; the
// input or row is the tensor's or scratch's own view. Only Espruino ever makes them: without
// E.convolve the chooser below says no and the operator keeps its 3-slot op data.
import type { TensorData } from '../../core/types.js';
import { CONVOLVE_MIN_LENGTH, type Convolve } from './convolve.js';

export interface FcConvolveShape {
  /** Quantized (int8, or int16 with int32 or int64 accumulators); float32 never (convolve.ts). */
  quantized: boolean;
  /** Row length: the inner product's. */
  accumDepth: number;
  outputDepth: number;
  /** The engine has E.convolve. */
  convolve: boolean;
}

/** Whether FULLY_CONNECTED runs its sums through E.convolve: a pure function of the shape. */
export function chooseFcConvolve(s: FcConvolveShape): boolean {
  return s.convolve && s.quantized && s.outputDepth > 0 && s.accumDepth >= CONVOLVE_MIN_LENGTH;
}

/** sums[k] = Σ_d rows[c + k][d] · v[offset + d] for k < n. */
export function convolveChannels(
  convolve: Convolve, rows: readonly TensorData[], c: number, n: number, v: TensorData, offset: number, sums: Float64Array,
): void {
  for (let k = 0; k < n; k++) sums[k] = convolve(rows[c + k], v, offset);
}
