// Internal functions and test tooling the tests in test-host/ use directly, built as
// dist/dev/testing.js. Not published: package.json's "exports" and "files" leave src/dev and
// dist/dev out, and anything here may change without notice. Keep this file a plain list of re-exports.
export { chooseConvPath, positionGroup, wantsPackedWeights, windowGroup } from '../kernels/internal/conv-path.js';
export { multiplyByQuantizedMultiplier64, multiplyByQuantizedMultiplier64Quick } from '../kernels/internal/quantization.js';
export { chooseDepthwisePath, DEPTHWISE_PATH_NAMES } from '../kernels/internal/depthwise-path.js';
export { chooseFcConvolve } from '../kernels/internal/fc-convolve.js';
export { convolvePrimitive, CONVOLVE_MIN_LENGTH } from '../kernels/internal/convolve.js';
export { fieldFor, MAX_PACKED_TERMS } from '../kernels/internal/packed-dot.js';
export { runOursByOperator, runReferenceByTensor, operatorOutputs, diffModel } from '../host/cli/cli-diff.js';
export { withOutputs } from '../host/cli/model-outputs.js';
// -- the differential cases (our engine against reference TFLite on generated models)
export { lstmFloatOracle, generateCase, caseSeed, caseBytes, referenceForm, referenceTolerance, REFERENCE_DIFFERENCES, runOurs, compareOutputs, hasKernel, DIFF_OPS, Rng, quantFor, randomData, quantizeValues, CaseBuilder, type DiffCase, type DataArray, type QuantParams, type Mismatch } from './differential/index.js';
// -- the README's operator table (`npm run docs`)
export { opTable, withOpTable } from './op-table.js';
