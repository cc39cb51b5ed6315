// Internal functions the tests in test-host/ assert on directly, built as dist/node/testing.js.
// Not part of the published API: package.json "exports" does not list it, and anything here may
// change without notice. Keep this file a plain list of re-exports.
export { chooseConvPath, positionGroup, wantsPackedWeights, windowGroup } from '../kernels/internal/conv-path.js';
export { fieldFor, MAX_PACKED_TERMS } from '../kernels/internal/packed-dot.js';
export { runOursByOperator, runReferenceByTensor, operatorOutputs, diffModel } from './cli-diff.js';
export { withOutputs } from './model-outputs.js';
export { multiplyByQuantizedMultiplier64, multiplyByQuantizedMultiplier64Quick } from '../kernels/internal/quantization.js';
