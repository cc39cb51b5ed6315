// GREATER_EQUAL (TFLM comparisons.cc): types as TFLM's kernel takes them; see internal/math-compare.ts.
import { Compare, comparisonKernel } from './internal/math-compare.js';

export const GREATER_EQUAL = comparisonKernel(62, 'GREATER_EQUAL', Compare.GREATER_EQUAL, ['float32', 'int32', 'int64', 'int8']);
