// EXP (TFLM exp.cc): std::exp on float32; the Float32Array store rounds the double result.
import type { TensorData } from '../core/types.js';
import { unaryKernel } from './internal/math-unary.js';

function loop(input: TensorData, output: TensorData): void {
  const n = input.length;
  for (let i = 0; i < n; i++) {
    output[i] = Math.exp(input[i]);
  }
}

export const EXP = unaryKernel(47, 'EXP', ['float32'], loop);
