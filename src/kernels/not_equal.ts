// NOT_EQUAL (TFLM comparisons.cc): types as TFLM's kernel takes them; see internal/math-compare.ts.
import { Compare, comparisonKernel } from './internal/math-compare.js';

export const NOT_EQUAL = comparisonKernel(72, 'NOT_EQUAL', Compare.NOT_EQUAL, ['bool', 'float32', 'int32', 'int64', 'int8']);
