// FLOOR_MOD (TFLM floor_mod.cc, reference/floor_mod.h): float32 only in TFLM; std::fmod (exact,
// as JavaScript's %), moved to the divisor's sign by a float addition.
import type { Node, PrepareContext } from '../core/kernel.js';
import type { TensorData } from '../core/types.js';
import { binaryKernel, prepareBinaryMath, type BinaryMathData } from './internal/math-binary.js';

const TYPES: readonly string[] = Object.freeze(['float32']);

function segment(a: TensorData, ai: number, as: number, b: TensorData, bi: number, bs: number, out: TensorData, oi: number, n: number): void {
  const end = oi + n;
  for (; oi < end; oi++) {
    const y = b[bi];
    const mod = a[ai] % y;
    // The store rounds mod + y to float, as the float addition does.
    out[oi] = mod !== 0 && (y < 0) !== (mod < 0) ? mod + y : mod;
    ai += as;
    bi += bs;
  }
}

export const FLOOR_MOD = binaryKernel(95, 'FLOOR_MOD', TYPES,
  (ctx: PrepareContext, node: Node): BinaryMathData => prepareBinaryMath(ctx, node, TYPES, false, 0, segment).data);
