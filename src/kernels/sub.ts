// SUB (TFLM sub.cc, sub_common.cc): float32 and int32 differences, int8 and int16 through the
// quantized recipe ADD uses (with its multipliers computed in float, as sub_common.cc does);
// broadcasting of any rank.
import type { Kernel } from '../core/kernel.js';
import { ADD_SUB_TYPES, evalAddSub, prepareAddSub, type AddSubData } from './internal/add_sub.js';

export const SUB: Kernel<AddSubData> = Object.freeze<Kernel<AddSubData>>({
  code: 41,
  name: 'SUB',
  options: 'SubOptions',
  types: ADD_SUB_TYPES,
  prepare: (ctx, node) => prepareAddSub(ctx, node, true),
  eval: evalAddSub,
});
