// LESS (TFLM comparisons.cc): types as TFLM's kernel takes them; see internal/math-compare.ts.
import { Compare, comparisonKernel } from './internal/math-compare.js';

export const LESS = comparisonKernel(58, 'LESS', Compare.LESS, ['float32', 'int32', 'int64', 'int8']);
