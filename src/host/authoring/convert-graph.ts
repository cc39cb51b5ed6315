// Reads a tfjs layers model (Sequential, or a functional model whose layers each take one
// tensor) into the converter's graph: TFLite operators with float weights in TFLite's layouts,
// as TFLite's converter lowers Keras layers. BatchNormalization is folded into the Conv/Dense
// before it, relu/relu6 are fused into the operator before them, Dropout disappears, and 1-D
// convolution and pooling run as their 2-D forms between RESHAPEs. Each tensor says where its
// float values can be observed in tfjs (its probe), which is how int8 calibration finds ranges.
import type { OptionValue } from './tflite-writer.js';

export class ConversionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConversionError';
  }
}

/** The tfjs objects the converter reads (structurally, so no tfjs types leak into ours). */
export interface SymbolicLike { id: number; shape: (number | null)[]; name?: string }
export interface TensorLike { shape: number[]; dataSync(): ArrayLike<number>; dispose?(): void }
export interface LayerLike {
  name: string;
  getClassName(): string;
  getConfig(): Record<string, unknown>;
  getWeights(): TensorLike[];
  readonly input: SymbolicLike | SymbolicLike[];
  readonly output: SymbolicLike | SymbolicLike[];
  apply(x: unknown, kwargs?: Record<string, unknown>): unknown;
}
export interface ModelLike {
  layers: LayerLike[];
  inputs: SymbolicLike[];
  outputs: SymbolicLike[];
}

/**
 * Where a tensor's float values show in tfjs: the values of `tensor` (a layer's output), passed
 * through `layer` (a copy of a Conv/Dense without its activation) when set.
 */
export interface Probe { tensor: SymbolicLike; layer?: LayerLike }

export interface GraphTensor {
  name: string;
  shape: number[];
  probe?: Probe;
  /** Quantization taken from this tensor (RESHAPE and pooling keep their input's, as TFLite requires). */
  tie?: number;
  /** Quantization TFLite fixes for this int8 output (LOGISTIC, TANH, SOFTMAX). */
  fixed?: { scale: number; zeroPoint: number };
}

export interface GraphWeights {
  values: Float32Array;
  shape: number[];
  /** Output-channel axis: per-channel quantization and BatchNormalization folding follow it. */
  channelAxis: number;
}

export interface GraphOp {
  op: 'FULLY_CONNECTED' | 'CONV_2D' | 'DEPTHWISE_CONV_2D' | 'MAX_POOL_2D' | 'AVERAGE_POOL_2D' | 'MEAN' | 'RESHAPE' | 'RELU' | 'RELU6' | 'LOGISTIC' | 'TANH' | 'SOFTMAX';
  /** The tfjs layer it comes from. */
  layer: string;
  input: number;
  output: number;
  weights?: GraphWeights;
  bias?: Float32Array | null;
  /** What the op does, for the command's summary (layers folded in are added). */
  note?: string;
  /** Constant int32 second input: RESHAPE's shape, MEAN's axes. */
  constant?: number[];
  options: Record<string, OptionValue>;
}

export interface Graph {
  tensors: GraphTensor[];
  ops: GraphOp[];
  input: number;
  outputs: number[];
  /** One line per operator, for the command's summary. */
  layers: string[];
}

const FUSED = { linear: 0, relu: 1, relu6: 3 } as const;
/** Activations run as an operator of their own, and the int8 output TFLite fixes for them. */
const ACTIVATION_OPS: Readonly<Record<string, { op: GraphOp['op']; fixed?: { scale: number; zeroPoint: number } }>> = {
  relu: { op: 'RELU' },
  relu6: { op: 'RELU6' },
  sigmoid: { op: 'LOGISTIC', fixed: { scale: 1 / 256, zeroPoint: -128 } },
  tanh: { op: 'TANH', fixed: { scale: 1 / 128, zeroPoint: 0 } },
  softmax: { op: 'SOFTMAX', fixed: { scale: 1 / 256, zeroPoint: -128 } },
};
const ACTIVATION_HINT = 'supported activations: linear, relu, relu6, sigmoid, tanh, softmax';
const LAYER_HINT = 'the converter handles Dense, Conv1D, Conv2D, DepthwiseConv2D, MaxPooling1D/2D, AveragePooling1D/2D, '
  + 'GlobalAveragePooling1D/2D, Flatten, Reshape, Dropout, BatchNormalization, ReLU, Softmax and Activation layers';

const pair = (v: unknown, what: string, where: string): [number, number] => {
  const list = Array.isArray(v) ? v : [v, v];
  if (list.length === 1) return [Number(list[0]), Number(list[0])];
  if (list.length !== 2 || !list.every(Number.isInteger)) throw new ConversionError(`${where}: cannot read ${what} ${JSON.stringify(v)}`);
  return [list[0], list[1]];
};
const single = (v: unknown, what: string, where: string): number => {
  const n = Array.isArray(v) ? (v.length === 1 ? v[0] : NaN) : v;
  if (!Number.isInteger(n)) throw new ConversionError(`${where}: cannot read ${what} ${JSON.stringify(v)}`);
  return n as number;
};

/** Reads a tfjs layers model into the converter's graph, or throws naming the first layer it cannot convert. */
export function readGraph(model: ModelLike): Graph {
  if (!model || !Array.isArray(model.layers) || !Array.isArray(model.inputs) || !Array.isArray(model.outputs)) {
    throw new ConversionError('convert: expected a tfjs LayersModel (tf.sequential() or tf.model())');
  }
  if (model.inputs.length !== 1) throw new ConversionError(`convert: the model has ${model.inputs.length} inputs; only one is supported (hint: feed one tensor and split it inside the model)`);
  const modelInput = model.inputs[0];
  const inputShape = modelInput.shape.slice(1);
  if (inputShape.some(d => !(Number.isInteger(d) && (d as number) > 0))) {
    throw new ConversionError(`convert: the model's input has shape [${modelInput.shape.map(d => d ?? 'None').join(', ')}]; every dimension but the batch must be fixed`);
  }

  const tensors: GraphTensor[] = [];
  const ops: GraphOp[] = [];
  const addTensor = (t: GraphTensor) => tensors.push(t) - 1;
  const input = addTensor({ name: 'input', shape: [1, ...(inputShape as number[])], probe: { tensor: modelInput } });

  // Graph bookkeeping: which tensor a tfjs symbolic tensor became, who reads it, and the op
  // (Conv/Dense) whose output it is, while an activation or BatchNormalization may still fold in.
  const valueOf = new Map<number, number>([[modelInput.id, input]]);
  const foldable = new Map<number, number>();
  const readers = new Map<number, number>();
  const outputIds = new Set(model.outputs.map(o => o.id));
  const layers = model.layers.filter(l => l.getClassName() !== 'InputLayer');
  for (const layer of layers) {
    const where = `layer "${layer.name}" (${layer.getClassName()})`;
    let source: SymbolicLike | SymbolicLike[];
    try {
      source = layer.input;
    } catch {
      throw new ConversionError(`${where} is used more than once; the converter reads each layer once (hint: give each use its own layer)`);
    }
    if (Array.isArray(source)) throw new ConversionError(`${where} takes ${source.length} inputs; the converter handles chains of one-input layers (${LAYER_HINT})`);
    readers.set(source.id, (readers.get(source.id) ?? 0) + 1);
  }

  for (const layer of layers) {
    const kind = layer.getClassName();
    const where = `layer "${layer.name}" (${kind})`;
    const config = layer.getConfig();
    const inSym = layer.input as SymbolicLike;
    const outSym = layer.output as SymbolicLike;
    const from = valueOf.get(inSym.id);
    if (from === undefined) throw new ConversionError(`${where}: its input comes from a layer the converter did not read`);
    const outShape = [1, ...outSym.shape.slice(1)] as number[];
    const inShape = tensors[from].shape;
    // A Conv/Dense output read only by this layer (and not a model output) can take it in.
    const foldTarget = (readers.get(inSym.id) === 1 && !outputIds.has(inSym.id)) ? foldable.get(inSym.id) : undefined;
    const done = (tensor: number, foldOp?: number) => {
      valueOf.set(outSym.id, tensor);
      if (foldOp !== undefined) foldable.set(outSym.id, foldOp);
    };
    const addOp = (op: Omit<GraphOp, 'layer'>, line?: string) => {
      ops.push({ layer: layer.name, ...op, note: line });
      return ops.length - 1;
    };
    const tensorFor = (shape: number[], probe?: Probe, extra: Partial<GraphTensor> = {}, suffix = '') =>
      addTensor({ name: `${layer.name}${suffix}`, shape, probe, ...extra });
    // The activation a Conv/Dense carries: fused, or an operator after it (whose input tfjs never shows: probed through a linear copy).
    const withActivation = (opIndex: number, preShape: number[], reshapeTo: number[] | null) => {
      const activation = String(config.activation ?? 'linear');
      const op = ops[opIndex];
      if (activation in FUSED) {
        op.options.fusedActivationFunction = FUSED[activation as keyof typeof FUSED];
        if (activation !== 'linear') op.note += ` ${activation}`;
        tensors[op.output].probe = { tensor: outSym };
        let out = op.output;
        if (reshapeTo) out = reshape(out, reshapeTo, '');
        return done(out, activation === 'linear' ? opIndex : undefined);
      }
      const act = ACTIVATION_OPS[activation];
      if (!act) throw new ConversionError(`${where}: activation "${activation}" is not supported (${ACTIVATION_HINT})`);
      tensors[op.output].probe = { tensor: inSym, layer: linearCopy(layer) };
      let pre = op.output;
      if (reshapeTo) pre = reshape(pre, reshapeTo, '/linear');
      const out = tensorFor(reshapeTo ?? preShape, { tensor: outSym }, act.fixed ? { fixed: act.fixed } : {});
      addOp({ op: act.op, input: pre, output: out, options: act.op === 'SOFTMAX' ? { beta: 1 } : {} }, `${act.op} (${layer.name})`);
      return done(out);
    };
    const reshape = (t: number, shape: number[], suffix: string) => {
      const out = tensorFor(shape, undefined, { tie: t }, `${suffix}/reshape`);
      addOp({ op: 'RESHAPE', input: t, output: out, constant: shape, options: { newShape: shape } });
      return out;
    };
    const activationLayer = (name: string) => {
      if (foldTarget !== undefined && (name === 'relu' || name === 'relu6') && ops[foldTarget].options.fusedActivationFunction === 0) {
        const op = ops[foldTarget];
        op.options.fusedActivationFunction = FUSED[name];
        tensors[op.output].probe = { tensor: outSym };
        op.note += ` +${name}`;
        return done(valueOf.get(inSym.id)!);
      }
      if (name === 'linear') return done(from);
      const act = ACTIVATION_OPS[name];
      if (!act) throw new ConversionError(`${where}: activation "${name}" is not supported (${ACTIVATION_HINT})`);
      if (act.op === 'SOFTMAX' && config.axis !== undefined && config.axis !== -1 && config.axis !== inShape.length - 1) {
        throw new ConversionError(`${where}: softmax over axis ${config.axis} is not supported (hint: TFLite's SOFTMAX works on the last axis)`);
      }
      const out = tensorFor(inShape, { tensor: outSym }, act.fixed ? { fixed: act.fixed } : {});
      addOp({ op: act.op, input: from, output: out, options: act.op === 'SOFTMAX' ? { beta: 1 } : {} }, `${act.op} (${layer.name})`);
      return done(out);
    };
    const channelsLast = () => {
      if (config.dataFormat !== undefined && config.dataFormat !== 'channelsLast') {
        throw new ConversionError(`${where}: dataFormat "${config.dataFormat}" is not supported (hint: TFLite is channels-last; build the model with dataFormat "channelsLast")`);
      }
    };
    const padding = () => {
      const p = String(config.padding ?? 'valid');
      if (p !== 'valid' && p !== 'same') throw new ConversionError(`${where}: padding "${p}" is not supported (hint: use "valid" or "same")`);
      return p === 'same' ? 'SAME' : 'VALID';
    };
    const weightsOf = (count: number) => {
      const w = layer.getWeights();
      if (w.length !== count) throw new ConversionError(`${where}: expected ${count} weight tensors, got ${w.length}`);
      return w;
    };

    switch (kind) {
      case 'Dense': {
        const useBias = config.useBias !== false;
        const [kernel, bias] = weightsOf(useBias ? 2 : 1);
        const [inputs, units] = kernel.shape;
        const src = kernel.dataSync();
        const values = new Float32Array(units * inputs);
        for (let i = 0; i < inputs; i++) for (let o = 0; o < units; o++) values[o * inputs + i] = src[i * units + o];
        const out = tensorFor(outShape);
        const op = addOp({
          op: 'FULLY_CONNECTED', input: from, output: out,
          weights: { values, shape: [units, inputs], channelAxis: 0 }, bias: bias ? Float32Array.from(bias.dataSync()) : null,
          options: { fusedActivationFunction: 0, weightsFormat: 0, keepNumDims: inShape.length > 2, asymmetricQuantizeInputs: false },
        }, `FULLY_CONNECTED ${inputs}->${units} (${layer.name})`);
        withActivation(op, outShape, null);
        break;
      }
      case 'Conv2D': case 'Conv1D': {
        channelsLast();
        const oneD = kind === 'Conv1D';
        if (oneD && config.padding === 'causal') throw new ConversionError(`${where}: padding "causal" is not supported (hint: use "valid" or "same", or pad the input yourself)`);
        if (config.groups !== undefined && config.groups !== 1) throw new ConversionError(`${where}: grouped convolution is not supported`);
        const useBias = config.useBias !== false;
        const [kernel, bias] = weightsOf(useBias ? 2 : 1);
        const [kh, kw, cin, cout] = oneD ? [1, ...kernel.shape] : kernel.shape;
        const [sh, sw] = oneD ? [1, single(config.strides, 'strides', where)] : pair(config.strides, 'strides', where);
        const [dh, dw] = oneD ? [1, single(config.dilationRate ?? 1, 'dilationRate', where)] : pair(config.dilationRate ?? 1, 'dilationRate', where);
        const src = kernel.dataSync();
        const values = new Float32Array(src.length);
        // tfjs keeps [kh, kw, in, out]; TFLite wants [out, kh, kw, in].
        const spatial = kh * kw * cin;
        for (let s = 0; s < spatial; s++) for (let o = 0; o < cout; o++) values[o * spatial + s] = src[s * cout + o];
        let x = from;
        if (oneD) x = reshape(from, [1, 1, inShape[1], inShape[2]], '/expand');
        const convShape = oneD ? [1, 1, outShape[1], outShape[2]] : outShape;
        const out = tensorFor(convShape, undefined, {}, oneD ? '/conv2d' : '');
        const op = addOp({
          op: 'CONV_2D', input: x, output: out,
          weights: { values, shape: [cout, kh, kw, cin], channelAxis: 0 }, bias: bias ? Float32Array.from(bias.dataSync()) : null,
          options: { padding: padding(), strideW: sw, strideH: sh, fusedActivationFunction: 0, dilationWFactor: dw, dilationHFactor: dh },
        }, `CONV_2D ${kh}x${kw} ${cin}->${cout}${oneD ? ' as Conv1D' : ''} (${layer.name})`);
        withActivation(op, convShape, oneD ? outShape : null);
        break;
      }
      case 'DepthwiseConv2D': {
        channelsLast();
        const useBias = config.useBias !== false;
        const [kernel, bias] = weightsOf(useBias ? 2 : 1);
        const [kh, kw, cin, multiplier] = kernel.shape;
        const [sh, sw] = pair(config.strides, 'strides', where);
        const [dh, dw] = pair(config.dilationRate ?? 1, 'dilationRate', where);
        const out = tensorFor(outShape);
        // [kh, kw, in, multiplier] read row-major is TFLite's [1, kh, kw, in * multiplier].
        const op = addOp({
          op: 'DEPTHWISE_CONV_2D', input: from, output: out,
          weights: { values: Float32Array.from(kernel.dataSync()), shape: [1, kh, kw, cin * multiplier], channelAxis: 3 },
          bias: bias ? Float32Array.from(bias.dataSync()) : null,
          options: { padding: padding(), strideW: sw, strideH: sh, depthMultiplier: multiplier, fusedActivationFunction: 0, dilationWFactor: dw, dilationHFactor: dh },
        }, `DEPTHWISE_CONV_2D ${kh}x${kw} x${multiplier} (${layer.name})`);
        withActivation(op, outShape, null);
        break;
      }
      case 'MaxPooling2D': case 'AveragePooling2D': case 'MaxPooling1D': case 'AveragePooling1D': {
        channelsLast();
        const oneD = kind.endsWith('1D');
        const op = kind.startsWith('Max') ? 'MAX_POOL_2D' : 'AVERAGE_POOL_2D';
        const [fh, fw] = oneD ? [1, single(config.poolSize, 'poolSize', where)] : pair(config.poolSize, 'poolSize', where);
        const [sh, sw] = oneD ? [1, single(config.strides ?? config.poolSize, 'strides', where)] : pair(config.strides ?? config.poolSize, 'strides', where);
        const x = oneD ? reshape(from, [1, 1, inShape[1], inShape[2]], '/expand') : from;
        const poolShape = oneD ? [1, 1, outShape[1], outShape[2]] : outShape;
        let out = tensorFor(poolShape, undefined, { tie: x }, oneD ? '/pool2d' : '');
        addOp({
          op, input: x, output: out,
          options: { padding: padding(), strideW: sw, strideH: sh, filterWidth: fw, filterHeight: fh, fusedActivationFunction: 0 },
        }, `${op} ${fh}x${fw}${oneD ? ` as ${kind}` : ''} (${layer.name})`);
        if (oneD) out = reshape(out, outShape, '');
        done(out);
        break;
      }
      case 'GlobalAveragePooling2D': case 'GlobalAveragePooling1D': {
        channelsLast();
        if (config.keepdims === true || config.keepDims === true) throw new ConversionError(`${where}: keepdims is not supported`);
        const axes = kind.endsWith('2D') ? [1, 2] : [1];
        const out = tensorFor(outShape, { tensor: outSym });
        addOp({ op: 'MEAN', input: from, output: out, constant: axes, options: { keepDims: false } }, `MEAN over [${axes}] (${layer.name})`);
        done(out);
        break;
      }
      case 'Flatten': case 'Reshape': {
        if (kind === 'Flatten') channelsLast();
        const out = tensorFor(outShape, undefined, { tie: from });
        addOp({ op: 'RESHAPE', input: from, output: out, constant: outShape, options: { newShape: outShape } }, `RESHAPE to [${outShape}] (${layer.name})`);
        done(out);
        break;
      }
      case 'Dropout': case 'SpatialDropout1D': case 'SpatialDropout2D': case 'GaussianNoise': case 'GaussianDropout': case 'AlphaDropout':
        // Training-only: the identity at inference.
        done(from, foldTarget);
        break;
      case 'BatchNormalization': {
        const axis = Number(config.axis ?? -1);
        if (axis !== -1 && axis !== inShape.length - 1) throw new ConversionError(`${where}: normalizes axis ${axis}; only the last (channel) axis folds into a convolution`);
        if (foldTarget === undefined || ops[foldTarget].options.fusedActivationFunction !== 0) {
          throw new ConversionError(`${where} cannot be folded: it must directly follow a Dense, Conv1D, Conv2D or DepthwiseConv2D without activation whose output nothing else reads (hint: put the activation after BatchNormalization)`);
        }
        foldBatchNorm(ops[foldTarget], layer, config, where);
        const op = ops[foldTarget];
        tensors[op.output].probe = { tensor: outSym };
        op.note += ` +${layer.name}`;
        done(valueOf.get(inSym.id)!, foldTarget);
        break;
      }
      case 'ReLU': {
        const max = config.maxValue;
        if ((config.negativeSlope ?? 0) !== 0 || (config.threshold ?? 0) !== 0) throw new ConversionError(`${where}: only plain ReLU converts (negativeSlope and threshold 0)`);
        if (max !== undefined && max !== null && max !== 6) throw new ConversionError(`${where}: maxValue ${max} is not supported (hint: 6 makes it relu6)`);
        activationLayer(max === 6 ? 'relu6' : 'relu');
        break;
      }
      case 'Softmax':
        activationLayer('softmax');
        break;
      case 'Activation':
        activationLayer(String(config.activation));
        break;
      default:
        throw new ConversionError(`${where} is not supported: ${LAYER_HINT}`);
    }
  }

  const outputs = model.outputs.map(o => {
    const t = valueOf.get(o.id);
    if (t === undefined) throw new ConversionError(`convert: output "${o.name ?? o.id}" comes from no layer the converter read`);
    if (t === input) throw new ConversionError('convert: a model output is the input itself; there is nothing to convert');
    return t;
  });
  if (!ops.length) throw new ConversionError('convert: the model has no layers to convert');
  return { tensors, ops, input, outputs, layers: ops.filter(o => o.note).map(o => o.note!) };
}

/** Folds inference BatchNormalization (y = (x - mean) * gamma / sqrt(var + eps) + beta) into weights and bias per output channel. */
function foldBatchNorm(op: GraphOp, layer: LayerLike, config: Record<string, unknown>, where: string): void {
  const scale = config.scale !== false, center = config.center !== false;
  const w = layer.getWeights();
  const expected = 2 + (scale ? 1 : 0) + (center ? 1 : 0);
  if (w.length !== expected) throw new ConversionError(`${where}: expected ${expected} weight tensors, got ${w.length}`);
  let k = 0;
  const gamma = scale ? w[k++].dataSync() : null;
  const beta = center ? w[k++].dataSync() : null;
  const mean = w[k++].dataSync(), variance = w[k++].dataSync();
  const eps = Number(config.epsilon ?? 1e-3);
  const weights = op.weights!;
  const channels = weights.shape[weights.channelAxis];
  if (mean.length !== channels) throw new ConversionError(`${where}: normalizes ${mean.length} channels but "${op.layer}" gives ${channels}`);
  const factor = new Float64Array(channels);
  for (let c = 0; c < channels; c++) factor[c] = (gamma ? gamma[c] : 1) / Math.sqrt(variance[c] + eps);
  // Channel of flat index i: the channel axis is either the first or the last of the weights.
  const inner = weights.shape.slice(weights.channelAxis + 1).reduce((a, b) => a * b, 1);
  const values = weights.values;
  for (let i = 0; i < values.length; i++) values[i] *= factor[Math.floor(i / inner) % channels];
  const bias = new Float32Array(channels);
  for (let c = 0; c < channels; c++) bias[c] = ((op.bias ? op.bias[c] : 0) - mean[c]) * factor[c] + (beta ? beta[c] : 0);
  op.bias = bias;
}

/** A copy of a Conv/Dense layer with the same weights and no activation: what its output was before the activation. */
function linearCopy(layer: LayerLike): LayerLike {
  const Ctor = layer.constructor as new (config: Record<string, unknown>) => LayerLike & { build(shape: (number | null)[]): void; setWeights(w: TensorLike[]): void };
  const copy = new Ctor({ ...layer.getConfig(), name: `${layer.name}_linear_probe`, activation: 'linear' });
  copy.build((layer.input as SymbolicLike).shape);
  copy.setWeights(layer.getWeights());
  return copy;
}
