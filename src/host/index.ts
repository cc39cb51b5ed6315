// tflite-xs host tools (Node only): model writer, converter, reference TFLite, XS runner.
// -- exports: writer and reference
export { writeModel, optionsTableFor, tensorTypeCode, tensorBytes, type WriterModel, type WriterSubgraph, type WriterTensor, type WriterOperator, type OptionValue } from './tflite-writer.js';
export { runReference, referenceAvailable, ReferenceTfliteError } from './reference-tflite.js';
export { lstmFloatOracle, generateCase, caseSeed, caseBytes, referenceForm, referenceTolerance, REFERENCE_DIFFERENCES, runOurs, compareOutputs, hasKernel, DIFF_OPS, Rng, quantFor, randomData, quantizeValues, CaseBuilder, type DiffCase, type DataArray, type QuantParams, type Mismatch } from './differential/index.js';
// -- exports: converter, embed, example support
export { convert, convertDense, readGraph, activationParams, quantizeSymmetric, quantizePerChannel, boxSamples, saveLayersModel, loadLayersModel, convertCommand, evenlySpaced, ConversionError, CONVERT_USAGE, RANGE_WARNING, type CommandIO, type ConvertOptions, type DenseSpec, type LayerLike, type ModelLike, type Graph, type GraphOp, type GraphTensor } from './converter.js';
export { embed, embedCommand, writeEmbedFiles, preloadModuleSource, preloadModuleTypes, EMBED_USAGE, type EmbedOptions, type EmbedResult, type EmbedCosts } from './embed.js';
export { generateResolver, resolverFiles, resolverCommand, kernelModulesByOp, kernelClosure, modelOps, runtimeImports, librarySrcDir, ResolverError, RESOLVER_USAGE, type ResolverFiles, type ResolverOptions } from './resolver-gen.js';
export { appSize, appSizes, formatAppSizes, printAppSizes, type AppSize, type AppSizeOptions } from './app-size.js';
export { PngScreen, type PngScreenOptions } from './png-screen.js';
export { decodeGrayImage, readGrayImage, fitGrayImage, luma, type GrayImage } from './gray-image.js';
export { stdoutSink, memorySink, type WritableLike } from './stdout-logger.js';
// -- exports: XS engine runner
export { opTable, withOpTable } from './op-table.js';
export { countMacs } from './macs.js';
export { XsEngine, XsError, xsnapBinaryPath, type TensorMeta, type XsLoadResult, type XsRunResult } from './xs-runner.js';
export { runModel, runOnNode, runOnXs, stepsFor, type Engine, type RunResult } from './run-model.js';
// -- exports: audio (micro_speech from a WAV)
export { readWav, type Wav } from './wav.js';
export { runAudioOnNode, runAudioOnXs, runAudioCommand, loadAudioModels, DEFAULT_AUDIO_DIR, type AudioResult, type AudioModels } from './run-audio.js';
