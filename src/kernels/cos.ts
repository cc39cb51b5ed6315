// COS (TFLM elementwise.cc): std::cos on float32; the Float32Array store rounds the double result.
import type { TensorData } from '../core/types.js';
import { unaryKernel } from './internal/math-unary.js';

function loop(input: TensorData, output: TensorData): void {
  const n = input.length;
  for (let i = 0; i < n; i++) {
    output[i] = Math.cos(input[i]);
  }
}

export const COS = unaryKernel(108, 'COS', ['float32'], loop);
