// The converter: a trained tfjs Sequential of Dense layers becomes a .tflite, written with
// writeModel. Each Dense is one FULLY_CONNECTED (activation fused where TFLite can fuse it),
// float32, or int8 by post-training quantization from a representative dataset with the
// conventions of TFLite's converter: activations asymmetric int8 per tensor (range from
// calibration, widened to hold 0, zero point nudged), weights symmetric int8 per tensor in
// [-127, 127], bias int32 at input scale x weight scale; int8 input and output tensors.
// Anything else in the model is refused with an error that names the layer.
import fs from 'node:fs';
import path from 'node:path';
import type * as tfjs from '@tensorflow/tfjs';
import { errorLine, exitCodeFor, expectPositionals, flag, InputProblem, parseCommandArgs, stringOption, UsageProblem } from './args.js';
import { fileProblem, readBytes, readText, writeBytes } from './files.js';
import { importOptional } from './optional-package.js';
import { writeModel, type WriterOperator, type WriterTensor } from './tflite-writer.js';

/** TFLite's fused activations that FULLY_CONNECTED carries, by Keras activation name. */
const FUSED_ACTIVATIONS: Readonly<Record<string, number>> = { linear: 0, relu: 1, relu6: 3 };

/** Where a command's lines go (the console unless a caller collects them). */
export interface CommandIO {
  log(line: string): void;
  error(line: string): void;
}

export const CONSOLE: CommandIO = { log: line => console.log(line), error: line => console.error(line) };

export class ConversionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConversionError';
  }
}

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

/** The part of a tfjs layer the converter reads. */
export interface LayerLike {
  name: string;
  getClassName(): string;
  getConfig(): Record<string, unknown>;
  getWeights(): { shape: number[]; dataSync(): ArrayLike<number> }[];
}

export interface SequentialLike {
  layers: LayerLike[];
  inputs?: { shape: (number | null)[] }[];
}

export interface ConvertOptions {
  /** "float32" (default) or "int8" (full integer post-training quantization). */
  quantize?: 'float32' | 'int8';
  /** Inputs to calibrate int8 ranges with: each sample a row of the model's input size (or a number when it takes one). */
  representativeData?: readonly (number | ArrayLike<number>)[];
  /** Written into the model's description field. */
  description?: string;
}

/** Reads a Sequential's layers as Dense specs, refusing what the converter does not support. */
export function describeSequential(model: SequentialLike): DenseSpec[] {
  if (!model || !Array.isArray(model.layers)) throw new ConversionError('convert: expected a tfjs Sequential (an object with layers)');
  const specs: DenseSpec[] = [];
  for (const layer of model.layers) {
    const kind = layer.getClassName();
    const where = `layer "${layer.name}" (${kind})`;
    if (kind === 'InputLayer') continue;
    if (kind !== 'Dense') throw new ConversionError(`${where} is not supported: the converter handles Dense layers only`);
    const config = layer.getConfig();
    const activation = String(config.activation ?? 'linear');
    if (!(activation in FUSED_ACTIVATIONS)) {
      throw new ConversionError(`${where}: activation "${activation}" is not supported (supported: ${Object.keys(FUSED_ACTIVATIONS).join(', ')})`);
    }
    const weights = layer.getWeights();
    const kernel = weights[0];
    if (!kernel || kernel.shape.length !== 2) throw new ConversionError(`${where}: expected a 2-D kernel, got ${kernel ? `shape [${kernel.shape.join(', ')}]` : 'none'}`);
    const [inputs, units] = kernel.shape;
    if (specs.length && specs[specs.length - 1].units !== inputs) {
      throw new ConversionError(`${where}: takes ${inputs} inputs but the layer before gives ${specs[specs.length - 1].units}`);
    }
    const useBias = config.useBias !== false;
    if (weights.length !== (useBias ? 2 : 1)) throw new ConversionError(`${where}: expected ${useBias ? 'a kernel and a bias' : 'a kernel'}, got ${weights.length} weight tensors`);
    const source = kernel.dataSync();
    const transposed = new Float32Array(units * inputs);
    for (let i = 0; i < inputs; i++) for (let o = 0; o < units; o++) transposed[o * inputs + i] = source[i * units + o];
    specs.push({
      name: layer.name, inputs, units, weights: transposed,
      bias: useBias ? Float32Array.from(weights[1].dataSync()) : null,
      activation: activation as DenseSpec['activation'],
    });
  }
  if (!specs.length) throw new ConversionError('convert: the model has no Dense layers');
  // Layers are checked first, so an unsupported layer is named rather than the input shape it implies.
  const inputShape = model.inputs?.[0]?.shape;
  if (model.inputs && model.inputs.length !== 1) throw new ConversionError(`convert: the model has ${model.inputs.length} inputs; only one is supported`);
  if (inputShape && inputShape.length !== 2) {
    throw new ConversionError(`convert: the model's input has shape [${inputShape.map(d => d ?? 'None').join(', ')}]; only [batch, features] inputs are supported`);
  }
  if (inputShape && inputShape[1] !== specs[0].inputs) {
    throw new ConversionError(`convert: the model's input has ${inputShape[1]} features but layer "${specs[0].name}" takes ${specs[0].inputs}`);
  }
  return specs;
}

/** Converts a tfjs Sequential of Dense layers to .tflite bytes. */
export function convert(model: SequentialLike, options: ConvertOptions = {}): Uint8Array {
  return convertDense(describeSequential(model), options);
}

/** Converts Dense specs (as describeSequential gives them) to .tflite bytes. */
export function convertDense(layers: readonly DenseSpec[], options: ConvertOptions = {}): Uint8Array {
  const mode = options.quantize ?? 'float32';
  if (mode !== 'float32' && mode !== 'int8') throw new ConversionError(`convert: quantize must be "float32" or "int8", got "${mode}"`);
  if (!layers.length) throw new ConversionError('convert: no layers');
  const tensors: WriterTensor[] = [];
  const operators: WriterOperator[] = [];
  const add = (t: WriterTensor) => tensors.push(t) - 1;
  const description = options.description ?? `tflite-xs convert (${mode})`;

  if (mode === 'float32') {
    let current = add({ name: 'input', type: 'float32', shape: [1, layers[0].inputs] });
    const input = current;
    layers.forEach((layer, k) => {
      const weights = add({ name: `${layer.name}/kernel`, type: 'float32', shape: [layer.units, layer.inputs], data: layer.weights });
      const bias = layer.bias ? add({ name: `${layer.name}/bias`, type: 'float32', shape: [layer.units], data: layer.bias }) : -1;
      const output = add({ name: k === layers.length - 1 ? 'output' : `${layer.name}/output`, type: 'float32', shape: [1, layer.units] });
      operators.push(fullyConnected(layer, [current, weights, bias], output, 1));
      current = output;
    });
    return writeModel({ description, subgraphs: [{ name: 'main', tensors, inputs: [input], outputs: [current], operators }] });
  }

  const samples = representativeRows(options.representativeData, layers[0].inputs);
  const ranges = calibrate(layers, samples);
  const inputQ = activationParams(ranges[0]);
  let current = add({ name: 'input', type: 'int8', shape: [1, layers[0].inputs], scale: inputQ.scale, zeroPoint: inputQ.zeroPoint });
  const input = current;
  let currentScale = inputQ.scale;
  layers.forEach((layer, k) => {
    const w = quantizeSymmetric(layer.weights);
    const weights = add({ name: `${layer.name}/kernel`, type: 'int8', shape: [layer.units, layer.inputs], data: w.values, scale: w.scale, zeroPoint: 0 });
    let bias = -1;
    if (layer.bias) {
      const biasScale = currentScale * w.scale;
      const values = new Int32Array(layer.bias.length);
      for (let i = 0; i < values.length; i++) values[i] = clamp(roundHalfAway(layer.bias[i] / biasScale), -2147483647, 2147483647);
      bias = add({ name: `${layer.name}/bias`, type: 'int32', shape: [layer.units], data: values, scale: biasScale, zeroPoint: 0 });
    }
    const outQ = activationParams(ranges[k + 1]);
    const output = add({ name: k === layers.length - 1 ? 'output' : `${layer.name}/output`, type: 'int8', shape: [1, layer.units], scale: outQ.scale, zeroPoint: outQ.zeroPoint });
    // Version 4 is FULLY_CONNECTED with int8 tensors, as TFLite's converter numbers it.
    operators.push(fullyConnected(layer, [current, weights, bias], output, 4));
    current = output;
    currentScale = outQ.scale;
  });
  return writeModel({ description, subgraphs: [{ name: 'main', tensors, inputs: [input], outputs: [current], operators }] });
}

function fullyConnected(layer: DenseSpec, inputs: number[], output: number, version: number): WriterOperator {
  return {
    op: 'FULLY_CONNECTED',
    inputs,
    outputs: [output],
    version,
    options: { fusedActivationFunction: FUSED_ACTIVATIONS[layer.activation], weightsFormat: 0, keepNumDims: false, asymmetricQuantizeInputs: false },
  };
}

function representativeRows(data: ConvertOptions['representativeData'], width: number): Float64Array[] {
  if (!data || !data.length) throw new ConversionError('convert: int8 quantization needs representativeData (sample inputs to calibrate ranges with)');
  return data.map((sample, i) => {
    const row = typeof sample === 'number' ? [sample] : Array.from(sample);
    if (row.length !== width) throw new ConversionError(`convert: representative sample ${i} has ${row.length} values, the model takes ${width}`);
    if (!row.every(Number.isFinite)) throw new ConversionError(`convert: representative sample ${i} has a value that is not a finite number`);
    return Float64Array.from(row);
  });
}

/** The float forward pass over the samples: min and max of the input and of every layer's output. */
export function calibrate(layers: readonly DenseSpec[], samples: readonly Float64Array[]): { min: number; max: number }[] {
  const ranges = [{ min: Infinity, max: -Infinity }, ...layers.map(() => ({ min: Infinity, max: -Infinity }))];
  const track = (range: { min: number; max: number }, values: ArrayLike<number>) => {
    for (let i = 0; i < values.length; i++) {
      if (values[i] < range.min) range.min = values[i];
      if (values[i] > range.max) range.max = values[i];
    }
  };
  for (const sample of samples) {
    let values: Float64Array = sample;
    track(ranges[0], values);
    layers.forEach((layer, k) => {
      const out = new Float64Array(layer.units);
      for (let o = 0; o < layer.units; o++) {
        let sum = layer.bias ? layer.bias[o] : 0;
        for (let i = 0; i < layer.inputs; i++) sum += layer.weights[o * layer.inputs + i] * values[i];
        if (layer.activation === 'relu') sum = Math.max(0, sum);
        else if (layer.activation === 'relu6') sum = Math.min(6, Math.max(0, sum));
        out[o] = sum;
      }
      track(ranges[k + 1], out);
      values = out;
    });
  }
  return ranges;
}

/** TFLite's asymmetric int8 parameters for a calibrated range (GetAsymmetricQuantizationParams). */
export function activationParams(range: { min: number; max: number }): { scale: number; zeroPoint: number } {
  const qmin = -128, qmax = 127;
  const rmin = Math.min(range.min, 0), rmax = Math.max(range.max, 0);
  if (rmin === rmax) return { scale: 1, zeroPoint: 0 };
  const scale = Math.fround((rmax - rmin) / (qmax - qmin));
  const fromMin = qmin - rmin / scale, fromMax = qmax - rmax / scale;
  const errorMin = Math.abs(qmin) + Math.abs(rmin / scale), errorMax = Math.abs(qmax) + Math.abs(rmax / scale);
  const zero = errorMin < errorMax ? fromMin : fromMax;
  const zeroPoint = zero <= qmin ? qmin : zero >= qmax ? qmax : Math.round(zero) + 0; // + 0: no -0
  return { scale, zeroPoint };
}

/** Symmetric per-tensor int8 weights: scale max|w| / 127, values in [-127, 127]. */
export function quantizeSymmetric(values: Float32Array): { values: Int8Array; scale: number } {
  let max = 0;
  for (let i = 0; i < values.length; i++) max = Math.max(max, Math.abs(values[i]));
  const scale = max > 0 ? Math.fround(max / 127) : 1;
  const out = new Int8Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = clamp(roundHalfAway(values[i] / scale), -127, 127);
  return { values: out, scale };
}

function roundHalfAway(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

function clamp(x: number, low: number, high: number): number {
  return x < low ? low : x > high ? high : x;
}

// -- tfjs models on disk (the layers-model format: model.json + weights.bin)

async function loadTf(): Promise<typeof tfjs> {
  const tf = await importOptional<typeof tfjs>('@tensorflow/tfjs', 'the converter (tfjs models)');
  // Prod mode keeps the cpu backend's "install tfjs-node" notice off the console.
  tf.enableProdMode();
  return tf;
}

/** Writes a tfjs LayersModel as model.json + weights.bin in `dir` (no tfjs-node needed). */
export async function saveLayersModel(model: tfjs.LayersModel, dir: string): Promise<string> {
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

/** Loads a tfjs LayersModel from a model.json (and the weight files it names) on disk. */
export async function loadLayersModel(modelPath: string): Promise<tfjs.LayersModel> {
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
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: specs, weightData }));
}

export const CONVERT_USAGE = `usage: tflite-xs convert MODEL.json -o OUT.tflite [--int8 (--representative FILE.json | --representative-range MIN:MAX)]

Converts a tfjs layers model (model.json + its weight files) made of Dense layers into a .tflite:
one FULLY_CONNECTED per Dense (activations linear, relu, relu6 fused), float32 by default.
--int8 quantizes after training: int8 input, output, activations and weights (per tensor), int32
bias, calibrated on --representative (a JSON array of inputs: numbers, or arrays of the input's
size) or on --representative-range (100 evenly spaced values per input feature).`;

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
    const model = await loadLayersModel(input);
    const layers = describeSequential(model as unknown as SequentialLike);
    let representativeData: (number | number[])[] | undefined;
    if (int8) {
      if (representative) {
        const parsed = parseJson(readText(representative, 'representative data'), representative);
        if (!Array.isArray(parsed)) throw new ConversionError(`${representative}: expected a JSON array of inputs`);
        representativeData = parsed;
      } else if (range) {
        const m = /^(-?[\d.e+-]+):(-?[\d.e+-]+)$/.exec(range);
        const low = m ? Number(m[1]) : NaN, high = m ? Number(m[2]) : NaN;
        if (!(low < high)) throw new UsageProblem(`--representative-range takes MIN:MAX with MIN < MAX, got "${range}"`);
        representativeData = evenlySpaced(low, high, 100).map(v => new Array(layers[0].inputs).fill(v));
      } else {
        throw new UsageProblem('--int8 needs --representative FILE.json or --representative-range MIN:MAX');
      }
    }
    const bytes = convertDense(layers, { quantize: int8 ? 'int8' : 'float32', representativeData });
    fs.mkdirSync(path.dirname(path.resolve(output)), { recursive: true });
    writeBytes(output, bytes, 'model');
    const summary = layers.map(l => `${l.name} ${l.inputs}->${l.units}${l.activation === 'linear' ? '' : ` ${l.activation}`}`).join(', ');
    io.log(`wrote ${output}: ${bytes.length} bytes, ${int8 ? 'int8' : 'float32'}, ${layers.length} FULLY_CONNECTED (${summary})`);
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
