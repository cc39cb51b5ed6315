// LOGICAL_AND (TFLM logical.cc): bool inputs, broadcasting up to 4D.
import type { TensorData } from '../core/types.js';
import { binaryKernel, prepareBinaryMath, type BinaryMathData } from './internal/math-binary.js';
import type { Node, PrepareContext } from '../core/kernel.js';

const TYPES: readonly string[] = Object.freeze(['bool']);

function segment(a: TensorData, ai: number, as: number, b: TensorData, bi: number, bs: number, out: TensorData, oi: number, n: number): void {
  const end = oi + n;
  for (; oi < end; oi++) {
    out[oi] = a[ai] !== 0 && b[bi] !== 0 ? 1 : 0;
    ai += as;
    bi += bs;
  }
}

export const LOGICAL_AND = binaryKernel(86, 'LOGICAL_AND', TYPES,
  (ctx: PrepareContext, node: Node): BinaryMathData => prepareBinaryMath(ctx, node, TYPES, true, 0, segment).data);
