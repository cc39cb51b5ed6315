// tflite-xs/host (Node only): model authoring (writer, converter, embed, resolver generator),
// host runtimes (XS engine, reference TFLite, PNG screen, images, WAV) and the CLI's commands.
// The test tooling (differential cases, fuzzer, soak, bench) is in src/dev, built to dist/dev and
// not published.
// -- exports: writer and reference
export { writeModel, optionsTableFor, tensorTypeCode, tensorBytes, type WriterModel, type WriterSubgraph, type WriterTensor, type WriterOperator, type OptionValue } from './authoring/tflite-writer.js';
export { runReference, referenceAvailable, ReferenceTfliteError } from './runtime/reference-tflite.js';
// -- exports: converter, embed, example support
export { convert, convertDense, readGraph, activationParams, quantizeSymmetric, quantizePerChannel, boxSamples, saveLayersModel, loadLayersModel, convertCommand, evenlySpaced, ConversionError, CONVERT_USAGE, RANGE_WARNING, type CommandIO, type ConvertOptions, type DenseSpec, type LayerLike, type ModelLike, type SavableModelLike, type Graph, type GraphOp, type GraphTensor } from './authoring/converter.js';
export { embed, embedCommand, writeEmbedFiles, preloadModuleSource, preloadModuleTypes, EMBED_USAGE, type EmbedOptions, type EmbedResult, type EmbedCosts } from './authoring/embed.js';
export { generateResolver, resolverFiles, resolverCommand, kernelModulesByOp, kernelClosure, modelOps, runtimeImports, librarySrcDir, ResolverError, RESOLVER_USAGE, type ResolverFiles, type ResolverOptions } from './authoring/resolver-gen.js';
export { appSize, appSizes, formatAppSizes, printAppSizes, type AppSize, type AppSizeOptions } from './authoring/app-size.js';
export { PngScreen, type PngScreenOptions } from './runtime/png-screen.js';
export { decodeGrayImage, readGrayImage, fitGrayImage, luma, type GrayImage } from './runtime/gray-image.js';
export { stdoutSink, memorySink, type WritableLike } from './runtime/stdout-logger.js';
// -- exports: XS engine runner
export { countMacs } from './cli/macs.js';
export { XsEngine, XsError, xsnapBinaryPath, type TensorMeta, type XsLoadResult, type XsRunResult } from './runtime/xs-runner.js';
export { runModel, runOnNode, runOnXs, stepsFor, type Engine, type RunResult } from './runtime/run-model.js';
// -- exports: audio (micro_speech from a WAV)
export { readWav, type Wav } from './runtime/wav.js';
export { runAudioOnNode, runAudioOnXs, runAudioCommand, loadAudioModels, DEFAULT_AUDIO_DIR, type AudioResult, type AudioModels } from './cli/run-audio.js';
