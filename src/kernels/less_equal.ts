// LESS_EQUAL (TFLM comparisons.cc): types as TFLM's kernel takes them; see internal/math-compare.ts.
import { Compare, comparisonKernel } from './internal/math-compare.js';

export const LESS_EQUAL = comparisonKernel(63, 'LESS_EQUAL', Compare.LESS_EQUAL, ['float32', 'int32', 'int64', 'int8']);
