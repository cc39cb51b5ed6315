// LOGISTIC (TFLM logistic.cc, logistic_common.cc). float32: reference_ops::Logistic's clamped
// formula in float. int8: reference_integer_ops::Logistic (gemmlowp's fixed-point logistic on
// Q4.27), run once per int8 value into a table. int16: the interpolated sigmoid table. The
// paths are internal/sigmoid.ts's, shared with TANH.
import type { Kernel } from '../core/kernel.js';
import { logistic } from './internal/fixedpoint.js';
import { roundingDivideByPOT } from './internal/quantization.js';
import { evalSigmoid, prepareSigmoid, type SigmoidData, type SigmoidVariant } from './internal/sigmoid.js';

const TYPES: readonly string[] = Object.freeze(['float32', 'int8', 'int16']);

export type LogisticData = SigmoidData;

const VARIANT: SigmoidVariant = Object.freeze<SigmoidVariant>({
  tanh: false,
  int8OutputZeroPoint: -128,
  // Q0.31 result to Q0.8 (of 256ths), then offset by the output zero point -128.
  int8: inQ4 => roundingDivideByPOT(logistic(inQ4, 4), 23) - 128,
});

export const LOGISTIC: Kernel<LogisticData> = Object.freeze<Kernel<LogisticData>>({
  code: 14,
  name: 'LOGISTIC',
  types: TYPES,
  prepare: (ctx, node) => prepareSigmoid(ctx, node, VARIANT),
  eval: evalSigmoid,
});
