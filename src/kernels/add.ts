// ADD (TFLM add.cc, add_common.cc): float32 and int32 sums, int8 and int16 through the shared
// quantized recipe in internal/add_sub.ts; broadcasting of any rank.
import type { Kernel } from '../core/kernel.js';
import { ADD_SUB_TYPES, evalAddSub, prepareAddSub, type AddSubData } from './internal/add_sub.js';

export const ADD: Kernel<AddSubData> = Object.freeze<Kernel<AddSubData>>({
  code: 0,
  name: 'ADD',
  options: 'AddOptions',
  types: ADD_SUB_TYPES,
  prepare: (ctx, node) => prepareAddSub(ctx, node, false),
  eval: evalAddSub,
});
