// ZEROS_LIKE (TFLM zeros_like.cc): an output of the input's type and shape, all zeros; int64,
// int32, int8 and float32 as TFLM's kernel.
import type { Kernel, Node, PrepareContext } from '../core/kernel.js';
import { prepareUnaryMath, type UnaryMathData } from './internal/math-unary.js';

const TYPES: readonly string[] = Object.freeze(['float32', 'int8', 'int32', 'int64']);

function prepare(ctx: PrepareContext, node: Node): UnaryMathData {
  const { input, output } = prepareUnaryMath(ctx, node, TYPES);
  return { input: input.data, output: output.data };
}

function evalZerosLike(data: UnaryMathData): void {
  // The whole view: int64 elements are two int32 words each.
  data.output.fill(0);
}

export const ZEROS_LIKE: Kernel<UnaryMathData> = Object.freeze({
  code: 93,
  name: 'ZEROS_LIKE',
  types: TYPES,
  prepare,
  eval: evalZerosLike,
});
