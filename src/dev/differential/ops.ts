// Random single-op models, one generator per op. Each picks a type the op supports in TFLM,
// shapes, options and quantization a converter could produce, and scales outputs to the
// expected value range so that results are not all saturated.
import type { WriterTensor } from '../../host/authoring/tflite-writer.js';
import {
  act, CaseBuilder, count, outputQuant, perChannelWeights, quantFor, quantizedBias, quantizeValues, randomData, randomRange,
  typedArrayFor, type DataArray, type DiffCase, type QuantParams,
} from './build.js';
import type { Rng } from './rng.js';
import { MATH_GENERATORS } from './ops-math.js';
import { SHAPE_GENERATORS } from './ops-shape.js';
import { CUSTOM_GENERATORS } from './ops-custom.js';

type Generator = (rng: Rng) => DiffCase;

const ACTIVATIONS = [0, 0, 1, 3, 2];
const NO_INT64 = 'reference TFLite (tfjs-tflite) cannot expose int64 tensors';
const ACT_NAMES = ['NONE', 'RELU', 'RELU_N1_TO_1', 'RELU6'];

function finish(op: string, type: string, params: Record<string, unknown>, b: CaseBuilder, extra: Partial<DiffCase> = {}): DiffCase {
  return { op, type, params, model: b.model(`differential ${op} ${type}`), inputs: b.inputData, steps: 1, lsbTolerance: 0, ...extra };
}

function randomShape(rng: Rng, rank: number, maxDim = 6): number[] {
  return Array.from({ length: rank }, () => rng.int(1, maxDim));
}

/** An activation input of `type` over a random real range of about ±magnitude. */
function activationInput(b: CaseBuilder, rng: Rng, type: string, shape: number[], magnitude = 4, edges = true): { index: number; q: QuantParams; range: [number, number] } {
  const range = randomRange(rng, magnitude);
  const q = quantFor(type, range[0], range[1]);
  const data = type === 'float32' ? randomData(rng, type, count(shape), range[0], range[1]) : randomData(rng, type, count(shape));
  // Sometimes only extreme values: the ends of the range and the zero point, where
  // saturation and rounding at the limits show.
  if (edges && type !== 'float32' && rng.bool(0.12)) {
    const lo = type === 'int8' ? -128 : type === 'uint8' ? 0 : -32768, hi = type === 'int8' ? 127 : type === 'uint8' ? 255 : 32767;
    const edges = [lo, lo + 1, hi, hi - 1, q.zeroPoint, Math.min(hi, q.zeroPoint + 1), Math.max(lo, q.zeroPoint - 1)];
    for (let i = 0; i < data.length; i++) data[i] = rng.pick(edges);
  }
  return { index: b.input(act(type, shape, q), data), q, range };
}

const dataType = (type: string) => (type === 'int16x8' ? 'int16' : type);

// ---- convolution and pooling

function convLike(kind: 'CONV_2D' | 'DEPTHWISE_CONV_2D'): Generator {
  return rng => {
    const type = rng.pick(['float32', 'int8', 'int8', 'int16x8']);
    const t = dataType(type);
    const n = rng.int(1, 2), h = rng.int(1, 9), w = rng.int(1, 9), cin = rng.int(1, 6);
    let kh = rng.int(1, 4), kw = rng.int(1, 4);
    const strideH = rng.int(1, 3), strideW = rng.int(1, 3);
    let dilationH = rng.pick([1, 1, 2]), dilationW = rng.pick([1, 1, 2]);
    const padding = rng.pick(['SAME', 'VALID']);
    if (padding === 'VALID') {
      if ((kh - 1) * dilationH + 1 > h) { dilationH = 1; kh = Math.min(kh, h); }
      if ((kw - 1) * dilationW + 1 > w) { dilationW = 1; kw = Math.min(kw, w); }
    }
    const outSize = (size: number, k: number, s: number, d: number) => padding === 'SAME' ? Math.ceil(size / s) : Math.floor((size - ((k - 1) * d + 1)) / s) + 1;
    const oh = outSize(h, kh, strideH, dilationH), ow = outSize(w, kw, strideW, dilationW);
    const multiplier = kind === 'DEPTHWISE_CONV_2D' ? rng.int(1, 3) : 1;
    const cout = kind === 'DEPTHWISE_CONV_2D' ? cin * multiplier : rng.int(1, 8);
    const activation = rng.pick(ACTIVATIONS);
    // Reference TFLite requires a bias for quantized convolutions; converters always write one.
    const withBias = type !== 'float32' || rng.bool(0.9);
    const perChannel = rng.bool(0.85);
    const b = new CaseBuilder();
    const input = activationInput(b, rng, t, [n, h, w, cin], rng.logFloat(0.5, 8));
    const filterShape = kind === 'CONV_2D' ? [cout, kh, kw, cin] : [1, kh, kw, cout];
    const channelAxis = kind === 'CONV_2D' ? 0 : 3;
    const depth = kind === 'CONV_2D' ? kh * kw * cin : kh * kw;
    const wMagnitude = rng.logFloat(0.05, 2);
    const xMagnitude = Math.max(-input.range[0], input.range[1]);
    const biasMagnitude = xMagnitude * wMagnitude * Math.sqrt(depth) * 0.3;
    const realBias = Float32Array.from({ length: cout }, () => rng.float(-biasMagnitude, biasMagnitude));
    const spread = 2 * Math.sqrt(depth) * xMagnitude * 0.6 * wMagnitude * 0.5 + biasMagnitude;
    let filter: number, bias = -1, output: number;
    if (t === 'float32') {
      filter = b.constant(act('float32', filterShape), randomData(rng, 'float32', count(filterShape), -wMagnitude, wMagnitude));
      if (withBias) bias = b.constant(act('float32', [cout]), realBias);
      output = b.output(act('float32', [n, oh, ow, cout]));
    } else {
      const weights = perChannelWeights(rng, filterShape, channelAxis, wMagnitude, perChannel);
      filter = b.constant({ type: 'int8', shape: filterShape, scale: weights.scales, zeroPoint: 0, quantizedDimension: perChannel ? channelAxis : 0 }, weights.data);
      if (withBias) {
        const q = quantizedBias(realBias, input.q.scale, weights.scales, t === 'int16');
        bias = b.constant({ type: t === 'int16' ? 'int64' : 'int32', shape: [cout], scale: q.scales, zeroPoint: 0, quantizedDimension: 0 }, q.data);
      }
      output = b.output(act(t, [n, oh, ow, cout], outputQuant(t, 0, spread * rng.float(0.5, 1.5), activation)));
    }
    const options: Record<string, number | string> = { padding, strideW, strideH, fusedActivationFunction: activation, dilationWFactor: dilationW, dilationHFactor: dilationH };
    if (kind === 'DEPTHWISE_CONV_2D') options.depthMultiplier = multiplier;
    b.op({ op: kind, inputs: [input.index, filter, bias], outputs: [output], options, version: kind === 'DEPTHWISE_CONV_2D' ? 2 : 1 });
    return finish(kind, type, { input: [n, h, w, cin], filter: filterShape, padding, stride: [strideH, strideW], dilation: [dilationH, dilationW], activation: ACT_NAMES[activation], withBias, perChannel }, b,
      withBias ? {} : { skipReference: 'reference TFLite requires a convolution bias; TFLM does not' });
  };
}

const transposeConv: Generator = rng => {
  const type = rng.pick(['float32', 'int8', 'int8', 'int16x8']);
  const t = dataType(type);
  const n = rng.int(1, 2), h = rng.int(1, 6), w = rng.int(1, 6), cin = rng.int(1, 5), cout = rng.int(1, 6);
  const kh = rng.int(1, 4), kw = rng.int(1, 4);
  const strideH = rng.int(1, 3), strideW = rng.int(1, 3);
  const padding = rng.pick(['SAME', 'VALID']);
  const oh = padding === 'SAME' ? h * strideH : (h - 1) * strideH + kh;
  const ow = padding === 'SAME' ? w * strideW : (w - 1) * strideW + kw;
  const withBias = type === 'int16x8' || rng.bool(0.7);
  const b = new CaseBuilder();
  const outputShape = b.constant({ type: 'int32', shape: [4] }, Int32Array.of(n, oh, ow, cout));
  const filterShape = [cout, kh, kw, cin];
  const wMagnitude = rng.logFloat(0.05, 2);
  let filter: number;
  let weightScales: number[] = [1];
  if (t === 'float32') {
    filter = b.constant(act('float32', filterShape), randomData(rng, 'float32', count(filterShape), -wMagnitude, wMagnitude));
  } else {
    const weights = perChannelWeights(rng, filterShape, 0, wMagnitude);
    weightScales = weights.scales;
    filter = b.constant({ type: 'int8', shape: filterShape, scale: weights.scales, zeroPoint: 0, quantizedDimension: 0 }, weights.data);
  }
  const input = activationInput(b, rng, t, [n, h, w, cin], rng.logFloat(0.5, 8));
  const xMagnitude = Math.max(-input.range[0], input.range[1]);
  const depth = Math.ceil(kh / strideH) * Math.ceil(kw / strideW) * cin;
  const biasMagnitude = xMagnitude * wMagnitude * Math.sqrt(depth) * 0.3;
  const realBias = Float32Array.from({ length: cout }, () => rng.float(-biasMagnitude, biasMagnitude));
  let bias = -1;
  if (withBias) {
    if (t === 'float32') bias = b.constant(act('float32', [cout]), realBias);
    else {
      const q = quantizedBias(realBias, input.q.scale, weightScales, t === 'int16');
      bias = b.constant({ type: t === 'int16' ? 'int64' : 'int32', shape: [cout], scale: q.scales, zeroPoint: 0, quantizedDimension: 0 }, q.data);
    }
  }
  const spread = 2 * Math.sqrt(depth) * xMagnitude * 0.6 * wMagnitude * 0.5 + biasMagnitude;
  const output = b.output(act(t, [n, oh, ow, cout], outputQuant(t, 0, spread * rng.float(0.5, 1.5))));
  const inputs = [outputShape, filter, input.index];
  if (withBias) inputs.push(bias);
  b.op({ op: 'TRANSPOSE_CONV', inputs, outputs: [output], options: { padding, strideW, strideH }, version: t === 'float32' ? 1 : 3 });
  return finish('TRANSPOSE_CONV', type, { input: [n, h, w, cin], filter: filterShape, padding, stride: [strideH, strideW], withBias }, b,
    t === 'int16' ? { skipReference: 'reference TFLite disagrees with TFLM on int16 TRANSPOSE_CONV completely (fixtures README)' } : {});
};

function pool(kind: 'AVERAGE_POOL_2D' | 'MAX_POOL_2D'): Generator {
  return rng => {
    const type = rng.pick(['float32', 'int8', 'int8', 'int16']);
    const n = rng.int(1, 2), h = rng.int(1, 10), w = rng.int(1, 10), c = rng.int(1, 6);
    const padding = rng.pick(['SAME', 'VALID']);
    let filterHeight = rng.int(1, 4), filterWidth = rng.int(1, 4);
    if (padding === 'VALID') { filterHeight = Math.min(filterHeight, h); filterWidth = Math.min(filterWidth, w); }
    const strideH = rng.int(1, 3), strideW = rng.int(1, 3);
    const oh = padding === 'SAME' ? Math.ceil(h / strideH) : Math.floor((h - filterHeight) / strideH) + 1;
    const ow = padding === 'SAME' ? Math.ceil(w / strideW) : Math.floor((w - filterWidth) / strideW) + 1;
    const activation = rng.pick([0, 0, 1, 3]);
    const b = new CaseBuilder();
    const input = activationInput(b, rng, type, [n, h, w, c]);
    // TFLM's quantized pooling keeps the input's scale and zero point on the output.
    const output = b.output(act(type, [n, oh, ow, c], input.q));
    b.op({ op: kind, inputs: [input.index], outputs: [output], options: { padding, strideW, strideH, filterWidth, filterHeight, fusedActivationFunction: activation } });
    return finish(kind, type, { input: [n, h, w, c], filter: [filterHeight, filterWidth], padding, stride: [strideH, strideW], activation: ACT_NAMES[activation] }, b);
  };
}

const fullyConnected: Generator = rng => {
  const type = rng.pick(['float32', 'int8', 'int8', 'int16x8']);
  const t = dataType(type);
  const depth = rng.int(1, 24), units = rng.int(1, 12);
  const batchShape = rng.pick([[1], [rng.int(1, 4)], [rng.int(1, 3), rng.int(1, 3)]]);
  const activation = rng.pick([0, 0, 1, 3]);
  const withBias = type === 'int16x8' || rng.bool(0.85);
  const keepNumDims = batchShape.length > 1 && rng.bool(0.3);
  const perChannel = type !== 'float32' && units > 1 && rng.bool(0.3);
  const b = new CaseBuilder();
  const input = activationInput(b, rng, t, [...batchShape, depth], rng.logFloat(0.5, 8));
  const wMagnitude = rng.logFloat(0.05, 2);
  const xMagnitude = Math.max(-input.range[0], input.range[1]);
  const biasMagnitude = xMagnitude * wMagnitude * Math.sqrt(depth) * 0.3;
  const realBias = Float32Array.from({ length: units }, () => rng.float(-biasMagnitude, biasMagnitude));
  const spread = 2 * Math.sqrt(depth) * xMagnitude * 0.6 * wMagnitude * 0.5 + biasMagnitude;
  const batches = count(batchShape);
  const outShape = keepNumDims ? [...batchShape, units] : [batches, units];
  let weights: number, bias = -1, output: number;
  if (t === 'float32') {
    weights = b.constant(act('float32', [units, depth]), randomData(rng, 'float32', units * depth, -wMagnitude, wMagnitude));
    if (withBias) bias = b.constant(act('float32', [units]), realBias);
    output = b.output(act('float32', outShape));
  } else {
    const w = perChannelWeights(rng, [units, depth], 0, wMagnitude, perChannel);
    weights = b.constant({ type: 'int8', shape: [units, depth], scale: w.scales, zeroPoint: 0, quantizedDimension: 0 }, w.data);
    if (withBias) {
      const q = quantizedBias(realBias, input.q.scale, w.scales, t === 'int16');
      bias = b.constant({ type: t === 'int16' ? 'int64' : 'int32', shape: [units], scale: perChannel ? q.scales : q.scales[0], zeroPoint: 0 }, q.data);
    }
    output = b.output(act(t, outShape, outputQuant(t, 0, spread * rng.float(0.5, 1.5), activation)));
  }
  b.op({ op: 'FULLY_CONNECTED', inputs: [input.index, weights, bias], outputs: [output], options: { fusedActivationFunction: activation, keepNumDims } });
  return finish('FULLY_CONNECTED', type, { input: [...batchShape, depth], units, activation: ACT_NAMES[activation], withBias, keepNumDims, perChannel }, b);
};

// ---- elementwise binary ops with broadcasting

/** Two input shapes and their broadcast output: equal, scalar, size-1 dims, or lower rank. */
function broadcastShapes(rng: Rng): { a: number[]; b: number[]; out: number[]; pattern: string } {
  const rank = rng.bool(0.1) ? rng.int(5, 6) : rng.int(1, 4);
  const base = randomShape(rng, rank, rank > 4 ? 3 : 5);
  // Reference TFLite aborts on most 5D and 6D broadcasts: above 4D only equal shapes.
  const pattern = rank > 4 ? 'same' : rng.pick(['same', 'same', 'scalar', 'ones', 'lower-rank', 'both']);
  let a = base.slice(), other = base.slice();
  if (pattern === 'scalar') other = rng.bool() ? [] : [1];
  else if (pattern === 'ones') other = base.map(d => (rng.bool(0.5) ? 1 : d));
  else if (pattern === 'lower-rank') other = base.slice(rng.int(1, rank));
  else if (pattern === 'both') {
    a = base.map(d => (rng.bool(0.3) ? 1 : d));
    other = base.map((d, i) => (a[i] !== 1 && rng.bool(0.4) ? 1 : d));
  }
  if (rng.bool()) [a, other] = [other, a];
  const r = Math.max(a.length, other.length);
  const out: number[] = [];
  for (let i = 0; i < r; i++) {
    const da = a[a.length - r + i] ?? 1, db = other[other.length - r + i] ?? 1;
    out.push(Math.max(da, db));
  }
  return { a, b: other, out, pattern };
}

function binary(op: string, types: string[], opts: { activation?: boolean; sameQuant?: boolean; potScale?: boolean } = {}): Generator {
  return rng => {
    const type = rng.pick(types);
    const shapes = broadcastShapes(rng);
    const activation = opts.activation ? rng.pick(ACTIVATIONS) : 0;
    const b = new CaseBuilder();
    const magA = rng.logFloat(0.3, 8), magB = op === 'DIV' ? 1 : rng.logFloat(0.3, 8);
    let x: { index: number; q: QuantParams; range: [number, number] };
    let y: { index: number; q: QuantParams; range: [number, number] };
    if (type === 'int32') {
      x = { index: b.input(act('int32', shapes.a), randomData(rng, 'int32', count(shapes.a), -1000, 1000)), q: { scale: 1, zeroPoint: 0 }, range: [-1000, 1000] };
      y = { index: b.input(act('int32', shapes.b), randomData(rng, 'int32', count(shapes.b), -1000, 1000)), q: { scale: 1, zeroPoint: 0 }, range: [-1000, 1000] };
    } else if (opts.sameQuant) {
      x = activationInput(b, rng, type, shapes.a, magA);
      y = { index: b.input(act(type, shapes.b, x.q), type === 'float32' ? randomData(rng, type, count(shapes.b), x.range[0], x.range[1]) : randomData(rng, type, count(shapes.b))), q: x.q, range: x.range };
    } else if (op === 'DIV') {
      x = activationInput(b, rng, type, shapes.a, magA);
      // Divisors kept away from zero: the quotient of a near-zero divisor is noise in float.
      const divisor = Float32Array.from({ length: count(shapes.b) }, () => (rng.bool() ? 1 : -1) * rng.float(0.25, 4));
      y = { index: b.input(act(type, shapes.b), divisor), q: { scale: 1, zeroPoint: 0 }, range: [-4, 4] };
    } else {
      x = activationInput(b, rng, type, shapes.a, magA);
      y = activationInput(b, rng, type, shapes.b, magB);
    }
    const ma = Math.max(-x.range[0], x.range[1]), mb = Math.max(-y.range[0], y.range[1]);
    let outQ: QuantParams | undefined;
    if (type === 'int8' || type === 'int16') {
      if (opts.sameQuant) outQ = x.q;
      else if (op === 'ADD') outQ = outputQuant(type, 0, (ma + mb) * rng.float(0.5, 1.1), activation);
      else if (op === 'SUB') outQ = outputQuant(type, 0, (ma + mb) * rng.float(0.5, 1.1), activation);
      else if (op === 'MUL') outQ = outputQuant(type, 0, ma * mb * rng.float(0.3, 1.1), activation);
      else if (op === 'SQUARED_DIFFERENCE') outQ = quantFor(type, 0, (ma + mb) * (ma + mb) * rng.float(0.2, 0.8));
    }
    const output = b.output(act(type, shapes.out, outQ));
    const options: Record<string, number | boolean> = {};
    if (opts.activation) options.fusedActivationFunction = activation;
    // The converter sets pot_scale_int16 = false for general int16 scales; TFLM ignores it.
    if (opts.potScale && type === 'int16') options.potScaleInt16 = false;
    b.op({ op, inputs: [x.index, y.index], outputs: [output], options });
    return finish(op, type, { a: shapes.a, b: shapes.b, pattern: shapes.pattern, activation: ACT_NAMES[activation] }, b);
  };
}

// ---- data movement

function withQuant(rng: Rng, type: string): QuantParams | undefined {
  if (type === 'int8' || type === 'int16' || type === 'uint8') return quantFor(type, ...randomRange(rng, 3));
  return undefined;
}

function dataInput(b: CaseBuilder, rng: Rng, type: string, shape: number[], q?: QuantParams): number {
  const data = type === 'int32' ? randomData(rng, type, count(shape), -100000, 100000) : randomData(rng, type, count(shape), -5, 5);
  return b.input(act(type, shape, q), data);
}

const MOVE_TYPES = ['float32', 'int8', 'int8', 'int16', 'int32'];

function pad(op: 'PAD' | 'PADV2'): Generator {
  return rng => {
    const type = rng.pick(MOVE_TYPES);
    const rank = rng.int(1, 4);
    const shape = randomShape(rng, rank, 5);
    const paddings = shape.flatMap(() => [rng.int(0, 3), rng.int(0, 3)]);
    const out = shape.map((d, i) => d + paddings[2 * i] + paddings[2 * i + 1]);
    const q = withQuant(rng, type);
    const b = new CaseBuilder();
    const input = dataInput(b, rng, type, shape, q);
    const padTensor = b.constant({ type: 'int32', shape: [rank, 2] }, Int32Array.from(paddings));
    const inputs = [input, padTensor];
    let value: number | undefined;
    if (op === 'PADV2') {
      value = type === 'float32' ? rng.float(-3, 3) : type === 'int32' ? rng.int(-50, 50) : rng.int(type === 'int16' ? -30000 : -128, type === 'int16' ? 30000 : 127);
      const v = typedArrayFor(type, 1);
      v[0] = value;
      inputs.push(b.constant(act(type, rng.bool() ? [] : [1], q), v));
    }
    const output = b.output(act(type, out, q));
    b.op({ op, inputs, outputs: [output] });
    return finish(op, type, { shape, paddings, value }, b);
  };
}

const stridedSlice: Generator = rng => {
  const type = rng.pick(MOVE_TYPES);
  const rank = rng.int(1, 4);
  const shape = randomShape(rng, rank, 7);
  const begin: number[] = [], end: number[] = [], strides: number[] = [];
  let beginMask = 0, endMask = 0, shrinkAxisMask = 0;
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const dim = shape[i];
    const stride = rng.pick([1, 1, 1, 2, 3, -1, -2]);
    const shrink = rng.bool(0.15);
    let b0 = rng.int(-dim, dim - 1);
    let e0 = rng.int(-dim, dim);
    if (rng.bool(0.2)) beginMask |= 1 << i;
    if (rng.bool(0.2)) endMask |= 1 << i;
    if (shrink) {
      shrinkAxisMask |= 1 << i;
      beginMask &= ~(1 << i);
      endMask &= ~(1 << i);
      e0 = b0 + 1 === 0 ? dim : b0 + 1;
      begin.push(b0); end.push(e0); strides.push(1);
      continue;
    }
    begin.push(b0); end.push(e0); strides.push(stride);
    // TFLite's semantics: negative indices count from the end, then clamp to the valid range
    // for the stride's direction; a mask takes the whole extent in that direction.
    const norm = (x: number) => (x < 0 ? x + dim : x);
    let s = beginMask & (1 << i) ? (stride > 0 ? 0 : dim - 1) : norm(b0);
    let e = endMask & (1 << i) ? (stride > 0 ? dim : -1) : norm(e0);
    if (stride > 0) { s = Math.max(0, Math.min(dim, s)); e = Math.max(0, Math.min(dim, e)); }
    else { s = Math.max(-1, Math.min(dim - 1, s)); e = Math.max(-1, Math.min(dim - 1, e)); }
    const size = stride > 0 ? Math.ceil((e - s) / stride) : Math.ceil((s - e) / -stride);
    out.push(Math.max(0, size));
    void b0;
  }
  if (out.some(d => d === 0)) return stridedSlice(rng);
  const q = withQuant(rng, type);
  const b = new CaseBuilder();
  const input = dataInput(b, rng, type, shape, q);
  const bt = b.constant({ type: 'int32', shape: [rank] }, Int32Array.from(begin));
  const et = b.constant({ type: 'int32', shape: [rank] }, Int32Array.from(end));
  const st = b.constant({ type: 'int32', shape: [rank] }, Int32Array.from(strides));
  const output = b.output(act(type, out, q));
  b.op({ op: 'STRIDED_SLICE', inputs: [input, bt, et, st], outputs: [output], options: { beginMask, endMask, shrinkAxisMask }, version: 2 });
  return finish('STRIDED_SLICE', type, { shape, begin, end, strides, beginMask, endMask, shrinkAxisMask }, b);
};

const slice: Generator = rng => {
  const type = rng.pick(MOVE_TYPES);
  const rank = rng.int(1, 4);
  const shape = randomShape(rng, rank, 6);
  const begin = shape.map(d => rng.int(0, d - 1));
  const size = shape.map((d, i) => (rng.bool(0.2) ? -1 : rng.int(1, d - begin[i])));
  const out = size.map((s, i) => (s === -1 ? shape[i] - begin[i] : s));
  const q = withQuant(rng, type);
  const b = new CaseBuilder();
  const input = dataInput(b, rng, type, shape, q);
  const bt = b.constant({ type: 'int32', shape: [rank] }, Int32Array.from(begin));
  const st = b.constant({ type: 'int32', shape: [rank] }, Int32Array.from(size));
  const output = b.output(act(type, out, q));
  b.op({ op: 'SLICE', inputs: [input, bt, st], outputs: [output] });
  return finish('SLICE', type, { shape, begin, size }, b);
};

const concatenation: Generator = rng => {
  const type = rng.pick([...MOVE_TYPES, 'uint8']);
  const rank = rng.int(1, 4);
  const base = randomShape(rng, rank, 5);
  const axis = rng.int(-rank, rank - 1);
  const a = axis < 0 ? axis + rank : axis;
  const k = rng.int(1, 4);
  // TFLM concatenates int8 without requantizing: inputs share the output's parameters.
  const q = withQuant(rng, type);
  const b = new CaseBuilder();
  const inputs: number[] = [];
  let total = 0;
  const shapes: number[][] = [];
  // uint8 is the one type TFLM requantizes here: each input may bring its own parameters.
  const requantize = type === 'uint8' && rng.bool(0.6);
  for (let i = 0; i < k; i++) {
    const s = base.slice();
    s[a] = rng.int(1, 4);
    total += s[a];
    shapes.push(s);
    inputs.push(dataInput(b, rng, type, s, requantize && rng.bool(0.7) ? withQuant(rng, type) : q));
  }
  const out = base.slice();
  out[a] = total;
  const output = b.output(act(type, out, q));
  b.op({ op: 'CONCATENATION', inputs, outputs: [output], options: { axis } });
  // Reference TFLite copies uint8 inputs with other parameters unchanged (38 where the
  // requantized value is 142, seed 1781336210): those cases run in tflite-xs alone.
  return finish('CONCATENATION', type, { shapes, axis, requantize }, b,
    requantize ? { skipReference: 'reference TFLite does not requantize uint8 CONCATENATION inputs' } : {});
};

const split: Generator = rng => {
  const type = rng.pick(MOVE_TYPES);
  const rank = rng.int(1, 4);
  const shape = randomShape(rng, rank, 4);
  const axis = rng.int(-rank, rank - 1);
  const a = axis < 0 ? axis + rank : axis;
  const numSplits = rng.int(1, 3);
  shape[a] = numSplits * rng.int(1, 3);
  const q = withQuant(rng, type);
  const b = new CaseBuilder();
  const axisTensor = b.constant({ type: 'int32', shape: rng.bool() ? [] : [1] }, Int32Array.of(axis));
  const input = dataInput(b, rng, type, shape, q);
  const out = shape.slice();
  out[a] = shape[a] / numSplits;
  const outputs = Array.from({ length: numSplits }, () => b.output(act(type, out, q)));
  b.op({ op: 'SPLIT', inputs: [axisTensor, input], outputs, options: { numSplits } });
  return finish('SPLIT', type, { shape, axis, numSplits }, b);
};

const splitV: Generator = rng => {
  const type = rng.pick(MOVE_TYPES);
  const rank = rng.int(1, 4);
  const shape = randomShape(rng, rank, 4);
  const axis = rng.int(-rank, rank - 1);
  const a = axis < 0 ? axis + rank : axis;
  const numSplits = rng.int(1, 4);
  const sizes = Array.from({ length: numSplits }, () => rng.int(1, 3));
  shape[a] = sizes.reduce((x, y) => x + y, 0);
  const written = sizes.slice();
  if (rng.bool(0.3)) written[rng.int(0, numSplits - 1)] = -1;
  const q = withQuant(rng, type);
  const b = new CaseBuilder();
  const input = dataInput(b, rng, type, shape, q);
  const sizeTensor = b.constant({ type: 'int32', shape: [numSplits] }, Int32Array.from(written));
  const axisTensor = b.constant({ type: 'int32', shape: rng.bool() ? [] : [1] }, Int32Array.of(axis));
  const outputs = sizes.map(s => {
    const out = shape.slice();
    out[a] = s;
    return b.output(act(type, out, q));
  });
  b.op({ op: 'SPLIT_V', inputs: [input, sizeTensor, axisTensor], outputs, options: { numSplits } });
  return finish('SPLIT_V', type, { shape, axis, sizes: written }, b);
};

const pack: Generator = rng => {
  const type = rng.pick(MOVE_TYPES);
  const rank = rng.int(0, 3);
  const shape = randomShape(rng, rank, 4);
  const valuesCount = rng.int(1, 4);
  const axis = rng.int(-(rank + 1), rank);
  const a = axis < 0 ? axis + rank + 1 : axis;
  const q = withQuant(rng, type);
  const b = new CaseBuilder();
  const inputs = Array.from({ length: valuesCount }, () => dataInput(b, rng, type, shape, q));
  const out = shape.slice();
  out.splice(a, 0, valuesCount);
  const output = b.output(act(type, out, q));
  b.op({ op: 'PACK', inputs, outputs: [output], options: { valuesCount, axis } });
  return finish('PACK', type, { shape, valuesCount, axis }, b);
};

const unpack: Generator = rng => {
  const type = rng.pick(MOVE_TYPES);
  const rank = rng.int(1, 4);
  const shape = randomShape(rng, rank, 4);
  const axis = rng.int(-rank, rank - 1);
  const a = axis < 0 ? axis + rank : axis;
  const q = withQuant(rng, type);
  const b = new CaseBuilder();
  const input = dataInput(b, rng, type, shape, q);
  const out = shape.slice();
  out.splice(a, 1);
  const outputs = Array.from({ length: shape[a] }, () => b.output(act(type, out, q)));
  b.op({ op: 'UNPACK', inputs: [input], outputs, options: { num: shape[a], axis } });
  return finish('UNPACK', type, { shape, axis }, b);
};

const transpose: Generator = rng => {
  const type = rng.pick(MOVE_TYPES);
  const rank = rng.int(1, 5);
  const shape = randomShape(rng, rank, 4);
  const perm = rng.permutation(rank);
  const q = withQuant(rng, type);
  const b = new CaseBuilder();
  const input = dataInput(b, rng, type, shape, q);
  const permTensor = b.constant({ type: 'int32', shape: [rank] }, Int32Array.from(perm));
  const output = b.output(act(type, perm.map(p => shape[p]), q));
  b.op({ op: 'TRANSPOSE', inputs: [input, permTensor], outputs: [output] });
  return finish('TRANSPOSE', type, { shape, perm }, b);
};

const squeeze: Generator = rng => {
  const type = rng.pick(MOVE_TYPES);
  const rank = rng.int(1, 5);
  const shape = randomShape(rng, rank, 4).map(d => (rng.bool(0.4) ? 1 : d));
  const ones = shape.map((d, i) => (d === 1 ? i : -1)).filter(i => i >= 0);
  const squeezeDims = ones.length && rng.bool(0.6) ? ones.filter(() => rng.bool()).map(i => (rng.bool() ? i - rank : i)) : [];
  const removed = squeezeDims.length ? new Set(squeezeDims.map(i => (i < 0 ? i + rank : i))) : new Set(ones);
  const out = shape.filter((_, i) => !removed.has(i));
  const q = withQuant(rng, type);
  const b = new CaseBuilder();
  const input = dataInput(b, rng, type, shape, q);
  const output = b.output(act(type, out, q));
  b.op({ op: 'SQUEEZE', inputs: [input], outputs: [output], options: { squeezeDims } });
  return finish('SQUEEZE', type, { shape, squeezeDims }, b);
};

const expandDims: Generator = rng => {
  const type = rng.pick(MOVE_TYPES);
  const rank = rng.int(0, 4);
  const shape = randomShape(rng, rank, 4);
  const axis = rng.int(-(rank + 1), rank);
  const a = axis < 0 ? axis + rank + 1 : axis;
  const out = shape.slice();
  out.splice(a, 0, 1);
  const q = withQuant(rng, type);
  const b = new CaseBuilder();
  const input = dataInput(b, rng, type, shape, q);
  const axisTensor = b.constant({ type: 'int32', shape: rng.bool() ? [] : [1] }, Int32Array.of(axis));
  const output = b.output(act(type, out, q));
  b.op({ op: 'EXPAND_DIMS', inputs: [input, axisTensor], outputs: [output] });
  return finish('EXPAND_DIMS', type, { shape, axis }, b);
};

const shapeOp: Generator = rng => {
  const type = rng.pick(MOVE_TYPES);
  const rank = rng.int(0, 5);
  const shape = randomShape(rng, rank, 5);
  const b = new CaseBuilder();
  const input = dataInput(b, rng, type, shape, withQuant(rng, type));
  const outType = rng.bool(0.3) ? 'int64' : 'int32';
  const output = b.output(act(outType, [rank]));
  b.op({ op: 'SHAPE', inputs: [input], outputs: [output], options: { outType } });
  return finish('SHAPE', type, { shape, outType }, b, outType === 'int64' ? { skipReference: NO_INT64 } : {});
};

const gather: Generator = rng => {
  const type = rng.pick(MOVE_TYPES);
  const rank = rng.int(1, 4);
  const shape = randomShape(rng, rank, 5);
  const axis = rng.int(-rank, rank - 1);
  const a = axis < 0 ? axis + rank : axis;
  // batch_dims > 0: the indices' leading dimensions match the params' batch dimensions.
  const batchDims = a > 0 && rng.bool(0.3) ? rng.int(1, a) : 0;
  const indexShape = [...shape.slice(0, batchDims), ...randomShape(rng, rng.int(0, 2), 4)];
  const indices = Int32Array.from({ length: count(indexShape) }, () => rng.int(0, shape[a] - 1));
  const q = withQuant(rng, type);
  const b = new CaseBuilder();
  const params = dataInput(b, rng, type, shape, q);
  const indexTensor = rng.bool() ? b.constant({ type: 'int32', shape: indexShape }, indices) : b.input({ type: 'int32', shape: indexShape }, indices);
  const out = [...shape.slice(0, a), ...indexShape.slice(batchDims), ...shape.slice(a + 1)];
  const output = b.output(act(type, out, q));
  b.op({ op: 'GATHER', inputs: [params, indexTensor], outputs: [output], options: batchDims ? { axis, batchDims } : { axis } });
  return finish('GATHER', type, { shape, axis, batchDims, indexShape }, b);
};

const reshape: Generator = rng => {
  const type = rng.pick(MOVE_TYPES);
  const shape = randomShape(rng, rng.int(1, 4), 4);
  const n = count(shape);
  // Factor n into a new shape of random rank.
  const out: number[] = [];
  let rest = n;
  const rank = rng.int(1, 4);
  for (let i = 0; i < rank - 1; i++) {
    const divisors = Array.from({ length: rest }, (_, k) => k + 1).filter(d => rest % d === 0);
    const d = rng.pick(divisors);
    out.push(d);
    rest /= d;
  }
  out.push(rest);
  const written = out.slice();
  if (rng.bool(0.3)) written[rng.int(0, rank - 1)] = -1;
  const q = withQuant(rng, type);
  const b = new CaseBuilder();
  const input = dataInput(b, rng, type, shape, q);
  const form = rng.pick(['tensor', 'options', 'both']);
  const inputs = [input];
  if (form !== 'options') inputs.push(b.constant({ type: 'int32', shape: [rank] }, Int32Array.from(written)));
  const output = b.output(act(type, out, q));
  b.op({ op: 'RESHAPE', inputs, outputs: [output], options: form === 'tensor' ? {} : { newShape: written } });
  return finish('RESHAPE', type, { shape, newShape: written, form }, b);
};

// ---- reductions

function reduce(op: 'MEAN' | 'SUM' | 'REDUCE_MAX'): Generator {
  return rng => {
    const type = rng.pick(['float32', 'int8', 'int8', 'int16']);
    const rank = rng.int(1, 4);
    const shape = randomShape(rng, rank, 6);
    const axes = rng.permutation(rank).slice(0, rng.int(1, rank)).map(i => (rng.bool(0.3) ? i - rank : i));
    const keepDims = rng.bool();
    const reduced = new Set(axes.map(i => (i < 0 ? i + rank : i)));
    const out = keepDims ? shape.map((d, i) => (reduced.has(i) ? 1 : d)) : shape.filter((_, i) => !reduced.has(i));
    const n = [...reduced].reduce((p, i) => p * shape[i], 1);
    const b = new CaseBuilder();
    // No all-extreme inputs for SUM: their sums overflow, where reference TFLite wraps.
    const input = activationInput(b, rng, type, shape, rng.logFloat(0.5, 6), op !== 'SUM');
    if (op === 'SUM' && type === 'int16') {
      // The output keeps the input's scale (reference TFLite's rule), so keep sums in range:
      // reference TFLite wraps an overflowing sum where TFLM saturates.
      const data = b.inputData[b.inputData.length - 1];
      for (let i = 0; i < data.length; i++) data[i] = Math.trunc(Number(data[i]) / (n + 1));
    }
    const m = Math.max(-input.range[0], input.range[1]);
    let outQ: QuantParams | undefined;
    if (type !== 'float32') {
      if (op === 'REDUCE_MAX') outQ = input.q;
      else if (op === 'MEAN') outQ = rng.bool(0.4) ? input.q : outputQuant(type, 0, m * rng.float(0.3, 1.2));
      // Reference TFLite sums int16 only with the input's scale.
      else if (type === 'int16') outQ = input.q;
      // Covering every actual sum: reference TFLite wraps an int8 SUM that overflows instead
      // of saturating as TFLM does, so saturated sums cannot be compared.
      else {
        const [lo, hi] = realSumRange(b.inputData[b.inputData.length - 1], shape, reduced, input.q);
        outQ = quantFor(type, lo * rng.float(1.05, 1.5) - 1e-3, hi * rng.float(1.05, 1.5) + 1e-3);
      }
    }
    const axisTensor = b.constant({ type: 'int32', shape: [axes.length] }, Int32Array.from(axes));
    const output = b.output(act(type, out, outQ));
    b.op({ op, inputs: [input.index, axisTensor], outputs: [output], options: { keepDims } });
    return finish(op, type, { shape, axes, keepDims, sameQuant: outQ === input.q }, b);
  };
}

/** Smallest and largest real sum over the reduced axes of quantized data. */
function realSumRange(data: DataArray, shape: number[], reduced: Set<number>, q: QuantParams): [number, number] {
  const sums = new Map<number, number>();
  const n = count(shape);
  for (let i = 0; i < n; i++) {
    let rest = i, key = 0, stride = 1;
    for (let d = shape.length - 1; d >= 0; d--) {
      const coord = rest % shape[d];
      rest = Math.floor(rest / shape[d]);
      if (!reduced.has(d)) { key += coord * stride; stride *= shape[d]; }
    }
    sums.set(key, (sums.get(key) ?? 0) + (Number(data[i]) - q.zeroPoint) * q.scale);
  }
  const values = [...sums.values()];
  return [Math.min(...values), Math.max(...values)];
}

function argMinMax(op: 'ARG_MAX' | 'ARG_MIN'): Generator {
  return rng => {
    // Reference TFLite has no int16 ARG_MAX/ARG_MIN.
    const type = rng.pick(['float32', 'int8', 'int8', 'int32']);
    const rank = rng.int(1, 4);
    const shape = randomShape(rng, rank, 6);
    const axis = rng.int(-rank, rank - 1);
    const a = axis < 0 ? axis + rank : axis;
    const b = new CaseBuilder();
    // A narrow value range makes ties, where both runtimes must pick the first index.
    const narrow = rng.bool(0.3);
    const n = count(shape);
    const data = type === 'float32' ? Float32Array.from({ length: n }, () => (narrow ? rng.int(-2, 2) : rng.float(-5, 5)))
      : narrow ? (() => { const d = typedArrayFor(type, n); for (let i = 0; i < n; i++) d[i] = rng.int(-3, 3); return d; })()
      : randomData(rng, type, n, -100000, 100000);
    const input = b.input(act(type, shape, withQuant(rng, type)), data);
    const axisTensor = b.constant({ type: 'int32', shape: [1] }, Int32Array.of(axis));
    const outputType = rng.bool(0.3) ? 'int64' : 'int32';
    const output = b.output(act(outputType, shape.filter((_, i) => i !== a)));
    b.op({ op, inputs: [input, axisTensor], outputs: [output], options: { outputType } });
    return finish(op, type, { shape, axis, narrow, outputType }, b, outputType === 'int64' ? { skipReference: NO_INT64 } : {});
  };
}

// ---- activations

interface UnaryOptions {
  types: string[];
  /** Output parameters for a type given the input's: fixed for LOGISTIC, TANH, SOFTMAX... */
  outQuant?: (type: string, inQ: QuantParams, range: [number, number], rng: Rng, inType: string) => QuantParams;
  options?: (rng: Rng) => Record<string, number>;
  magnitude?: [number, number];
  outType?: (type: string) => string;
  /** Why reference TFLite cannot be compared for this input, if it cannot. */
  skipReference?: (inType: string, inQ: QuantParams) => string | undefined;
}

function unary(op: string, u: UnaryOptions): Generator {
  return rng => {
    const typeSpec = rng.pick(u.types);
    const [inType, outType] = typeSpec.includes('→') ? typeSpec.split('→') : [typeSpec, u.outType ? u.outType(typeSpec) : typeSpec];
    const rank = rng.int(1, 4);
    const shape = randomShape(rng, rank, 6);
    const b = new CaseBuilder();
    const [m0, m1] = u.magnitude ?? [0.5, 8];
    const input = activationInput(b, rng, inType, shape, rng.logFloat(m0, m1));
    const outQ = outType === 'float32' ? undefined : u.outQuant ? u.outQuant(outType, input.q, input.range, rng, inType) : input.q;
    const options = u.options ? u.options(rng) : {};
    const output = b.output(act(outType, shape, outQ));
    b.op({ op, inputs: [input.index], outputs: [output], options });
    const skip = u.skipReference?.(inType, input.q);
    return finish(op, typeSpec, { shape, inputScale: input.q.scale, inputZeroPoint: input.q.zeroPoint, ...options }, b, skip ? { skipReference: skip } : {});
  };
}

const FIXED = {
  logistic: (t: string): QuantParams => (t === 'int8' ? { scale: 1 / 256, zeroPoint: -128 } : { scale: 1 / 32768, zeroPoint: 0 }),
  tanh: (t: string): QuantParams => (t === 'int8' ? { scale: 1 / 128, zeroPoint: 0 } : { scale: 1 / 32768, zeroPoint: 0 }),
  // int8 in, int16 out: TFLM requires zero point -32768 and scale 1/65536.
  softmax: (t: string, _q: QuantParams, _r: [number, number], _rng: Rng, inType: string): QuantParams => (t === 'int8' ? { scale: 1 / 256, zeroPoint: -128 }
    : inType === 'int8' ? { scale: 1 / 65536, zeroPoint: -32768 } : { scale: 1 / 32768, zeroPoint: 0 }),
};

/** Output range of an activation f over the input's range, for realistic output scales. */
function mappedQuant(f: (x: number) => number) {
  return (type: string, _q: QuantParams, range: [number, number], rng: Rng): QuantParams => {
    let lo = Infinity, hi = -Infinity;
    for (let i = 0; i <= 64; i++) {
      const y = f(range[0] + ((range[1] - range[0]) * i) / 64);
      lo = Math.min(lo, y);
      hi = Math.max(hi, y);
    }
    const widen = rng.float(1, 1.3);
    return quantFor(type, lo * widen, hi * widen);
  };
}

const prelu: Generator = rng => {
  const type = rng.pick(['float32', 'int8', 'int8']);
  const shape = [rng.int(1, 2), rng.int(1, 5), rng.int(1, 5), rng.int(1, 6)];
  const alphaShape = rng.pick([[shape[3]], [1, 1, shape[3]], [1], shape.slice(1)]);
  const b = new CaseBuilder();
  const input = activationInput(b, rng, type, shape);
  const alphaReal = Float32Array.from({ length: count(alphaShape) }, () => rng.float(-0.5, 1));
  let alpha: number, outQ: QuantParams | undefined;
  if (type === 'float32') alpha = b.constant(act('float32', alphaShape), alphaReal);
  else {
    const aq = quantFor('int8', -0.5, 1);
    alpha = b.constant(act('int8', alphaShape, aq), quantizeValues('int8', alphaReal, aq));
    outQ = quantFor('int8', input.range[0] * 0.6, input.range[1] * rng.float(0.8, 1.2));
  }
  const output = b.output(act(type, shape, outQ));
  b.op({ op: 'PRELU', inputs: [input.index, alpha], outputs: [output] });
  return finish('PRELU', type, { shape, alphaShape }, b);
};

/**
 * int16 LOGISTIC and TANH with a power-of-two input scale (2^-12, and 2^-11 for TANH; within
 * TFLite's CheckedLog2 tolerance of 1e-3): reference TFLite's optimized kernels switch to
 * gemmlowp's fixed-point functions there, while TFLM keeps its lookup table; they differ by
 * up to 11 LSB. Other scales take the same table path in both.
 */
function potSigmoidScale(maxShift: number) {
  return (inType: string, q: QuantParams): string | undefined => {
    if (inType !== 'int16') return undefined;
    const log2 = Math.log2(q.scale), rounded = Math.round(log2);
    const shift = 12 + rounded;
    return Math.abs(log2 - rounded) < 1e-3 && shift >= 0 && shift <= maxShift
      ? 'reference TFLite uses gemmlowp fixed point for power-of-two int16 input scales, TFLM a table' : undefined;
  };
}

const logSoftmaxQuant = (): QuantParams => ({ scale: 16 / 256, zeroPoint: 127 });

const quantize: Generator = rng => {
  const spec = rng.pick(['float32→int8', 'float32→int16', 'int8→int8', 'int16→int16', 'int16→int8', 'int8→int16', 'float32→uint8', 'uint8→int8', 'int8→uint8']);
  // Reference TFLite cannot requantize int8 to int16; TFLM can, so it runs in tflite-xs alone.
  const extra = spec === 'int8→int16' ? { skipReference: 'reference TFLite has no int8→int16 QUANTIZE' } : {};
  const [inType, outType] = spec.split('→');
  const shape = randomShape(rng, rng.int(1, 4), 6);
  const b = new CaseBuilder();
  const input = activationInput(b, rng, inType, shape, rng.logFloat(0.5, 8));
  const m = Math.max(-input.range[0], input.range[1]);
  const outQ = outputQuant(outType, 0, m * rng.float(0.5, 2));
  if (inType !== 'float32' && rng.bool(0.2)) outQ.zeroPoint = outType === 'int16' ? 0 : input.q.zeroPoint;
  // uint8 and int8 convert into each other with the same scale and zero points 128 apart, as
  // the converter writes them around uint8 graph inputs and outputs.
  if ((inType === 'uint8' || outType === 'uint8') && inType !== 'float32' && rng.bool(0.5)) {
    outQ.scale = input.q.scale;
    outQ.zeroPoint = input.q.zeroPoint + (outType === 'uint8' ? 128 : -128);
  }
  const output = b.output(act(outType, shape, outQ));
  b.op({ op: 'QUANTIZE', inputs: [input.index], outputs: [output] });
  return finish('QUANTIZE', spec, { shape, in: input.q, out: outQ }, b, extra);
};

const dequantize: Generator = rng => {
  const inType = rng.pick(['int8', 'int16', 'uint8']);
  const shape = randomShape(rng, rng.int(1, 4), 6);
  const b = new CaseBuilder();
  const input = activationInput(b, rng, inType, shape);
  const output = b.output(act('float32', shape));
  b.op({ op: 'DEQUANTIZE', inputs: [input.index], outputs: [output] });
  return finish('DEQUANTIZE', `${inType}→float32`, { shape, in: input.q }, b);
};

const cast: Generator = rng => {
  const spec = rng.pick(['float32→int32', 'int32→float32', 'int8→float32', 'int8→int32', 'int16→float32', 'int32→int8', 'float32→int8',
    'int16→int32', 'int32→int16', 'float32→int16', 'int8→int16', 'uint8→int8', 'int8→uint8', 'bool→float32', 'float32→bool', 'int32→bool']);
  const [inType, outType] = spec.split('→');
  const shape = randomShape(rng, rng.int(1, 4), 6);
  const n = count(shape);
  const b = new CaseBuilder();
  const data = inType === 'float32' ? randomData(rng, inType, n, -100, 100)
    : inType === 'int32' ? randomData(rng, inType, n, outType === 'int8' ? -128 : outType === 'int16' ? -32768 : -1000000, outType === 'int8' ? 127 : outType === 'int16' ? 32767 : 1000000)
    : randomData(rng, inType, n);
  // Float values a cast can hold: out-of-range float-to-integer casts are undefined in C++.
  if (inType === 'float32' && outType === 'int8') for (let i = 0; i < n; i++) data[i] = rng.float(-128, 127);
  if (inType === 'float32' && outType === 'int16') for (let i = 0; i < n; i++) data[i] = rng.float(-32768, 32767);
  if (inType === 'float32' && outType === 'bool') for (let i = 0; i < n; i++) data[i] = rng.bool(0.3) ? 0 : rng.float(-2, 2);
  if (inType === 'int32' && outType === 'bool') for (let i = 0; i < n; i++) data[i] = rng.bool(0.3) ? 0 : rng.int(-5, 5);
  const input = b.input(act(inType, shape), data);
  const output = b.output(act(outType, shape));
  b.op({ op: 'CAST', inputs: [input], outputs: [output], options: { inDataType: inType, outDataType: outType } });
  return finish('CAST', spec, { shape }, b);
};

function resize(op: 'RESIZE_NEAREST_NEIGHBOR' | 'RESIZE_BILINEAR'): Generator {
  return rng => {
    const type = rng.pick(['float32', 'int8', 'int8', 'int16']);
    const shape = [rng.int(1, 2), rng.int(1, 6), rng.int(1, 6), rng.int(1, 4)];
    const size = [rng.int(1, 12), rng.int(1, 12)];
    const mode = rng.pick(['plain', 'alignCorners', 'halfPixelCenters']);
    const q = withQuant(rng, type);
    const b = new CaseBuilder();
    const input = dataInput(b, rng, type, shape, q);
    const sizeTensor = b.constant({ type: 'int32', shape: [2] }, Int32Array.from(size));
    const output = b.output(act(type, [shape[0], size[0], size[1], shape[3]], q));
    b.op({ op, inputs: [input, sizeTensor], outputs: [output], options: { alignCorners: mode === 'alignCorners', halfPixelCenters: mode === 'halfPixelCenters' } });
    return finish(op, type, { shape, size, mode }, b);
  };
}

// ---- recurrent

const svdf: Generator = rng => {
  const type = rng.pick(['float32', 'int8']);
  const batches = rng.int(1, 2), inputSize = rng.int(1, 8), units = rng.int(1, 4), rank = rng.int(1, 2), memory = rng.int(1, 5);
  const filters = units * rank;
  const steps = rng.int(1, 4);
  // Reference TFLite's integer SVDF runs only with RELU.
  const activation = type === 'int8' ? 1 : rng.pick([0, 1]);
  const b = new CaseBuilder();
  const stepSize = batches * inputSize;
  let input: number, featureW: number, timeW: number, bias = -1, state: number, output: number;
  const withBias = rng.bool(0.8);
  if (type === 'float32') {
    input = b.input(act('float32', [batches, inputSize]), randomData(rng, 'float32', stepSize * steps, -1, 1));
    featureW = b.constant(act('float32', [filters, inputSize]), randomData(rng, 'float32', filters * inputSize, -0.5, 0.5));
    timeW = b.constant(act('float32', [filters, memory]), randomData(rng, 'float32', filters * memory, -0.5, 0.5));
    if (withBias) bias = b.constant(act('float32', [units]), randomData(rng, 'float32', units, -0.2, 0.2));
    state = b.tensor({ type: 'float32', shape: [batches, memory * filters], isVariable: true });
    output = b.output(act('float32', [batches, units]));
  } else {
    const inQ = quantFor('int8', ...randomRange(rng, rng.logFloat(0.5, 4)));
    const data = randomData(rng, 'int8', stepSize * steps);
    input = b.input(act('int8', [batches, inputSize], inQ), data);
    const fq = { scale: rng.logFloat(0.002, 0.02), zeroPoint: 0 };
    featureW = b.constant(act('int8', [filters, inputSize], fq), randomData(rng, 'int8', filters * inputSize));
    const tq = { scale: rng.logFloat(1e-5, 1e-4), zeroPoint: 0 };
    timeW = b.constant(act('int16', [filters, memory], tq), randomData(rng, 'int16', filters * memory));
    // The state holds feature activations in int16 (zero point 0), as the converter quantizes it.
    const stateQ = { scale: rng.logFloat(1e-4, 1e-3), zeroPoint: 0 };
    if (withBias) bias = b.constant({ type: 'int32', shape: [units], scale: stateQ.scale * tq.scale, zeroPoint: 0 }, randomData(rng, 'int32', units, -2000, 2000));
    state = b.tensor({ type: 'int16', shape: [batches, memory * filters], isVariable: true, scale: stateQ.scale, zeroPoint: 0 });
    output = b.output(act('int8', [batches, units], quantFor('int8', -rng.logFloat(0.05, 1), rng.logFloat(0.05, 1))));
  }
  b.op({ op: 'SVDF', inputs: [input, featureW, timeW, bias, state], outputs: [output], options: { rank, fusedActivationFunction: activation } });
  return finish('SVDF', type, { batches, inputSize, units, rank, memory, steps, activation: ACT_NAMES[activation], withBias }, b, { steps });
};

const lstm: Generator = rng => {
  const type = rng.pick(['float32', 'int8', 'int8', 'int16x8']);
  const batches = rng.int(1, 2), time = rng.int(1, 4), inputSize = rng.int(1, 5), cells = rng.int(1, 5);
  const timeMajor = rng.bool();
  // TFLM runs the standard LSTM only: no CIFG, peepholes, projection or layer norm.
  const cellClip = rng.bool(0.3) ? rng.float(0.5, 3) : 0;
  const steps = rng.int(1, 2);
  const b = new CaseBuilder();
  const inShape = timeMajor ? [time, batches, inputSize] : [batches, time, inputSize];
  const outShape = timeMajor ? [time, batches, cells] : [batches, time, cells];
  const none = -1;
  let inputs: number[];
  let output: number;
  let intermediates: number[] | undefined;
  if (type === 'float32') {
    const input = b.input(act('float32', inShape), randomData(rng, 'float32', count(inShape) * steps, -1, 1));
    const w = (shape: number[]) => b.constant(act('float32', shape), randomData(rng, 'float32', count(shape), -0.6, 0.6));
    inputs = [
      input,
      w([cells, inputSize]), w([cells, inputSize]), w([cells, inputSize]), w([cells, inputSize]),
      w([cells, cells]), w([cells, cells]), w([cells, cells]), w([cells, cells]),
      none, none, none,
      w([cells]), w([cells]), w([cells]), w([cells]),
      none, none,
      b.tensor({ type: 'float32', shape: [batches, cells], isVariable: true }),
      b.tensor({ type: 'float32', shape: [batches, cells], isVariable: true }),
      none, none, none, none,
    ];
    output = b.output(act('float32', outShape));
  } else {
    // The 8x8→16 integer LSTM: int8 input, weights and hidden state, int32 biases in
    // input_scale * weight_scale, a power-of-two int16 cell state. 16x8: int16 input and
    // hidden state (zero point 0), int64 biases.
    const t = type === 'int16x8' ? 'int16' : 'int8';
    const inQ = quantFor(t, ...randomRange(rng, rng.logFloat(0.5, 3)));
    const input = b.input(act(t, inShape, inQ), randomData(rng, t, count(inShape) * steps));
    const hiddenQ = quantFor(t, -rng.float(0.5, 1), rng.float(0.5, 1));
    const cellQ = { scale: 2 ** -rng.int(10, 13), zeroPoint: 0 };
    const w = (shape: number[]) => {
      const q = { scale: rng.logFloat(0.2, 1) / 127, zeroPoint: 0 };
      return { index: b.constant(act('int8', shape, q), randomData(rng, 'int8', count(shape))), q };
    };
    const inputWeights = [0, 1, 2, 3].map(() => w([cells, inputSize]));
    const recurrentWeights = [0, 1, 2, 3].map(() => w([cells, cells]));
    const biases = inputWeights.map(wt => {
      const real = Float32Array.from({ length: cells }, () => rng.float(-0.5, 0.5));
      const q = quantizedBias(real, inQ.scale, [wt.q.scale], t === 'int16');
      return b.constant({ type: t === 'int16' ? 'int64' : 'int32', shape: [cells], scale: q.scales[0], zeroPoint: 0 }, q.data);
    });
    inputs = [
      input,
      ...inputWeights.map(x => x.index), ...recurrentWeights.map(x => x.index),
      none, none, none,
      ...biases,
      none, none,
      b.tensor({ type: t, shape: [batches, cells], isVariable: true, scale: hiddenQ.scale, zeroPoint: hiddenQ.zeroPoint }),
      b.tensor({ type: 'int16', shape: [batches, cells], isVariable: true, scale: cellQ.scale, zeroPoint: 0 }),
      none, none, none, none,
    ];
    output = b.output(act(t, outShape, hiddenQ));
    // Reference TFLite wants five intermediates: four gate scales (read only with layer norm)
    // and the hidden state's parameters.
    intermediates = [0, 1, 2, 3].map(() => b.tensor({ type: 'int16', shape: [], scale: 2 ** -12, zeroPoint: 0 }));
    intermediates.push(b.tensor({ type: t, shape: [], scale: hiddenQ.scale, zeroPoint: hiddenQ.zeroPoint }));
  }
  b.op({ op: 'UNIDIRECTIONAL_SEQUENCE_LSTM', inputs, outputs: [output], intermediates, options: { fusedActivationFunction: 4, cellClip, projClip: 0, timeMajor } });
  return finish('UNIDIRECTIONAL_SEQUENCE_LSTM', type, { batches, time, inputSize, cells, timeMajor, cellClip, steps }, b,
    type !== 'float32' ? { steps, skipReference: 'reference TFLite\'s integer LSTM does not follow the float computation on these models (tflite-xs does): checked against lstmFloatOracle instead' } : { steps });
};

/**
 * The float computation an integer LSTM case approximates: every constant dequantized, the
 * standard LSTM run step by step (sigmoid gates, tanh cell, optional cell clip), the hidden
 * state quantized with the output's parameters. For judging integer kernels where reference
 * TFLite cannot be used.
 */
export function lstmFloatOracle(c: DiffCase): number[] {
  const sg = c.model.subgraphs[0];
  const op = sg.operators[0];
  const tensor = (i: number) => sg.tensors[op.inputs[i]];
  const real = (i: number) => {
    const t = tensor(i);
    const scale = Number(Array.isArray(t.scale) ? t.scale[0] : t.scale ?? 1), zp = Number(Array.isArray(t.zeroPoint) ? t.zeroPoint[0] : t.zeroPoint ?? 0);
    return Array.from(t.data as ArrayLike<number>, v => (Number(v) - zp) * scale);
  };
  const { batches, time, inputSize, cells, timeMajor, cellClip, steps } = c.params as Record<string, number>;
  const input = tensor(0), out = sg.tensors[op.outputs[0]];
  const inScale = Number(input.scale ?? 1), inZp = Number(input.zeroPoint ?? 0);
  const outScale = Number(out.scale ?? 1), outZp = Number(out.zeroPoint ?? 0);
  const qmin = out.type === 'int16' ? -32768 : -128, qmax = out.type === 'int16' ? 32767 : 127;
  const W = [1, 2, 3, 4].map(real), R = [5, 6, 7, 8].map(real), B = [12, 13, 14, 15].map(real);
  const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
  const h = new Float64Array(batches * cells), cs = new Float64Array(batches * cells);
  const result: number[] = new Array(steps * time * batches * cells);
  const data = c.inputs[0];
  for (let step = 0; step < steps; step++) {
    for (let t = 0; t < time; t++) {
      for (let bt = 0; bt < batches; bt++) {
        const row = timeMajor ? t * batches + bt : bt * time + t;
        const x = Array.from({ length: inputSize }, (_, k) => (Number(data[(step * time * batches + row) * inputSize + k]) - inZp) * inScale);
        const prev = Array.from(h.subarray(bt * cells, (bt + 1) * cells));
        const gates = [0, 1, 2, 3].map(g => Array.from({ length: cells }, (_, u) => {
          let acc = B[g][u];
          for (let k = 0; k < inputSize; k++) acc += W[g][u * inputSize + k] * x[k];
          for (let k = 0; k < cells; k++) acc += R[g][u * cells + k] * prev[k];
          return acc;
        }));
        for (let u = 0; u < cells; u++) {
          const i = sigmoid(gates[0][u]), f = sigmoid(gates[1][u]), g = Math.tanh(gates[2][u]), o = sigmoid(gates[3][u]);
          let cell = f * cs[bt * cells + u] + i * g;
          if (cellClip > 0) cell = Math.max(-cellClip, Math.min(cellClip, cell));
          cs[bt * cells + u] = cell;
          const hidden = o * Math.tanh(cell);
          const q = Math.max(qmin, Math.min(qmax, Math.round(hidden / outScale) + outZp));
          h[bt * cells + u] = (q - outZp) * outScale;
          result[(step * time * batches + row) * cells + u] = q;
        }
      }
    }
  }
  return result;
}

// ---- the table

const Q8 = ['float32', 'int8', 'int8'];
const Q816 = ['float32', 'int8', 'int8', 'int16'];

export const GENERATORS: Record<string, Generator> = {
  CONV_2D: convLike('CONV_2D'),
  DEPTHWISE_CONV_2D: convLike('DEPTHWISE_CONV_2D'),
  TRANSPOSE_CONV: transposeConv,
  AVERAGE_POOL_2D: pool('AVERAGE_POOL_2D'),
  MAX_POOL_2D: pool('MAX_POOL_2D'),
  FULLY_CONNECTED: fullyConnected,
  ADD: binary('ADD', Q816, { activation: true, potScale: true }),
  SUB: binary('SUB', Q816, { activation: true, potScale: true }),
  MUL: binary('MUL', Q816, { activation: true }),
  DIV: binary('DIV', ['float32'], { activation: true }),
  MINIMUM: binary('MINIMUM', [...Q816, 'int32'], { sameQuant: true }),
  MAXIMUM: binary('MAXIMUM', [...Q816, 'int32'], { sameQuant: true }),
  SQUARED_DIFFERENCE: binary('SQUARED_DIFFERENCE', Q8),
  PAD: pad('PAD'),
  PADV2: pad('PADV2'),
  STRIDED_SLICE: stridedSlice,
  SLICE: slice,
  CONCATENATION: concatenation,
  SPLIT: split,
  SPLIT_V: splitV,
  PACK: pack,
  UNPACK: unpack,
  TRANSPOSE: transpose,
  SQUEEZE: squeeze,
  EXPAND_DIMS: expandDims,
  SHAPE: shapeOp,
  GATHER: gather,
  MEAN: reduce('MEAN'),
  SUM: reduce('SUM'),
  REDUCE_MAX: reduce('REDUCE_MAX'),
  ARG_MAX: argMinMax('ARG_MAX'),
  ARG_MIN: argMinMax('ARG_MIN'),
  LOGISTIC: unary('LOGISTIC', { types: Q816, outQuant: FIXED.logistic, magnitude: [0.5, 10], skipReference: potSigmoidScale(0) }),
  TANH: unary('TANH', { types: Q816, outQuant: FIXED.tanh, magnitude: [0.5, 6], skipReference: potSigmoidScale(1) }),
  RELU: unary('RELU', { types: Q816, outQuant: mappedQuant(x => Math.max(0, x)) }),
  // TFLM's int8 RELU6 clamps raw values without requantizing: the output shares the input's parameters.
  RELU6: unary('RELU6', { types: Q816 }),
  LEAKY_RELU: unary('LEAKY_RELU', {
    types: Q816,
    options: rng => ({ alpha: rng.pick([0.01, 0.1, 0.2, 0.3, 0.5, rng.float(0, 1), rng.float(1, 3)]) }),
    outQuant: (t, q, range, rng) => quantFor(t, range[0] * rng.float(0.1, 1), range[1] * rng.float(0.8, 1.3)),
  }),
  PRELU: prelu,
  HARD_SWISH: unary('HARD_SWISH', { types: Q8, outQuant: mappedQuant(x => (x * Math.min(6, Math.max(0, x + 3))) / 6), magnitude: [0.5, 8] }),
  ELU: unary('ELU', { types: Q8, outQuant: mappedQuant(x => (x < 0 ? Math.expm1(x) : x)) }),
  LOG_SOFTMAX: unary('LOG_SOFTMAX', { types: Q8, outQuant: logSoftmaxQuant, magnitude: [0.5, 10] }),
  SOFTMAX: unary('SOFTMAX', {
    types: ['float32', 'int8', 'int8', 'int8→int16', 'int16'],
    outQuant: FIXED.softmax,
    options: rng => ({ beta: rng.pick([1, 1, 0.5, 2, rng.float(0.1, 3)]) }),
    magnitude: [0.5, 10],
  }),
  QUANTIZE: quantize,
  DEQUANTIZE: dequantize,
  RESHAPE: reshape,
  CAST: cast,
  RESIZE_NEAREST_NEIGHBOR: resize('RESIZE_NEAREST_NEIGHBOR'),
  RESIZE_BILINEAR: resize('RESIZE_BILINEAR'),
  SVDF: svdf,
  UNIDIRECTIONAL_SEQUENCE_LSTM: lstm,
  ...MATH_GENERATORS,
  ...SHAPE_GENERATORS,
  ...CUSTOM_GENERATORS,
};

export type { DataArray, DiffCase, WriterTensor };
