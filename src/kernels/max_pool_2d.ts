// MAX_POOL_2D (TFLM pooling.cc; reference pooling.h and integer_ops/pooling.h): float32, int8,
// int16. Windows are clipped to the input; the fused activation bounds the maximum
// (internal/pooling.ts).
import type { Kernel } from '../core/kernel.js';
import { evalPool, preparePool, type PoolData } from './internal/pooling.js';

export const MAX_POOL_2D: Kernel<PoolData> = Object.freeze<Kernel<PoolData>>({
  code: 17,
  name: 'MAX_POOL_2D',
  options: 'Pool2DOptions',
  types: Object.freeze(['float32', 'int8', 'int16']),
  prepare: (ctx, node) => preparePool(ctx, node, false),
  eval: evalPool,
});
