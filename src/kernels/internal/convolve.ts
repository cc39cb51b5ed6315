// Espruino's native dot product, `E.convolve(a, b, offset)`, where the engine has it (issue 14).
// Espruino (jswrap_espruino.c, jswrap_espruino_convolve) returns Σ_i a[i] · b[(i + offset) mod
// b.length] over i < a.length, each element read as a JsVarFloat and summed in one JsVarFloat:
// a double on every build (USE_FLOATS, which would make it a float, is set by no board file).
// Integer products of int8 or int16 by int8 are below 2^22 in magnitude, so a sum of fewer than
// 2^31 of them is below 2^53 and exact: the result equals the int32/int64 accumulator of TFLM
// (before the `| 0` the callers apply), whatever the order. Float32 kernels do not use it: TFLM
// rounds a float32 sum at every step, a double sum of the same products differs in the last
// bits, and the engine is bit-exact with TFLM on float models too.
//
// Costs on Espruino's Linux build (2v29, RELEASE; CPU time on a shared x86 host, of the loops in
// tools/espruino-convolve-bench.js): a call about 5 µs, then about 50 ns an element, against about
// 6.6 µs per multiply-accumulate of a plain JS loop; a typed-array view about 7 µs to make (so
// the kernels make theirs at prepare) and a few variables of Espruino's store to keep. The offset
// is walked element by element before the sum starts, so the kernels pass 0 (or a batch's start)
// and keep one view per row instead of indexing one long view.
//
// Nothing here reads `E` at module load: Moddable preloads module bodies at build time, and
// neither XS nor Node has `E`. Kernels ask at prepare.
import type { TensorData } from '../../core/types.js';

/** E.convolve's signature, as the kernels call it (views of int8/int16 data, offset 0 or small). */
export type Convolve = (a: TensorData, b: TensorData, offset: number) => number;

declare const E: { convolve?: unknown } | undefined;

/**
 * Inner products shorter than this stay on the plain loops: with a single term the call costs
 * more than the multiply it replaces.
 */
export const CONVOLVE_MIN_LENGTH = 4;

/** The engine's E.convolve, or null (XS, Node, any engine without it). */
export function convolvePrimitive(): Convolve | null {
  // Espruino's E is a function object (typeof 'function'), not a plain object.
  if (typeof E === 'undefined' || E === null) return null;
  const f = E.convolve;
  return typeof f === 'function' ? f as Convolve : null;
}

/** Views of rows 0 .. n-1 of `data` (rows of `depth` elements from element `at`), one each: E.convolve's first operands. */
export function weightRows(data: TensorData, at: number, depth: number, n: number): TensorData[] {
  const rows: TensorData[] = [];
  for (let c = 0; c < n; c++) rows.push(data.subarray(at + c * depth, at + (c + 1) * depth));
  return rows;
}
