// GREATER (TFLM comparisons.cc): types as TFLM's kernel takes them; see internal/math-compare.ts.
import { Compare, comparisonKernel } from './internal/math-compare.js';

export const GREATER = comparisonKernel(61, 'GREATER', Compare.GREATER, ['float32', 'int32', 'int64', 'int8', 'int16']);
