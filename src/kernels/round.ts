// ROUND (TFLM round.cc, reference/round.h RoundToNearest): halves go to the even neighbour.
import type { TensorData } from '../core/types.js';
import { unaryKernel } from './internal/math-unary.js';

function loop(input: TensorData, output: TensorData): void {
  const n = input.length;
  for (let i = 0; i < n; i++) {
    const v = input[i];
    const low = Math.floor(v);
    const diff = v - low;
    // (int)floor % 2 == 0 in C; -0 % 2 and -2 % 2 are 0 here too.
    output[i] = diff < 0.5 || (diff === 0.5 && low % 2 === 0) ? low : low + 1;
  }
}

export const ROUND = unaryKernel(116, 'ROUND', ['float32'], loop);
