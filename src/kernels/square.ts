// SQUARE (TFLM elementwise.cc): f * f on float32 (the double product of two floats is exact,
// so the store rounds it as the float product).
import type { TensorData } from '../core/types.js';
import { unaryKernel } from './internal/math-unary.js';

function loop(input: TensorData, output: TensorData): void {
  const n = input.length;
  for (let i = 0; i < n; i++) {
    const v = input[i];
    output[i] = v * v;
  }
}

export const SQUARE = unaryKernel(92, 'SQUARE', ['float32'], loop);
