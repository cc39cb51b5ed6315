// NEG (TFLM neg.cc, reference/neg.h): -x on float32, the only type TFLM's kernel takes.
import type { TensorData } from '../core/types.js';
import { unaryKernel } from './internal/math-unary.js';

function loop(input: TensorData, output: TensorData): void {
  const n = input.length;
  for (let i = 0; i < n; i++) {
    output[i] = -input[i];
  }
}

export const NEG = unaryKernel(59, 'NEG', ['float32'], loop);
