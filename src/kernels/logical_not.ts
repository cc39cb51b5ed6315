// LOGICAL_NOT (TFLM elementwise.cc): !x on bool.
import type { TensorData } from '../core/types.js';
import { unaryKernel } from './internal/math-unary.js';

function loop(input: TensorData, output: TensorData): void {
  const n = input.length;
  for (let i = 0; i < n; i++) {
    output[i] = input[i] === 0 ? 1 : 0;
  }
}

export const LOGICAL_NOT = unaryKernel(87, 'LOGICAL_NOT', ['bool'], loop);
