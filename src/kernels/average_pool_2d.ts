// AVERAGE_POOL_2D (TFLM pooling.cc; reference pooling.h and integer_ops/pooling.h): float32,
// int8, int16. Windows are clipped to the input: padding is left out of the count, and the
// quantized average rounds half away from zero in integer arithmetic.
import type { Kernel, Node } from '../core/kernel.js';
import type { Tensor } from '../core/tensor.js';
import { TensorType } from '../core/types.js';
import { preparePool, type PoolData } from './internal/pooling.js';

function evalAverage(node: Node, d: PoolData): void {
  const X = (node.inputs[0] as Tensor).data, Y = node.outputs[0].data;
  const isFloat = d.type === TensorType.FLOAT32, fround = Math.fround;
  const lo = d.outputMin, hi = d.outputMax;
  const batches = d.batches, inH = d.inputHeight, inW = d.inputWidth, C = d.depth;
  const outH = d.outputHeight, outW = d.outputWidth, fH = d.filterHeight, fW = d.filterWidth;
  const sH = d.strideHeight, sW = d.strideWidth, padH = d.padHeight, padW = d.padWidth;
  let out = 0;
  for (let b = 0; b < batches; b++) {
    for (let oy = 0; oy < outH; oy++) {
      const iy0 = oy * sH - padH;
      const yStart = iy0 < 0 ? 0 : iy0;
      const yEnd = iy0 + fH < inH ? iy0 + fH : inH;
      for (let ox = 0; ox < outW; ox++) {
        const ix0 = ox * sW - padW;
        const xStart = ix0 < 0 ? 0 : ix0;
        const xEnd = ix0 + fW < inW ? ix0 + fW : inW;
        const count = (yEnd - yStart) * (xEnd - xStart);
        // The reference stops the whole op at an empty window.
        if (!(yEnd > yStart && xEnd > xStart)) return;
        const half = count >> 1;
        for (let c = 0; c < C; c++) {
          let sum = 0;
          for (let iy = yStart; iy < yEnd; iy++) {
            let xi = ((b * inH + iy) * inW + xStart) * C + c;
            for (let ix = xStart; ix < xEnd; ix++) {
              sum = isFloat ? fround(sum + X[xi]) : sum + X[xi];
              xi += C;
            }
          }
          let v: number;
          if (isFloat) v = fround(sum / count);
          else v = ((sum > 0 ? sum + half : sum - half) / count) | 0;
          Y[out++] = v < lo ? lo : hi < v ? hi : v;
        }
      }
    }
  }
}

export const AVERAGE_POOL_2D: Kernel<PoolData> = {
  code: 1,
  name: 'AVERAGE_POOL_2D',
  options: 'Pool2DOptions',
  types: ['float32', 'int8', 'int16'],
  prepare: preparePool,
  eval: evalAverage,
};
