// EQUAL (TFLM comparisons.cc): types as TFLM's kernel takes them; see internal/math-compare.ts.
import { Compare, comparisonKernel } from './internal/math-compare.js';

export const EQUAL = comparisonKernel(71, 'EQUAL', Compare.EQUAL, ['bool', 'float32', 'int32', 'int64', 'int8']);
