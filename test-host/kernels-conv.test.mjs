// Convolution and pooling kernels: CONV_2D, DEPTHWISE_CONV_2D, TRANSPOSE_CONV, AVERAGE_POOL_2D,
// MAX_POOL_2D. Expected values come from TFLM's kernel tests (golden tables), from an
// independent model of TFLM's reference kernels written here (naive loops, BigInt rounding),
// from reference TFLite, and from the shared golden cases (TFLM's outputs for whole models);
// XS must give node's bits, within the computron budget.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { Interpreter, OpError, readModel } from './lib/tflite.mjs';
import { allOps } from './lib/kernels-all.mjs';
import { writeModel, runReference, referenceAvailable, XsEngine, countMacs } from './lib/host.mjs';
import { noCases, loadCases, worstDifference } from './lib/cases.mjs';

const f32 = Math.fround;
const ACT = { NONE: 0, RELU: 1, RELU_N1_TO_1: 2, RELU6: 3 };
const SAME = 0, VALID = 1;
const FLT_MAX = 3.4028234663852886e38;

// ---- helpers ---------------------------------------------------------------------------------

function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}
const int = (random, lo, hi) => lo + Math.floor(random() * (hi - lo + 1));
const ints = (random, n, lo, hi) => Array.from({ length: n }, () => int(random, lo, hi));
const bytesOf = a => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/** A one-operator model; tensors with data are constants, the rest are graph inputs (in order). */
function opModel(op, tensors, opInputs, options) {
  const outputIndex = tensors.length - 1;
  const inputs = opInputs.filter(i => i >= 0 && !tensors[i].data);
  return writeModel({ subgraphs: [{ tensors, inputs, outputs: [outputIndex], operators: [{ op, inputs: opInputs, outputs: [outputIndex], options }] }] });
}

/** Runs with weights read in place and with repacked weights (weightCacheBytes): both must agree to the bit. */
function runNode(model, inputs) {
  const results = [0, 1 << 24].map(weightCacheBytes => {
    const it = new Interpreter(model, { resolver: allOps(), weightCacheBytes }).allocateTensors();
    // int64 tensors take their raw bytes.
    inputs.forEach((v, i) => it.setInput(i, v instanceof BigInt64Array ? bytesOf(v) : v));
    it.invoke();
    return it.output(0).data.slice();
  });
  assert.deepEqual(results[1], results[0], 'packed weights give other results than weights in place');
  return results[0];
}

function assertClose(got, want, tolerance, what) {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++) {
    const ok = Math.abs(Number(got[i]) - Number(want[i])) <= tolerance;
    if (!ok) assert.fail(`${what}: element ${i} is ${got[i]}, expected ${want[i]} ± ${tolerance}`);
  }
}

// ---- an independent model of TFLM's rounding (BigInt, no library code) -------------------------

function quantizeMultiplier(d) {
  if (d === 0) return [0, 0];
  let e = Math.floor(Math.log2(d)) + 1, m = d / 2 ** e;
  while (m >= 1) { m /= 2; e++; }
  while (m < 0.5) { m *= 2; e--; }
  let q = Math.round(m * 2 ** 31);
  if (q === 2 ** 31) { q /= 2; e++; }
  if (e < -31) { e = 0; q = 0; }
  return [q, e];
}

/** MultiplyByQuantizedMultiplier(int32 x): SRDHM then a rounding right shift (TFLM common.h). */
function mbqm32(x, m, shift) {
  const left = shift > 0 ? shift : 0, right = shift > 0 ? 0 : -shift;
  const a = BigInt.asIntN(32, BigInt(x) << BigInt(left));
  const ab = a * BigInt(m);
  const nudge = ab >= 0n ? 1n << 30n : 1n - (1n << 30n);
  const high = Number((ab + nudge) / (1n << 31n));
  const mask = (1 << right) - 1, remainder = high & mask, threshold = (mask >> 1) + (high < 0 ? 1 : 0);
  return (high >> right) + (remainder > threshold ? 1 : 0);
}

/** MultiplyByQuantizedMultiplier(int64 x): 15-bit multiplier, one rounding. */
function mbqm64(x, m, shift) {
  const reduced = m < 0x7fff0000 ? (m + 32768) >> 16 : 0x7fff;
  const total = 15 - shift;
  return Number(BigInt.asIntN(32, (BigInt(x) * BigInt(reduced) + (1n << BigInt(total - 1))) >> BigInt(total)));
}

function activationBounds(act, type, scale, zp) {
  const [lo, hi] = type === 'int8' ? [-128, 127] : [-32768, 32767];
  const q = v => zp + Math.round(f32(v / scale)); // inputs here are never ties
  if (act === ACT.RELU) return [Math.max(lo, q(0)), hi];
  if (act === ACT.RELU6) return [Math.max(lo, q(0)), Math.min(hi, q(6))];
  if (act === ACT.RELU_N1_TO_1) return [Math.max(lo, q(-1)), Math.min(hi, q(1))];
  return [lo, hi];
}
function floatBounds(act) {
  if (act === ACT.RELU) return [0, FLT_MAX];
  if (act === ACT.RELU6) return [0, 6];
  if (act === ACT.RELU_N1_TO_1) return [-1, 1];
  return [-FLT_MAX, FLT_MAX];
}

function outSize(padding, size, filter, stride, dilation) {
  const effective = (filter - 1) * dilation + 1;
  return padding === SAME ? Math.floor((size + stride - 1) / stride) : Math.floor((size + stride - effective) / stride);
}
function padBefore(size, filter, stride, dilation, out) {
  const total = (out - 1) * stride + (filter - 1) * dilation + 1 - size;
  return total > 0 ? Math.floor(total / 2) : 0;
}

/**
 * TFLM's reference conv/depthwise loop: window positions outside the input add nothing. `tap`
 * returns the weight for (output channel, fy, fx, input index within the window's channels).
 */
function refWindowOp(spec, X, weightAt, channelsFor) {
  const { batches, inH, inW, inC, outH, outW, outC, fH, fW, sH, sW, dH, dW, padH, padW } = spec;
  const out = [];
  for (let b = 0; b < batches; b++) for (let oy = 0; oy < outH; oy++) for (let ox = 0; ox < outW; ox++) for (let c = 0; c < outC; c++) {
    let acc = spec.type === 'float32' ? 0 : 0n;
    for (let fy = 0; fy < fH; fy++) for (let fx = 0; fx < fW; fx++) {
      const iy = oy * sH - padH + fy * dH, ix = ox * sW - padW + fx * dW;
      if (iy < 0 || iy >= inH || ix < 0 || ix >= inW) continue;
      for (const [ic, k] of channelsFor(c)) {
        const x = X[((b * inH + iy) * inW + ix) * inC + ic], w = weightAt(c, fy, fx, k);
        if (spec.type === 'float32') acc = f32(acc + f32(x * w));
        else acc += BigInt(w) * BigInt(x - spec.inputZp);
      }
    }
    out.push(finish(spec, acc, c));
  }
  return out;
}

function finish(spec, acc, c) {
  if (spec.type === 'float32') {
    const v = f32(acc + (spec.bias ? spec.bias[c] : 0));
    const [lo, hi] = floatBounds(spec.act);
    return Math.min(Math.max(v, lo), hi);
  }
  const [m, shift] = spec.multipliers[c];
  let r;
  if (spec.type === 'int16' && spec.wide) r = mbqm64(acc + (spec.bias ? BigInt(spec.bias[c]) : 0n), m, shift);
  else r = mbqm32(Number(BigInt.asIntN(32, acc + (spec.bias ? BigInt(spec.bias[c]) : 0n))), m, shift) + (spec.type === 'int8' ? spec.outputZp : 0);
  const [lo, hi] = activationBounds(spec.act, spec.type, spec.outputScale, spec.outputZp);
  return Math.min(Math.max(r, lo), hi);
}

const TYPED = { float32: Float32Array, int8: Int8Array, int16: Int16Array };

/** Random tensors and quantization for a window op; `filterShape`, `quantDim` per op. */
function randomQuant(random, type, outC) {
  if (type === 'float32') return {};
  const inputScale = 0.01 + random() * 0.05, outputScale = 0.05 + random() * 0.3;
  const inputZp = type === 'int8' ? int(random, -128, 127) : 0, outputZp = type === 'int8' ? int(random, -20, 20) : 0;
  const filterScales = Array.from({ length: outC }, () => f32(0.002 + random() * 0.02));
  return { inputScale: f32(inputScale), outputScale: f32(outputScale), inputZp, outputZp, filterScales };
}

function multipliersFor(q, outC) {
  return Array.from({ length: outC }, (_, c) => quantizeMultiplier(q.inputScale * q.filterScales[c] / q.outputScale));
}

// ---- CONV_2D ---------------------------------------------------------------------------------

function randomConv(seed, type, overrides = {}) {
  const random = rng(seed);
  const s = {
    type, batches: int(random, 1, 2), inH: int(random, 1, 8), inW: int(random, 1, 9), fD: int(random, 1, 11),
    groups: 1, outC: int(random, 1, 9), fH: int(random, 1, 4), fW: int(random, 1, 4),
    sH: int(random, 1, 3), sW: int(random, 1, 3), dH: int(random, 1, 2), dW: int(random, 1, 2),
    padding: random() < 0.6 ? SAME : VALID, act: int(random, 0, 3), hasBias: random() < 0.8, wide: random() < 0.5,
    ...overrides,
  };
  if (s.padding === VALID) {
    s.inH = Math.max(s.inH, (s.fH - 1) * s.dH + 1);
    s.inW = Math.max(s.inW, (s.fW - 1) * s.dW + 1);
  }
  s.inC = s.fD * s.groups;
  if (s.outC % s.groups) s.outC *= s.groups;
  s.outH = outSize(s.padding, s.inH, s.fH, s.sH, s.dH);
  s.outW = outSize(s.padding, s.inW, s.fW, s.sW, s.dW);
  s.padH = padBefore(s.inH, s.fH, s.sH, s.dH, s.outH);
  s.padW = padBefore(s.inW, s.fW, s.sW, s.dW, s.outW);
  Object.assign(s, randomQuant(random, type, s.outC));
  const nIn = s.batches * s.inH * s.inW * s.inC, nW = s.outC * s.fH * s.fW * s.fD;
  const X = type === 'float32' ? Float32Array.from({ length: nIn }, () => f32(random() * 4 - 2))
    : type === 'int8' ? Int8Array.from(ints(random, nIn, -128, 127)) : Int16Array.from(ints(random, nIn, -32768, 32767));
  const W = type === 'float32' ? Float32Array.from({ length: nW }, () => f32(random() * 2 - 1)) : Int8Array.from(ints(random, nW, -127, 127));
  const biasType = type === 'float32' ? 'float32' : type === 'int8' || !s.wide ? 'int32' : 'int64';
  const biasValues = ints(random, s.outC, -3000, 3000);
  s.bias = s.hasBias ? (type === 'float32' ? biasValues.map(v => f32(v / 1000)) : biasValues) : null;
  if (type !== 'float32') s.multipliers = multipliersFor(s, s.outC);
  const tensors = [
    { type, shape: [s.batches, s.inH, s.inW, s.inC], ...(type === 'float32' ? {} : { scale: s.inputScale, zeroPoint: s.inputZp }) },
    { type: type === 'float32' ? 'float32' : 'int8', shape: [s.outC, s.fH, s.fW, s.fD], data: s.dynamic ? undefined : W,
      ...(type === 'float32' ? {} : { scale: s.filterScales, zeroPoint: s.filterScales.map(() => 0), quantizedDimension: 0 }) },
  ];
  const opInputs = [0, 1];
  if (s.hasBias) {
    const data = biasType === 'float32' ? Float32Array.from(s.bias) : biasType === 'int32' ? Int32Array.from(s.bias) : BigInt64Array.from(s.bias, BigInt);
    tensors.push({ type: biasType, shape: [s.outC], data: s.dynamic ? undefined : data,
      ...(type === 'float32' ? {} : { scale: s.filterScales.map(f => f32(f * s.inputScale)), zeroPoint: s.filterScales.map(() => 0), quantizedDimension: 0 }) });
    opInputs.push(2);
    if (s.dynamic) s.biasData = data;
  }
  tensors.push({ type, shape: [s.batches, s.outH, s.outW, s.outC], ...(type === 'float32' ? {} : { scale: s.outputScale, zeroPoint: s.outputZp }) });
  const options = { padding: s.padding, strideW: s.sW, strideH: s.sH, fusedActivationFunction: s.act, dilationWFactor: s.dW, dilationHFactor: s.dH };
  // 16x8 without a bias: the options' quantized bias type picks the accumulator.
  if (type === 'int16' && !s.hasBias) options.quantizedBiasType = s.wide ? 4 : 2;
  const model = opModel('CONV_2D', tensors, opInputs, options);
  const perGroup = s.outC / s.groups;
  const expected = refWindowOp(s, X, (c, fy, fx, k) => W[((c * s.fH + fy) * s.fW + fx) * s.fD + k],
    c => Array.from({ length: s.fD }, (_, k) => [Math.floor(c / perGroup) * s.fD + k, k]));
  const inputs = s.dynamic ? [X, W, ...(s.hasBias ? [s.biasData] : [])] : [X];
  return { spec: s, model, inputs, expected, W };
}

test('CONV_2D float matches TFLM conv_test golden (stride 2, VALID, bias)', () => {
  const input = Float32Array.from([1, 1, 1, 1, 2, 2, 2, 2, 1, 2, 3, 4, 1, 2, 3, 4]);
  const model = opModel('CONV_2D', [
    { type: 'float32', shape: [2, 2, 4, 1] },
    { type: 'float32', shape: [3, 2, 2, 1], data: Float32Array.from([1, 2, 3, 4, -1, 1, -1, 1, -1, -1, 1, 1]) },
    { type: 'float32', shape: [3], data: Float32Array.from([1, 2, 3]) },
    { type: 'float32', shape: [2, 1, 2, 3] },
  ], [0, 1, 2], { padding: VALID, strideW: 2, strideH: 2 });
  assertClose(runNode(model, [input]), [18, 2, 5, 18, 2, 5, 17, 4, 3, 37, 4, 3], 1e-5, 'conv float');
});

const CONV_SEEDS = Array.from({ length: 40 }, (_, i) => 1000 + i);

for (const type of ['int8', 'int16', 'float32']) {
  test(`CONV_2D ${type}: random shapes, strides, dilations, padding, activations match the independent model`, () => {
    for (const seed of CONV_SEEDS) {
      const { model, inputs, expected, spec } = randomConv(seed, type);
      assertClose(runNode(model, inputs), expected, type === 'float32' ? 1e-5 * 8 : 0, `seed ${seed} ${JSON.stringify({ ...spec, multipliers: undefined, filterScales: undefined, bias: undefined })}`);
    }
  });
}

test('CONV_2D int8: 1x1, long windows (chunk tails), odd channel counts and grouped filters', () => {
  const cases = [
    { fH: 1, fW: 1, fD: 16, outC: 7, sH: 1, sW: 1, dH: 1, dW: 1 },
    { fH: 1, fW: 1, fD: 13, outC: 5, sH: 2, sW: 2, dH: 1, dW: 1 },
    { fH: 3, fW: 3, fD: 29, outC: 3, sH: 1, sW: 1, dH: 1, dW: 1 },
    { fH: 3, fW: 3, fD: 3, outC: 4, groups: 2 },
    { fH: 2, fW: 3, fD: 2, outC: 6, groups: 3 },
    { fH: 7, fW: 7, fD: 45, outC: 2, sH: 1, sW: 1, dH: 1, dW: 1, inH: 8, inW: 8 },
  ];
  cases.forEach((o, i) => {
    const { model, inputs, expected } = randomConv(500 + i, 'int8', o);
    assertClose(runNode(model, inputs), expected, 0, `case ${i}`);
  });
});

test('CONV_2D int8 with accumulators past the fast path\'s range requantizes exactly', () => {
  // Extreme inputs over a long window push |acc| past 2^21, where the kernel falls back to the
  // general MultiplyByQuantizedMultiplier.
  const o = { fH: 3, fW: 3, fD: 64, outC: 4, sH: 1, sW: 1, dH: 1, dW: 1, padding: SAME, act: 0, inH: 3, inW: 3, batches: 1 };
  const { model, spec, W } = randomConv(77, 'int8', o);
  for (const fill of [127, -128]) {
    const X = new Int8Array(spec.inH * spec.inW * spec.inC).fill(fill);
    const want = refWindowOp(spec, X, (c, fy, fx, k) => W[((c * spec.fH + fy) * spec.fW + fx) * spec.fD + k],
      c => Array.from({ length: spec.fD }, (_, k) => [k, k]));
    assertClose(runNode(model, [X]), want, 0, `filled with ${fill}`);
  }
});

test('CONV_2D refuses inconsistent models', () => {
  const bad = opModel('CONV_2D', [
    { type: 'int8', shape: [1, 4, 4, 2], scale: 0.1, zeroPoint: 0 },
    { type: 'int8', shape: [3, 3, 3, 2], data: new Int8Array(54), scale: [0.1, 0.1, 0.1], zeroPoint: [0, 0, 0], quantizedDimension: 0 },
    { type: 'int8', shape: [1, 4, 4, 3], scale: 0.1, zeroPoint: 0 },
  ], [0, 1], { padding: VALID, strideW: 1, strideH: 1 });
  assert.throws(() => new Interpreter(bad, { resolver: allOps() }).allocateTensors(), e => e instanceof OpError && /CONV_2D/.test(e.message) && /VALID/.test(e.message));
  const badBias = opModel('CONV_2D', [
    { type: 'int8', shape: [1, 4, 4, 2], scale: 0.1, zeroPoint: 0 },
    { type: 'int8', shape: [3, 1, 1, 2], data: new Int8Array(6), scale: [0.1, 0.1, 0.1], zeroPoint: [0, 0, 0], quantizedDimension: 0 },
    { type: 'float32', shape: [3], data: new Float32Array(3) },
    { type: 'int8', shape: [1, 4, 4, 3], scale: 0.1, zeroPoint: 0 },
  ], [0, 1, 2], { padding: VALID, strideW: 1, strideH: 1 });
  assert.throws(() => new Interpreter(badBias, { resolver: allOps() }).allocateTensors(), /int32 bias/);
});

test('CONV_2D and DEPTHWISE_CONV_2D with weights and bias fed at run time match the independent model', () => {
  for (let seed = 600; seed < 612; seed++) {
    for (const type of ['int8', 'int16', 'float32']) {
      for (const make of [randomConv, randomDepthwise]) {
        const { model, inputs, expected } = make(seed, type, { dynamic: true });
        assertClose(runNode(model, inputs), expected, type === 'float32' ? 1e-5 * 8 : 0, `${make.name} ${type} seed ${seed}`);
      }
    }
  }
});

// ---- DEPTHWISE_CONV_2D -----------------------------------------------------------------------

function randomDepthwise(seed, type, overrides = {}) {
  const random = rng(seed);
  const s = {
    type, batches: int(random, 1, 2), inH: int(random, 1, 9), inW: int(random, 1, 9), inC: int(random, 1, 6),
    mult: int(random, 1, 4), fH: int(random, 1, 4), fW: int(random, 1, 4),
    sH: int(random, 1, 3), sW: int(random, 1, 3), dH: int(random, 1, 2), dW: int(random, 1, 2),
    padding: random() < 0.6 ? SAME : VALID, act: int(random, 0, 3), hasBias: random() < 0.8, wide: true,
    ...overrides,
  };
  if (s.padding === VALID) {
    s.inH = Math.max(s.inH, (s.fH - 1) * s.dH + 1);
    s.inW = Math.max(s.inW, (s.fW - 1) * s.dW + 1);
  }
  s.outC = s.inC * s.mult;
  s.outH = outSize(s.padding, s.inH, s.fH, s.sH, s.dH);
  s.outW = outSize(s.padding, s.inW, s.fW, s.sW, s.dW);
  s.padH = padBefore(s.inH, s.fH, s.sH, s.dH, s.outH);
  s.padW = padBefore(s.inW, s.fW, s.sW, s.dW, s.outW);
  Object.assign(s, randomQuant(random, type, s.outC));
  const nIn = s.batches * s.inH * s.inW * s.inC, nW = s.fH * s.fW * s.outC;
  const X = type === 'float32' ? Float32Array.from({ length: nIn }, () => f32(random() * 4 - 2))
    : type === 'int8' ? Int8Array.from(ints(random, nIn, -128, 127)) : Int16Array.from(ints(random, nIn, -32768, 32767));
  const W = type === 'float32' ? Float32Array.from({ length: nW }, () => f32(random() * 2 - 1)) : Int8Array.from(ints(random, nW, -127, 127));
  const biasType = type === 'float32' ? 'float32' : type === 'int8' ? 'int32' : 'int64';
  const biasValues = ints(random, s.outC, -3000, 3000);
  s.bias = s.hasBias ? (type === 'float32' ? biasValues.map(v => f32(v / 1000)) : biasValues) : null;
  if (type !== 'float32') s.multipliers = multipliersFor(s, s.outC);
  const q = extra => (type === 'float32' ? {} : extra());
  const tensors = [
    { type, shape: [s.batches, s.inH, s.inW, s.inC], ...q(() => ({ scale: s.inputScale, zeroPoint: s.inputZp })) },
    { type: type === 'float32' ? 'float32' : 'int8', shape: [1, s.fH, s.fW, s.outC], data: s.dynamic ? undefined : W,
      ...q(() => ({ scale: s.filterScales, zeroPoint: s.filterScales.map(() => 0), quantizedDimension: 3 })) },
  ];
  const opInputs = [0, 1];
  if (s.hasBias) {
    const data = biasType === 'float32' ? Float32Array.from(s.bias) : biasType === 'int32' ? Int32Array.from(s.bias) : BigInt64Array.from(s.bias, BigInt);
    tensors.push({ type: biasType, shape: [s.outC], data: s.dynamic ? undefined : data, ...q(() => ({ scale: s.filterScales.map(f => f32(f * s.inputScale)), zeroPoint: s.filterScales.map(() => 0), quantizedDimension: 0 })) });
    opInputs.push(2);
    if (s.dynamic) s.biasData = data;
  }
  tensors.push({ type, shape: [s.batches, s.outH, s.outW, s.outC], ...q(() => ({ scale: s.outputScale, zeroPoint: s.outputZp })) });
  const model = opModel('DEPTHWISE_CONV_2D', tensors, opInputs, {
    padding: s.padding, strideW: s.sW, strideH: s.sH, depthMultiplier: s.mult, fusedActivationFunction: s.act, dilationWFactor: s.dW, dilationHFactor: s.dH,
  });
  const expected = refWindowOp(s, X, (c, fy, fx) => W[(fy * s.fW + fx) * s.outC + c], c => [[Math.floor(c / s.mult), 0]]);
  const inputs = s.dynamic ? [X, W, ...(s.hasBias ? [s.biasData] : [])] : [X];
  return { spec: s, model, inputs, expected };
}

for (const type of ['int8', 'int16', 'float32']) {
  test(`DEPTHWISE_CONV_2D ${type}: random shapes, multipliers, strides, dilations, padding match the independent model`, () => {
    for (let seed = 2000; seed < 2040; seed++) {
      const { model, inputs, expected } = randomDepthwise(seed, type);
      assertClose(runNode(model, inputs), expected, type === 'float32' ? 1e-5 * 8 : 0, `seed ${seed}`);
    }
  });
}

test('DEPTHWISE_CONV_2D int8: the 3x3, packed and row-by-row paths match the independent model', () => {
  const cases = [
    { fH: 3, fW: 3, mult: 1, inC: 8, dH: 1, dW: 1 },           // 3x3, multiplier 1
    { fH: 3, fW: 3, mult: 1, inC: 5, sH: 2, sW: 2, dH: 2, dW: 1 },
    { fH: 3, fW: 3, mult: 8, inC: 1, sH: 2, sW: 2, dH: 1, dW: 1 }, // 3x3, multiplier 8 (person_detect's first layer)
    { fH: 2, fW: 3, mult: 4, inC: 3, sH: 2, sW: 1, dH: 1, dW: 1 }, // gathered windows, packed
    { fH: 10, fW: 8, mult: 8, inC: 1, sH: 2, sW: 2, dH: 1, dW: 1, inH: 13, inW: 12 }, // micro_speech's shape: rows in place
    { fH: 2, fW: 16, mult: 3, inC: 1, sH: 1, sW: 1, dH: 1, dW: 1, inH: 4, inW: 18 },
    { fH: 3, fW: 5, mult: 5, inC: 3, dH: 1, dW: 2 },
  ];
  cases.forEach((o, i) => {
    const { model, inputs, expected } = randomDepthwise(700 + i, 'int8', o);
    assertClose(runNode(model, inputs), expected, 0, `case ${i}`);
  });
});

// The in-place int8 paths (no weight cache): CONV_2D four or six positions at a time (windows
// shorter or longer than 16, every count of leftover positions, 1x1 in place or gathered
// windows), DEPTHWISE_CONV_2D 3x3 sliding along rows (strides 1 and 2 across, rows and
// columns in the padding) and four positions at a time for other filters with multipliers of 2
// or more (blocks of 8 channels and what is left over). RELU takes the inlined quick
// requantization, NONE the general one.
test('int8 in-place paths: random shapes, tails, borders and activations match the independent model', () => {
  const random = rng(4242);
  for (let i = 0; i < 60; i++) {
    const oneByOne = i % 3 !== 2;
    const o = {
      batches: int(random, 1, 2), inH: int(random, 1, 7), inW: int(random, 1, 8),
      fH: oneByOne ? 1 : int(random, 1, 3), fW: oneByOne ? 1 : int(random, 1, 3),
      fD: [3, 8, 15, 16, 17, 24, 33, 64][int(random, 0, 7)], outC: int(random, 1, 20),
      sH: int(random, 1, 2), sW: int(random, 1, 2), dH: 1, dW: 1, act: random() < 0.5 ? ACT.RELU : ACT.NONE,
    };
    const { model, inputs, expected, spec } = randomConv(6000 + i, 'int8', o);
    assertClose(runNode(model, inputs), expected, 0, `conv ${i} ${JSON.stringify({ ...o, outH: spec.outH, outW: spec.outW })}`);
  }
  for (let i = 0; i < 60; i++) {
    const threeByThree = i % 2 === 0;
    const o = {
      batches: int(random, 1, 2), inH: int(random, 1, 9), inW: int(random, 1, 13),
      fH: threeByThree ? 3 : int(random, 1, 4), fW: threeByThree ? 3 : int(random, 1, 9),
      mult: threeByThree ? [1, 1, 2, 8][int(random, 0, 3)] : int(random, 2, 11), inC: int(random, 1, 4),
      sH: int(random, 1, 2), sW: int(random, 1, 2), dH: int(random, 1, 2), dW: random() < 0.8 ? 1 : 2,
      act: random() < 0.6 ? ACT.RELU : ACT.NONE,
    };
    const { model, inputs, expected } = randomDepthwise(7000 + i, 'int8', o);
    assertClose(runNode(model, inputs), expected, 0, `depthwise ${i} ${JSON.stringify(o)}`);
  }
  // Rows of 8 taps and more at a time, windows inside and across the border (micro_speech's
  // layer and its neighbours), and the packed copy where it is still taken: CONV_2D with
  // fewer than four output positions.
  const fixed = [
    ['dw', { batches: 2, inH: 11, inW: 14, fH: 4, fW: 8, mult: 8, inC: 1, sH: 2, sW: 2, dH: 1, dW: 1, padding: SAME, act: ACT.RELU }],
    ['dw', { batches: 1, inH: 6, inW: 13, fH: 2, fW: 9, mult: 16, inC: 2, sH: 1, sW: 1, dH: 2, dW: 1, padding: SAME, act: ACT.NONE }],
    ['dw', { batches: 1, inH: 5, inW: 20, fH: 3, fW: 16, mult: 11, inC: 1, sH: 1, sW: 3, dH: 1, dW: 1, padding: SAME, act: ACT.RELU6 }],
    ['dw', { batches: 1, inH: 4, inW: 19, fH: 1, fW: 8, mult: 8, inC: 3, sH: 1, sW: 1, dH: 1, dW: 2, padding: VALID, act: ACT.RELU }],
    ['conv', { batches: 1, inH: 3, inW: 3, fH: 3, fW: 3, fD: 5, outC: 6, sH: 1, sW: 1, dH: 1, dW: 1, padding: VALID, act: ACT.RELU }],
    ['conv', { batches: 1, inH: 1, inW: 3, fH: 1, fW: 1, fD: 40, outC: 3, sH: 1, sW: 1, dH: 1, dW: 1, padding: SAME, act: ACT.NONE }],
  ];
  fixed.forEach(([op, o], i) => {
    const { model, inputs, expected } = op === 'dw' ? randomDepthwise(7200 + i, 'int8', o) : randomConv(7200 + i, 'int8', o);
    assertClose(runNode(model, inputs), expected, 0, `fixed ${i}`);
  });
});

test('DEPTHWISE_CONV_2D float matches TFLM depthwise_conv_test golden (multiplier 2, VALID)', () => {
  const model = opModel('DEPTHWISE_CONV_2D', [
    { type: 'float32', shape: [1, 3, 2, 2] },
    { type: 'float32', shape: [1, 2, 2, 4], data: Float32Array.from([1, 2, 3, 4, -9, 10, -11, 12, 5, 6, 7, 8, 13, -14, 15, -16]) },
    { type: 'float32', shape: [4], data: Float32Array.from([1, 2, 3, 4]) },
    { type: 'float32', shape: [1, 2, 1, 4] },
  ], [0, 1, 2], { padding: VALID, strideW: 1, strideH: 1, depthMultiplier: 2, dilationWFactor: 1, dilationHFactor: 1 });
  assertClose(runNode(model, [Float32Array.from([1, 2, 7, 8, 3, 4, 9, 10, 5, 6, 11, 12])]), [71, -34, 99, -20, 91, -26, 127, -4], 1e-5, 'depthwise float');
});

// ---- TRANSPOSE_CONV --------------------------------------------------------------------------

test('TRANSPOSE_CONV float matches TFLM transpose_conv_test golden (SAME, stride 1)', () => {
  const model = opModel('TRANSPOSE_CONV', [
    { type: 'int32', shape: [4], data: Int32Array.from([1, 4, 4, 1]) },
    { type: 'float32', shape: [1, 3, 3, 2], data: Float32Array.from({ length: 18 }, (_, i) => i + 1) },
    { type: 'float32', shape: [1, 4, 4, 2] },
    { type: 'float32', shape: [1], data: Float32Array.from([0]) },
    { type: 'float32', shape: [1, 4, 4, 1] },
  ], [0, 1, 2, 3], { padding: SAME, strideW: 1, strideH: 1 });
  const golden = [184, 412, 568, 528, 678, 1347, 1689, 1434, 1494, 2715, 3057, 2442, 1968, 3352, 3652, 2760];
  assertClose(runNode(model, [Float32Array.from({ length: 32 }, (_, i) => i + 1)]), golden, 1e-5 * 3652, 'transpose conv float');
});

function randomTransposeConv(seed, type, overrides = {}) {
  const random = rng(seed);
  const s = {
    type, batches: int(random, 1, 2), inH: int(random, 1, 5), inW: int(random, 1, 5), inC: int(random, 1, 5), outC: int(random, 1, 5),
    fH: int(random, 1, 4), fW: int(random, 1, 4), sH: int(random, 1, 3), sW: int(random, 1, 3),
    padding: random() < 0.5 ? SAME : VALID, act: int(random, 0, 3), hasBias: random() < 0.8, biasType16: random() < 0.5 ? 'int64' : 'int16',
    ...overrides,
  };
  s.outH = s.padding === SAME ? s.inH * s.sH : (s.inH - 1) * s.sH + s.fH;
  s.outW = s.padding === SAME ? s.inW * s.sW : (s.inW - 1) * s.sW + s.fW;
  // TFLM: the padding of a convolution from the output's size back to the input's.
  const back = (size, f, stride) => padBefore(size, f, stride, 1, outSize(s.padding, size, f, stride, 1));
  s.padH = back(s.outH, s.fH, s.sH);
  s.padW = back(s.outW, s.fW, s.sW);
  Object.assign(s, randomQuant(random, type, s.outC));
  const nIn = s.batches * s.inH * s.inW * s.inC, nW = s.outC * s.fH * s.fW * s.inC;
  const X = type === 'float32' ? Float32Array.from({ length: nIn }, () => f32(random() * 4 - 2))
    : type === 'int8' ? Int8Array.from(ints(random, nIn, -128, 127)) : Int16Array.from(ints(random, nIn, -32768, 32767));
  const W = type === 'float32' ? Float32Array.from({ length: nW }, () => f32(random() * 2 - 1)) : Int8Array.from(ints(random, nW, -127, 127));
  const biasType = type === 'float32' ? 'float32' : type === 'int8' ? 'int32' : s.biasType16;
  const biasValues = ints(random, s.outC, -3000, 3000);
  s.bias = s.hasBias ? (type === 'float32' ? biasValues.map(v => f32(v / 1000)) : biasValues) : null;
  s.wide = true;
  if (type !== 'float32') s.multipliers = multipliersFor(s, s.outC);
  const q = extra => (type === 'float32' ? {} : extra());
  const tensors = [
    { type: 'int32', shape: [4], data: Int32Array.from([s.batches, s.outH, s.outW, s.outC]) },
    { type: type === 'float32' ? 'float32' : 'int8', shape: [s.outC, s.fH, s.fW, s.inC], data: W,
      ...q(() => ({ scale: s.filterScales, zeroPoint: s.filterScales.map(() => 0), quantizedDimension: 0 })) },
    { type, shape: [s.batches, s.inH, s.inW, s.inC], ...q(() => ({ scale: s.inputScale, zeroPoint: s.inputZp })) },
  ];
  const opInputs = [0, 1, 2];
  if (s.hasBias) {
    const data = biasType === 'float32' ? Float32Array.from(s.bias) : biasType === 'int32' ? Int32Array.from(s.bias)
      : biasType === 'int16' ? Int16Array.from(s.bias) : BigInt64Array.from(s.bias, BigInt);
    tensors.push({ type: biasType, shape: [s.outC], data, ...q(() => ({ scale: s.filterScales.map(f => f32(f * s.inputScale)), zeroPoint: s.filterScales.map(() => 0), quantizedDimension: 0 })) });
    opInputs.push(3);
  }
  tensors.push({ type, shape: [s.batches, s.outH, s.outW, s.outC], ...q(() => ({ scale: s.outputScale, zeroPoint: s.outputZp })) });
  const model = opModel('TRANSPOSE_CONV', tensors, opInputs, { padding: s.padding, strideW: s.sW, strideH: s.sH, fusedActivationFunction: s.act });
  // The reference's scatter, in its loop order (float sums depend on it).
  const n = s.batches * s.outH * s.outW * s.outC;
  const acc = type === 'float32' ? new Float32Array(n) : Array.from({ length: n }, () => 0n);
  for (let b = 0; b < s.batches; b++) for (let iy = 0; iy < s.inH; iy++) for (let ix = 0; ix < s.inW; ix++) for (let ic = 0; ic < s.inC; ic++)
    for (let fy = 0; fy < s.fH; fy++) for (let fx = 0; fx < s.fW; fx++) for (let oc = 0; oc < s.outC; oc++) {
      const oy = iy * s.sH - s.padH + fy, ox = ix * s.sW - s.padW + fx;
      if (oy < 0 || oy >= s.outH || ox < 0 || ox >= s.outW) continue;
      const o = ((b * s.outH + oy) * s.outW + ox) * s.outC + oc;
      const x = X[((b * s.inH + iy) * s.inW + ix) * s.inC + ic], w = W[((oc * s.fH + fy) * s.fW + fx) * s.inC + ic];
      if (type === 'float32') acc[o] = f32(acc[o] + f32(x * w));
      else acc[o] += BigInt(w) * BigInt(x - s.inputZp);
    }
  const expected = Array.from(acc, (a, i) => finish(s, a, i % s.outC));
  return { spec: s, model, inputs: [X], expected };
}

for (const type of ['int8', 'int16', 'float32']) {
  test(`TRANSPOSE_CONV ${type}: random shapes, strides, padding, biases match the independent model`, () => {
    for (let seed = 3000; seed < 3030; seed++) {
      const { model, inputs, expected } = randomTransposeConv(seed, type);
      assertClose(runNode(model, inputs), expected, type === 'float32' ? 1e-5 * 8 : 0, `seed ${seed}`);
    }
  });
}

// ---- pooling: TFLM pooling_test goldens --------------------------------------------------------

function poolModel(op, type, inShape, outShape, filter, stride, padding, act, scale = 0.25, zp = 0) {
  const q = type === 'float32' ? {} : { scale, zeroPoint: zp };
  return opModel(op, [{ type, shape: inShape, ...q }, { type, shape: outShape, ...q }], [0], {
    padding, strideW: stride[1], strideH: stride[0], filterWidth: filter[1], filterHeight: filter[0], fusedActivationFunction: act,
  });
}

test('AVERAGE_POOL_2D matches TFLM pooling_test goldens (float, int8, int16)', () => {
  const f = poolModel('AVERAGE_POOL_2D', 'float32', [1, 2, 4, 1], [1, 1, 2, 1], [2, 2], [2, 2], VALID, ACT.NONE);
  assertClose(runNode(f, [Float32Array.from([0, 6, 2, 4, 3, 2, 10, 7])]), [2.75, 5.75], 1e-5, 'float');
  const a = [0, -24, 8, 16, 12, 8, -40, 28], b = [12, -24, 32, 16, 12, 8, 40, 28];
  for (const type of ['int8', 'int16']) {
    const T = type === 'int8' ? Int8Array : Int16Array;
    const run = (out, stride, act, input) => runNode(poolModel('AVERAGE_POOL_2D', type, [1, 2, 4, 1], out, [2, 2], stride, VALID, act), [T.from(input)]);
    assertClose(run([1, 1, 2, 1], [2, 2], ACT.NONE, a), [-1, 3], 0, `${type} stride 2`);
    assertClose(run([1, 1, 3, 1], [2, 1], ACT.RELU, a), [0, 0, 3], 0, `${type} relu`);
    assertClose(run([1, 1, 2, 1], [1, 2], ACT.RELU_N1_TO_1, a), [-1, 3], 0, `${type} relu n1 to 1`);
    assertClose(run([1, 1, 2, 1], [2, 2], ACT.RELU6, b), [2, 24], 0, `${type} relu6`);
  }
});

test('MAX_POOL_2D matches TFLM pooling_test goldens (float activations, SAME padding)', () => {
  const run = (input, out, stride, padding, act) => runNode(poolModel('MAX_POOL_2D', 'float32', [1, 2, 4, 1], out, [2, 2], stride, padding, act), [Float32Array.from(input)]);
  assertClose(run([0, 6, 2, 4, 3, 2, 10, 7], [1, 1, 2, 1], [2, 2], VALID, ACT.NONE), [6, 10], 1e-5, 'none');
  assertClose(run([-1, -6, 2, 4, -3, -2, 10.5, 7], [1, 1, 2, 1], [2, 2], VALID, ACT.RELU), [0, 10.5], 1e-5, 'relu');
  assertClose(run([-2.75, -6, 0.2, 0.4, -3, -2, -0.3, 0.7], [1, 1, 2, 1], [2, 2], VALID, ACT.RELU_N1_TO_1), [-1, 0.7], 1e-5, 'relu n1 to 1');
  assertClose(run([-2.75, -6, -2, -4, -3, -2, 10, -7], [1, 1, 2, 1], [2, 2], VALID, ACT.RELU_N1_TO_1), [-1, 1], 1e-5, 'relu n1 to 1 (2)');
  assertClose(run([-1.5, -6, 12, 4, -3, -2, 10, 7], [1, 1, 2, 1], [2, 2], VALID, ACT.RELU6), [0, 6], 1e-5, 'relu6');
  assertClose(run([0, 4.5, 12, 4, 3, 2, 10, 7], [1, 1, 2, 1], [2, 2], VALID, ACT.RELU6), [4.5, 6], 1e-5, 'relu6 (2)');
  assertClose(run([0, 6, 2, 4, 3, 2, 10, 7], [1, 2, 4, 1], [1, 1], SAME, ACT.NONE), [6, 10, 10, 7, 3, 10, 10, 7], 1e-5, 'same');
  assertClose(run([0, 6, 2, 4, 3, 2, 10, 7], [1, 1, 3, 1], [1, 1], VALID, ACT.NONE), [6, 10, 10], 1e-5, 'valid stride 1');
});

test('pooling int8/int16 over random windows matches the independent model (clipped windows, rounding)', () => {
  const random = rng(4242);
  for (let i = 0; i < 30; i++) {
    const type = i % 2 ? 'int16' : 'int8', T = type === 'int8' ? Int8Array : Int16Array;
    const [lo, hi] = type === 'int8' ? [-128, 127] : [-32768, 32767];
    const H = int(random, 1, 7), W = int(random, 1, 7), C = int(random, 1, 4), fH = int(random, 1, 4), fW = int(random, 1, 4);
    const sH = int(random, 1, 3), sW = int(random, 1, 3), padding = random() < 0.5 ? SAME : VALID;
    if (padding === VALID && (fH > H || fW > W)) continue;
    const outH = outSize(padding, H, fH, sH, 1), outW = outSize(padding, W, fW, sW, 1);
    const padH = padBefore(H, fH, sH, 1, outH), padW = padBefore(W, fW, sW, 1, outW);
    const zp = type === 'int8' ? int(random, -10, 10) : 0, act = int(random, 0, 3);
    const X = T.from(ints(random, H * W * C, lo, hi));
    const [alo, ahi] = activationBounds(act, type, 0.25, zp);
    const avg = [], max = [];
    for (let oy = 0; oy < outH; oy++) for (let ox = 0; ox < outW; ox++) for (let c = 0; c < C; c++) {
      let sum = 0, count = 0, m = lo;
      for (let fy = 0; fy < fH; fy++) for (let fx = 0; fx < fW; fx++) {
        const iy = oy * sH - padH + fy, ix = ox * sW - padW + fx;
        if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
        const v = X[(iy * W + ix) * C + c];
        sum += v; count++; m = Math.max(m, v);
      }
      const half = Math.floor(count / 2);
      const q = Math.trunc(sum > 0 ? (sum + half) / count : (sum - half) / count);
      avg.push(Math.min(Math.max(q, alo), ahi));
      max.push(Math.min(Math.max(m, alo), ahi));
    }
    const shape = [[1, H, W, C], [1, outH, outW, C]];
    assertClose(runNode(poolModel('AVERAGE_POOL_2D', type, ...shape, [fH, fW], [sH, sW], padding, act, 0.25, zp), [X]), avg, 0, `avg ${i}`);
    assertClose(runNode(poolModel('MAX_POOL_2D', type, ...shape, [fH, fW], [sH, sW], padding, act, 0.25, zp), [X]), max, 0, `max ${i}`);
  }
});

test('pooling refuses different input and output quantization', () => {
  const model = opModel('AVERAGE_POOL_2D', [{ type: 'int8', shape: [1, 2, 2, 1], scale: 0.25, zeroPoint: 0 }, { type: 'int8', shape: [1, 1, 1, 1], scale: 0.5, zeroPoint: 0 }], [0],
    { padding: VALID, strideW: 1, strideH: 1, filterWidth: 2, filterHeight: 2 });
  assert.throws(() => new Interpreter(model, { resolver: allOps() }).allocateTensors(), /scale/);
});

// ---- reference TFLite ------------------------------------------------------------------------

test('int8 CONV_2D and DEPTHWISE_CONV_2D agree with reference TFLite (equal strides)', async t => {
  if (!(await referenceAvailable())) return t.skip('reference TFLite is not installed');
  // The WASM TFLite build zeroes its sums for SAME padding with unequal strides (where TFLM's
  // reference loops, and the independent model above, do not), so strides are kept equal here.
  let compared = 0;
  for (let seed = 5000; seed < 5012; seed++) {
    for (const make of [randomConv, randomDepthwise]) {
      const stride = 1 + (seed % 3);
      const { model, inputs } = make(seed, 'int8', { batches: 1, hasBias: true, sH: stride, sW: stride });
      const [ref] = await runReference(model, inputs);
      assertClose(runNode(model, inputs), ref, 0, `${make.name} seed ${seed}`);
      compared++;
    }
  }
  assert.equal(compared, 24);
});

// ---- golden cases ----------------------------------------------------------------------------

const CASES = ['person_detect', 'micro_speech_random', 'seanet_conv', 'seanet_transpose_conv'];

function runCaseOnNode(c) {
  const it = new Interpreter(c.model, { resolver: allOps() }).allocateTensors();
  c.inputs.forEach((bytes, i) => it.setInput(i, bytes));
  it.invoke();
  return c.outputs.map((_, i) => it.output(i).bytes.slice());
}

test('golden cases using these kernels match TFLM bit for bit on node', { skip: noCases }, () => {
  let checked = 0;
  for (const name of CASES) {
    for (const c of loadCases(name)) {
      const outs = runCaseOnNode(c);
      c.outputs.forEach((o, i) => assert.equal(worstDifference(o.dtype, outs[i], o.bytes), 0, `${c.name} output ${i}`));
      checked++;
    }
  }
  assert.ok(checked >= 13, `only ${checked} cases found`);
});

// ---- XS --------------------------------------------------------------------------------------

let xs = null;
async function engine() {
  if (!xs) xs = await XsEngine.start();
  return xs;
}
after(async () => { if (xs) await xs.close(); });

test('XS gives node\'s bits for every conv and pooling path', async () => {
  const e = await engine();
  const models = [];
  for (const type of ['int8', 'int16', 'float32']) {
    models.push(randomConv(1003, type), randomConv(1011, type), randomDepthwise(2005, type), randomTransposeConv(3004, type));
  }
  models.push(randomConv(500, 'int8', { fH: 1, fW: 1, fD: 16, outC: 7 }), randomDepthwise(700, 'int8', { fH: 3, fW: 3, mult: 1, inC: 8 }));
  models.push(randomDepthwise(703, 'int8', { fH: 10, fW: 8, mult: 8, inC: 1, sH: 2, sW: 2, dH: 1, dW: 1, inH: 13, inW: 12 }));
  // In-place paths: six positions with five left over, four with three, 3x3 sliding with
  // stride 2 and padding rows, four positions over 11 channels (a block of 8 and 3 left).
  models.push(randomConv(6100, 'int8', { batches: 1, inH: 1, inW: 11, fH: 1, fW: 1, fD: 33, outC: 9, sH: 1, sW: 1, dH: 1, dW: 1, act: ACT.RELU }));
  models.push(randomConv(6101, 'int8', { batches: 1, inH: 3, inW: 5, fH: 3, fW: 2, fD: 2, outC: 5, sH: 1, sW: 2, dH: 1, dW: 1, padding: SAME, act: ACT.NONE }));
  models.push(randomDepthwise(7100, 'int8', { batches: 1, inH: 7, inW: 9, fH: 3, fW: 3, mult: 1, inC: 5, sH: 2, sW: 2, dH: 1, dW: 1, padding: SAME, act: ACT.RELU }));
  models.push(randomDepthwise(7101, 'int8', { batches: 1, inH: 6, inW: 7, fH: 2, fW: 5, mult: 11, inC: 2, sH: 1, sW: 2, dH: 2, dW: 1, padding: SAME, act: ACT.RELU6 }));
  for (const [i, { model, inputs }] of models.entries()) {
    const want = runNode(model, inputs);
    await e.load(model);
    const r = await e.run(inputs.map(bytesOf), 1, [want.byteLength]);
    assert.deepEqual(r.outputs[0], bytesOf(want).slice(), `model ${i}`);
  }
});

// Costs are figures for `npm run bench`; here XS must give TFLM's bits with weights in place and
// with the packed weight cache.
test('XS: golden cases match TFLM with and without the weight cache', { skip: noCases }, async t => {
  const e = await engine();
  for (const name of ['person_detect_person', 'micro_speech_random_0', 'seanet_conv0', 'seanet_transpose_conv0']) {
    for (const c of loadCases(name)) {
      for (const weightCacheBytes of [0, 1 << 22]) {
        const meta = await e.load(c.model, { weightCacheBytes });
        const r = await e.run(c.inputs, c.steps, meta.outputs.map(o => o.byteLength));
        c.outputs.forEach((o, i) => assert.equal(worstDifference(o.dtype, r.outputs[i], o.bytes), 0, `${c.name} output ${i}, weight cache ${weightCacheBytes}`));
        if (name.startsWith('person') || name.startsWith('micro')) {
          const macs = countMacs(readModel(c.model)).total;
          t.diagnostic(`${name}, weight cache ${meta.weightCacheBytes} B: ${((await e.invoke(1)).computrons / macs).toFixed(2)} computrons per MAC`);
        }
      }
    }
  }
});
