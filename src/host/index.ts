// tflite-xs host tools (Node only): model writer, converter, reference TFLite, XS runner.
// -- exports: writer and reference
// -- exports: converter, embed, example support
// -- exports: XS engine runner
export { XsEngine, XsError, xsnapBinaryPath, type TensorMeta, type XsLoadResult, type XsRunResult } from './xs-runner.js';
export { runModel, runOnNode, runOnXs, stepsFor, type Engine, type RunResult } from './run-model.js';
