// CEIL (TFLM ceil.cc): std::ceil on float32.
import type { TensorData } from '../core/types.js';
import { unaryKernel } from './internal/math-unary.js';

function loop(input: TensorData, output: TensorData): void {
  const n = input.length;
  for (let i = 0; i < n; i++) {
    output[i] = Math.ceil(input[i]);
  }
}

export const CEIL = unaryKernel(104, 'CEIL', ['float32'], loop);
