// TANH (TFLM tanh.cc). float32: std::tanh in float. int8: reference_integer_ops::Tanh
// (gemmlowp's fixed-point tanh on Q4.27), run once per int8 value into a table. int16: the
// sigmoid table, as tanh(x) = 2 * sigmoid(2x) - 1. The paths are internal/sigmoid.ts's, shared
// with LOGISTIC.
import type { Kernel } from '../core/kernel.js';
import { tanh } from './internal/fixedpoint.js';
import { roundingDivideByPOT } from './internal/quantization.js';
import { evalSigmoid, prepareSigmoid, type SigmoidData, type SigmoidVariant } from './internal/sigmoid.js';

const TYPES: readonly string[] = Object.freeze(['float32', 'int8', 'int16']);

export type TanhData = SigmoidData;

const VARIANT: SigmoidVariant = Object.freeze<SigmoidVariant>({
  tanh: true,
  // TFLM ignores the int8 output's zero point here (it is 0 for tanh's symmetric range).
  int8OutputZeroPoint: null,
  int8: inQ4 => roundingDivideByPOT(tanh(inQ4, 4), 24),
});

export const TANH: Kernel<TanhData> = Object.freeze<Kernel<TanhData>>({
  code: 28,
  name: 'TANH',
  types: TYPES,
  prepare: (ctx, node) => prepareSigmoid(ctx, node, VARIANT),
  eval: evalSigmoid,
});
