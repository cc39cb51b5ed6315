// FLOOR_DIV (TFLM floor_div.cc, reference/floor_div.h): float32 only in TFLM; floor of the
// quotient taken in double, rounded to float. Like TFLM, eval refuses a zero anywhere in the
// divisor before computing.
import type { Node, PrepareContext } from '../core/kernel.js';
import { OpError } from '../core/errors.js';
import type { TensorData } from '../core/types.js';
import { binaryKernel, evalBinaryMath, prepareBinaryMath, type BinaryMathData } from './internal/math-binary.js';

const TYPES: readonly string[] = Object.freeze(['float32']);

function segment(a: TensorData, ai: number, as: number, b: TensorData, bi: number, bs: number, out: TensorData, oi: number, n: number): void {
  const end = oi + n;
  for (; oi < end; oi++) {
    out[oi] = Math.floor(a[ai] / b[bi]);
    ai += as;
    bi += bs;
  }
}

function evalFloorDiv(data: BinaryMathData): void {
  const b = data.b, n = b.length;
  for (let i = 0; i < n; i++) {
    if (b[i] === 0) throw new OpError('FLOOR_DIV', data.opIndex, `Division by 0 (divisor element ${i})`);
  }
  evalBinaryMath(data);
}

export const FLOOR_DIV = binaryKernel(90, 'FLOOR_DIV', TYPES,
  (ctx: PrepareContext, node: Node): BinaryMathData => prepareBinaryMath(ctx, node, TYPES, false, 0, segment).data, evalFloorDiv);
