// SQRT (TFLM elementwise.cc): std::sqrt on float32 (the double root rounds to the float root).
import type { TensorData } from '../core/types.js';
import { unaryKernel } from './internal/math-unary.js';

function loop(input: TensorData, output: TensorData): void {
  const n = input.length;
  for (let i = 0; i < n; i++) {
    output[i] = Math.sqrt(input[i]);
  }
}

export const SQRT = unaryKernel(75, 'SQRT', ['float32'], loop);
