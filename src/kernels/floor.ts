// FLOOR (TFLM floor.cc): std::floor on float32.
import type { TensorData } from '../core/types.js';
import { unaryKernel } from './internal/math-unary.js';

function loop(input: TensorData, output: TensorData): void {
  const n = input.length;
  for (let i = 0; i < n; i++) {
    output[i] = Math.floor(input[i]);
  }
}

export const FLOOR = unaryKernel(8, 'FLOOR', ['float32'], loop);
