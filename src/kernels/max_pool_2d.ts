// MAX_POOL_2D (TFLM pooling.cc; reference pooling.h and integer_ops/pooling.h): float32, int8,
// int16. Windows are clipped to the input; the fused activation bounds the maximum.
import type { Kernel, Node } from '../core/kernel.js';
import type { Tensor } from '../core/tensor.js';
import { TensorType } from '../core/types.js';
import { preparePool, type PoolData } from './internal/pooling.js';

function evalMax(node: Node, d: PoolData): void {
  const X = (node.inputs[0] as Tensor).data, Y = node.outputs[0].data;
  // The reference starts from the type's lowest value (for float, -FLT_MAX).
  const lowest = d.type === TensorType.FLOAT32 ? -3.4028234663852886e38 : d.type === TensorType.INT8 ? -128 : -32768;
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
        for (let c = 0; c < C; c++) {
          let max = lowest;
          for (let iy = yStart; iy < yEnd; iy++) {
            let xi = ((b * inH + iy) * inW + xStart) * C + c;
            for (let ix = xStart; ix < xEnd; ix++) {
              const v = X[xi];
              // std::max(max, v) keeps max unless max < v (so a NaN input is skipped).
              if (max < v) max = v;
              xi += C;
            }
          }
          Y[out++] = max < lo ? lo : hi < max ? hi : max;
        }
      }
    }
  }
}

export const MAX_POOL_2D: Kernel<PoolData> = {
  code: 17,
  name: 'MAX_POOL_2D',
  options: 'Pool2DOptions',
  types: ['float32', 'int8', 'int16'],
  prepare: preparePool,
  eval: evalMax,
};
