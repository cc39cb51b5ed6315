// The converter: a trained tfjs layers model (Sequential, or a functional chain of one-input
// layers with one or more outputs) becomes a .tflite. convert-graph.ts lowers the layers to
// TFLite operators as TFLite's converter does; convert-quantize.ts calibrates and quantizes
// (full-integer int8 with TFLite's conventions); convert-emit.ts writes the file. Anything the
// converter cannot convert is refused with an error that names the layer.
import fs from 'node:fs';
import path from 'node:path';
import type * as tfjs from '@tensorflow/tfjs';
import { errorLine, exitCodeFor, expectPositionals, flag, InputProblem, parseCommandArgs, stringOption, UsageProblem } from '../cli/args.js';
import { fileProblem, readBytes, readText, writeBytes } from '../cli/files.js';
import { ConversionError, readGraph, type Graph, type ModelLike } from './convert-graph.js';
import { boxSamples, calibrateGraph, requireTf, sampleRows, type Sample } from './convert-quantize.js';
import { emitFloat, emitInt8 } from './convert-emit.js';
import { importOptional } from '../optional-package.js';

export { ConversionError, readGraph, type Graph, type GraphOp, type GraphTensor, type LayerLike, type ModelLike } from './convert-graph.js';
export { activationParams, quantizeSymmetric, quantizePerChannel, boxSamples } from './convert-quantize.js';

/** Where a command's lines go (the console unless a caller collects them). */
export interface CommandIO {
  log(line: string): void;
  error(line: string): void;
}

export const CONSOLE: CommandIO = { log: line => console.log(line), error: line => console.error(line) };

/** One Dense layer, weights as TFLite lays them out: [units][inputs]. */
export interface DenseSpec {
  name: string;
  inputs: number;
  units: number;
  /** units x inputs, row-major (tfjs keeps the transpose, inputs x units). */
  weights: Float32Array;
  bias: Float32Array | null;
  activation: 'linear' | 'relu' | 'relu6';
}

export interface ConvertOptions {
  /** "float32" (default) or "int8" (full integer post-training quantization). */
  quantize?: 'float32' | 'int8';
  /** Inputs to calibrate int8 ranges with: each sample one input of the model (numbers, flat or nested), or a number when it takes one. */
  representativeData?: readonly Sample[];
  /** Instead of samples: every input value drawn independently and uniformly in [low, high] (seeded). Real samples calibrate better. */
  representativeRange?: readonly [number, number];
  /** Where warnings go (default: console.error). */
  warn?: (line: string) => void;
  /** Written into the model's description field. */
  description?: string;
}

export const RANGE_WARNING = 'warning: --representative-range calibrates on random inputs (each value uniform in the range, independently); '
  + 'real samples (--representative FILE.json) give ranges closer to what the model will see';

/** Converts a tfjs LayersModel to .tflite bytes. */
export function convert(model: ModelLike, options: ConvertOptions = {}): Uint8Array {
  return convertGraph(model, readGraph(model), options);
}

function convertGraph(model: ModelLike, graph: Graph, options: ConvertOptions): Uint8Array {
  const mode = options.quantize ?? 'float32';
  if (mode !== 'float32' && mode !== 'int8') throw new ConversionError(`convert: quantize must be "float32" or "int8", got "${mode}"`);
  const description = options.description ?? `tflite-xs convert (${mode})`;
  if (mode === 'float32') return emitFloat(graph, description);
  const width = graph.tensors[graph.input].shape.reduce((a, b) => a * b, 1);
  let rows: Float32Array[];
  if (options.representativeRange && !options.representativeData) {
    const [low, high] = options.representativeRange;
    if (!(Number.isFinite(low) && Number.isFinite(high) && low < high)) throw new ConversionError(`convert: representativeRange needs low < high, got [${low}, ${high}]`);
    (options.warn ?? (line => console.error(line)))(RANGE_WARNING);
    rows = boxSamples(width, low, high);
  } else {
    rows = sampleRows(options.representativeData, width);
  }
  return emitInt8(graph, calibrateGraph(model, graph, rows), description);
}

/** Converts Dense specs (TFLite layout) to .tflite bytes, through a tfjs Sequential built from them. */
export function convertDense(layers: readonly DenseSpec[], options: ConvertOptions = {}): Uint8Array {
  if (!layers.length) throw new ConversionError('convert: no layers');
  const tf = requireTf();
  const model = tf.sequential();
  layers.forEach((l, k) => {
    const kernel = new Float32Array(l.inputs * l.units);
    for (let o = 0; o < l.units; o++) for (let i = 0; i < l.inputs; i++) kernel[i * l.units + o] = l.weights[o * l.inputs + i];
    const layer = tf.layers.dense({ units: l.units, activation: l.activation, useBias: !!l.bias, name: l.name, ...(k === 0 ? { inputShape: [l.inputs] } : {}) });
    model.add(layer);
    layer.setWeights([tf.tensor2d(kernel, [l.inputs, l.units]), ...(l.bias ? [tf.tensor1d(l.bias)] : [])]);
  });
  try {
    return convert(model, options);
  } finally {
    model.dispose();
  }
}

// -- tfjs models on disk (the layers-model format: model.json + weights.bin)

async function loadTf(): Promise<typeof tfjs> {
  const tf = await importOptional<typeof tfjs>('@tensorflow/tfjs', 'the converter (tfjs models)');
  // Prod mode keeps the cpu backend's "install tfjs-node" notice off the console.
  tf.enableProdMode();
  return tf;
}

/** What saveLayersModel() needs of a tfjs LayersModel (structural: tfjs' types stay out of ours). */
export interface SavableModelLike { save(handler: unknown): Promise<unknown> }

/** Writes a tfjs LayersModel as model.json + weights.bin in `dir` (no tfjs-node needed). */
export async function saveLayersModel(model: SavableModelLike, dir: string): Promise<string> {
  const tf = await loadTf();
  fs.mkdirSync(dir, { recursive: true });
  const modelPath = path.join(dir, 'model.json');
  await model.save(tf.io.withSaveHandler(async artifacts => {
    const data = artifacts.weightData;
    const parts: ArrayBuffer[] = data === undefined ? [] : Array.isArray(data) ? data : [data as ArrayBuffer];
    const bytes = Buffer.concat(parts.map(p => new Uint8Array(p)));
    fs.writeFileSync(path.join(dir, 'weights.bin'), bytes);
    fs.writeFileSync(modelPath, JSON.stringify({
      format: 'layers-model',
      generatedBy: artifacts.generatedBy,
      convertedBy: null,
      modelTopology: artifacts.modelTopology,
      weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
    }));
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: bytes.length } };
  }));
  return modelPath;
}

/**
 * Loads a tfjs LayersModel from a model.json (and the weight files it names) on disk. Typed
 * structurally; with tfjs' types at hand, `loadLayersModel<tf.LayersModel>(file)`.
 */
export async function loadLayersModel<M extends ModelLike = ModelLike>(modelPath: string): Promise<M> {
  const tf = await loadTf();
  let json: { modelTopology?: object; weightsManifest?: { paths: string[]; weights: tfjs.io.WeightsManifestEntry[] }[] };
  try {
    json = JSON.parse(fs.readFileSync(modelPath, 'utf8'));
  } catch (error) {
    throw new ConversionError(`cannot read the tfjs model ${modelPath}: ${fileProblem(error)}`);
  }
  if (!json.modelTopology) throw new ConversionError(`${modelPath} is not a tfjs layers model (no modelTopology)`);
  const specs: tfjs.io.WeightsManifestEntry[] = [];
  const buffers: Buffer[] = [];
  for (const group of json.weightsManifest ?? []) {
    for (const file of group.paths) buffers.push(Buffer.from(readBytes(path.resolve(path.dirname(modelPath), file), 'weights file')));
    specs.push(...group.weights);
  }
  const joined = Buffer.concat(buffers);
  const weightData = joined.buffer.slice(joined.byteOffset, joined.byteOffset + joined.byteLength) as ArrayBuffer;
  return await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: specs, weightData })) as unknown as M;
}

export const CONVERT_USAGE = `usage: tflite-xs convert MODEL.json -o OUT.tflite [--int8 (--representative FILE.json | --representative-range MIN:MAX)]

Converts a tfjs layers model (model.json + its weight files; Sequential, or functional with one
input and one or more outputs) into a .tflite, float32 by default. Layers: Dense, Conv1D, Conv2D,
DepthwiseConv2D, MaxPooling1D/2D, AveragePooling1D/2D, GlobalAveragePooling1D/2D, Flatten,
Reshape, Dropout (dropped), BatchNormalization (folded into the Conv/Dense before it), ReLU,
Softmax, Activation; activations linear, relu, relu6, sigmoid, tanh, softmax.
--int8 quantizes after training as TFLite does: int8 input, output and activations (calibrated),
int8 weights (per channel for convolutions, per tensor for Dense), int32 bias. Calibration data:
--representative FILE.json, a JSON array of inputs (each a number or a flat or nested array of the
input's size), or --representative-range MIN:MAX, random inputs with every value drawn
independently in the range (real samples are better).`;

/** `tflite-xs convert`: returns the exit code; errors are one line on stderr. */
export async function convertCommand(argv: string[], io: CommandIO = CONSOLE): Promise<number> {
  try {
    const args = parseCommandArgs('tflite-xs convert', argv, {
      output: { type: 'string', short: 'o' }, int8: { type: 'boolean' },
      representative: { type: 'string' }, 'representative-range': { type: 'string' },
    });
    if (args.help) {
      io.log(CONVERT_USAGE);
      return 0;
    }
    const [input] = expectPositionals(args, 'MODEL.json');
    const output = stringOption(args, 'output') ?? '';
    const int8 = flag(args, 'int8');
    const representative = stringOption(args, 'representative') ?? '', range = stringOption(args, 'representative-range') ?? '';
    if (!output) throw new UsageProblem('needs -o OUT.tflite');
    if (!int8 && (representative || range)) throw new UsageProblem('--representative and --representative-range only apply with --int8');
    if (representative && range) throw new UsageProblem('give --representative or --representative-range, not both');
    let representativeRange: [number, number] | undefined;
    if (range) {
      const m = /^(-?[\d.e+-]+):(-?[\d.e+-]+)$/.exec(range);
      const low = m ? Number(m[1]) : NaN, high = m ? Number(m[2]) : NaN;
      if (!(low < high)) throw new UsageProblem(`--representative-range takes MIN:MAX with MIN < MAX, got "${range}"`);
      representativeRange = [low, high];
    }
    if (int8 && !representative && !range) throw new UsageProblem('--int8 needs --representative FILE.json or --representative-range MIN:MAX');
    const model = await loadLayersModel<ModelLike & { dispose(): void }>(input);
    try {
      const graph = readGraph(model);
      let representativeData: Sample[] | undefined;
      if (representative) {
        const parsed = parseJson(readText(representative, 'representative data'), representative);
        if (!Array.isArray(parsed)) throw new ConversionError(`${representative}: expected a JSON array of inputs`);
        representativeData = parsed;
      }
      const bytes = convertGraph(model, graph, {
        quantize: int8 ? 'int8' : 'float32', representativeData, representativeRange, warn: line => io.error(line),
      });
      fs.mkdirSync(path.dirname(path.resolve(output)), { recursive: true });
      writeBytes(output, bytes, 'model');
      io.log(`wrote ${output}: ${bytes.length} bytes, ${int8 ? 'int8' : 'float32'}, ${graph.ops.length} operators, ${graph.outputs.length} output${graph.outputs.length === 1 ? '' : 's'}`);
      for (const line of graph.layers) io.log(`  ${line}`);
    } finally {
      model.dispose();
    }
    return 0;
  } catch (error) {
    io.error(`tflite-xs convert: ${errorLine(error)}`);
    return exitCodeFor(error);
  }
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputProblem(`${file}: not JSON (${(error as Error).message})`);
  }
}

/** `count` values from low to high inclusive. */
export function evenlySpaced(low: number, high: number, count: number): number[] {
  if (count === 1) return [low];
  return Array.from({ length: count }, (_, i) => low + (high - low) * i / (count - 1));
}
