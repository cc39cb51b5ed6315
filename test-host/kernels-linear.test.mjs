// Linear-algebra kernels: FULLY_CONNECTED, SOFTMAX, LOG_SOFTMAX, QUANTIZE, DEQUANTIZE, RESHAPE,
// CAST, SVDF. Expected values come from TFLM's kernel tests (their inputs, quantization and
// golden tables, with TFLM's tolerances), from an independent BigInt model of TFLM's integer
// FULLY_CONNECTED, from the shared golden cases (TFLM's outputs for whole models), from
// reference TFLite, and from the same models run inside XS.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { Interpreter, OpError } from './lib/tflite.mjs';
import { allOps } from './lib/kernels-all.mjs';
import { writeModel, runReference, referenceAvailable, XsEngine } from './lib/host.mjs';
import { haveCases, noCases, loadCases, worstDifference } from './lib/cases.mjs';

const f32 = Math.fround;
const TYPED = { float32: Float32Array, int8: Int8Array, uint8: Uint8Array, int16: Int16Array, int32: Int32Array, int64: BigInt64Array, bool: Uint8Array };
const RANGE = { int8: [-128, 127], uint8: [0, 255], int16: [-32768, 32767], int32: [-2147483648, 2147483647] };
const ACT = { NONE: 0, RELU: 1, RELU_N1_TO_1: 2, RELU6: 3 };

// ---- model building and running -------------------------------------------------------------

/** A one-operator model: `tensors` are the op's inputs then its outputs; constants carry data. */
function opModel(op, tensors, options = {}, outputCount = 1, opInputs = null) {
  const n = tensors.length;
  const first = n - outputCount;
  const ins = opInputs ?? tensors.slice(0, first).map((_, i) => i);
  const inputs = ins.filter(i => i >= 0 && !tensors[i].data && !tensors[i].isVariable);
  const outputs = [];
  for (let i = first; i < n; i++) outputs.push(i);
  const operator = { op, inputs: ins, outputs };
  if (Object.keys(options).length) operator.options = options;
  return writeModel({ subgraphs: [{ tensors, inputs, outputs, operators: [operator] }] });
}

/**
 * Runs `steps` invokes on one interpreter; returns every step's first output. Runs twice, with
 * weights read in place and with repacked weights (weightCacheBytes), which must agree to the bit.
 */
function runNode(model, inputs, steps = 1) {
  const results = [0, 1 << 24].map(weightCacheBytes => {
    const it = new Interpreter(model, { resolver: allOps(), weightCacheBytes }).allocateTensors();
    const outs = [];
    for (let s = 0; s < steps; s++) {
      inputs.forEach((values, i) => it.setInput(i, Array.isArray(values) ? values[s] : values));
      it.invoke();
      outs.push(it.output(0).data.slice());
    }
    return outs;
  });
  assert.deepEqual(results[1], results[0], 'packed weights give other results than weights in place');
  return steps === 1 ? results[0][0] : results[0];
}

const roundHalfAway = x => (x < 0 ? -Math.round(-x) : Math.round(x));

/** TFLM's test-helper Quantize: round(value / scale) in float, plus zero point, saturated. */
function quantize(values, type, scale, zeroPoint = 0) {
  const [lo, hi] = RANGE[type];
  return TYPED[type].from(values, v => Math.min(hi, Math.max(lo, roundHalfAway(f32(f32(v) / f32(scale))) + zeroPoint)));
}

/** TFLM's bias quantization: round(value / (inputScale · weightScale)) into int32 or int64. */
function quantizeBias(values, inputScale, weightScales, type = 'int32') {
  const scales = Array.isArray(weightScales) ? weightScales : values.map(() => weightScales);
  const q = values.map((v, i) => roundHalfAway(f32(v) / f32(f32(inputScale) * f32(scales[i]))));
  return type === 'int64' ? BigInt64Array.from(q, v => BigInt(v)) : Int32Array.from(q);
}

function assertNear(got, want, tolerance, what) {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++) {
    assert.ok(Math.abs(Number(got[i]) - Number(want[i])) <= tolerance, `${what}: element ${i} is ${got[i]}, expected ${want[i]} ± ${tolerance}`);
  }
}

const assertExact = (got, want, what) => assertNear(got, want, 0, what);

function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}
const bytesOf = a => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
const randomInts = (random, n, lo, hi) => Array.from({ length: n }, () => lo + Math.floor(random() * (hi - lo + 1)));

// ---- an independent model of TFLM's integer FULLY_CONNECTED (BigInt) -------------------------

/** std::frexp and TFLM's QuantizeMultiplier, computed independently of the library. */
function quantizeMultiplierRef(real) {
  if (real === 0) return [0n, 0];
  let exponent = 0, m = real;
  while (m >= 1) { m /= 2; exponent++; }
  while (m < 0.5) { m *= 2; exponent--; }
  let q = BigInt(roundHalfAway(m * 2 ** 31));
  if (q === 2n ** 31n) { q /= 2n; exponent++; }
  if (exponent < -31) return [0n, 0];
  return [q, exponent];
}

const INT32_MIN = -(2n ** 31n), INT32_MAX = 2n ** 31n - 1n;
const wrap32 = x => BigInt.asIntN(32, x);

function srdhmRef(a, b) {
  if (a === INT32_MIN && b === INT32_MIN) return INT32_MAX;
  const ab = a * b;
  const nudge = ab >= 0n ? 1n << 30n : 1n - (1n << 30n);
  return wrap32((ab + nudge) / (1n << 31n)); // BigInt division truncates like C
}

function rdpotRef(x, exponent) {
  const e = BigInt(exponent);
  const mask = (1n << e) - 1n;
  const remainder = x & mask;
  const threshold = (mask >> 1n) + (x < 0n ? 1n : 0n);
  return (x >> e) + (remainder > threshold ? 1n : 0n);
}

function mbqmRef(acc, multiplier, shift) {
  const left = shift > 0 ? shift : 0, right = shift > 0 ? 0 : -shift;
  return rdpotRef(srdhmRef(wrap32(acc * (1n << BigInt(left))), multiplier), right);
}

function mbqm64Ref(acc, multiplier, shift) {
  const reduced = multiplier < 0x7fff0000n ? (multiplier + (1n << 15n)) >> 16n : 0x7fffn;
  const total = BigInt(15 - shift);
  return wrap32((acc * reduced + (1n << (total - 1n))) >> total);
}

/** TFLM's reference FullyConnected / FullyConnectedPerChannel for integer types. */
function fullyConnectedRef({ x, w, bias, batches, units, depth, inScale, inZero, wScales, wZero, outScale, outZero, outType, act, wide }) {
  const [qmin, qmax] = RANGE[outType];
  let low = qmin, high = qmax;
  const q = v => outZero + roundHalfAway(f32(v / outScale));
  if (act === ACT.RELU || act === ACT.RELU6) low = Math.max(qmin, q(0));
  if (act === ACT.RELU6) high = Math.min(qmax, q(6));
  const perChannel = Array.isArray(wScales);
  const out = [];
  for (let b = 0; b < batches; b++) {
    for (let c = 0; c < units; c++) {
      let acc = 0n;
      for (let d = 0; d < depth; d++) {
        const wv = BigInt(w[c * depth + d] - (perChannel ? 0 : wZero));
        acc += wv * BigInt(x[b * depth + d] - inZero);
        if (!wide) acc = wrap32(acc);
      }
      if (bias) acc += BigInt(bias[c]);
      const real = perChannel ? inScale * wScales[c] / outScale : f32(inScale * wScales) / outScale;
      const [m, s] = quantizeMultiplierRef(real);
      const scaled = wide ? mbqm64Ref(acc, m, s) : mbqmRef(wrap32(acc), m, s);
      const v = Number(scaled) + outZero;
      out.push(Math.min(high, Math.max(low, v)));
    }
  }
  return out;
}

// ---- FULLY_CONNECTED: TFLM's kernel tests ----------------------------------------------------

const simpleInput = [1, 2, 3, 4, 5, 6, 7, 8, -9, -10, 1, 2, 3, 4, 5, 6, 7, -8, 9, -10];
const simpleWeights = [].concat(...[0, 1, 2].map(() => [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
const simpleBias = [1, 2, 3];
const simpleGolden = [24, 25, 26, 58, 59, 60];
const reluWeights = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, -1, -2, -3, -4, -5, -6, -7, -8, -9, -10, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
const reluBias = [1, -2, 3];

function fcFloatModel(inputShape, weights, bias, activation) {
  const tensors = [
    { type: 'float32', shape: inputShape },
    { type: 'float32', shape: [3, 10], data: Float32Array.from(weights) },
  ];
  if (bias) tensors.push({ type: 'float32', shape: [3], data: Float32Array.from(bias) });
  tensors.push({ type: 'float32', shape: [2, 3] });
  return opModel('FULLY_CONNECTED', tensors, { fusedActivationFunction: activation });
}

test('FULLY_CONNECTED float32 matches TFLM (simple, null bias, relu, 4-D input)', () => {
  const input = Float32Array.from(simpleInput);
  assertNear(runNode(fcFloatModel([2, 10], simpleWeights, simpleBias, ACT.NONE), [input]), simpleGolden, 1e-4, 'simple');
  assertNear(runNode(fcFloatModel([2, 10], simpleWeights, null, ACT.NONE), [input]), [23, 23, 23, 57, 57, 57], 1e-4, 'null bias');
  assertNear(runNode(fcFloatModel([2, 10], reluWeights, reluBias, ACT.RELU), [input]), [24, 0, 26, 58, 0, 60], 1e-4, 'relu');
  assertNear(runNode(fcFloatModel([1, 1, 2, 10], simpleWeights, simpleBias, ACT.NONE), [input]), simpleGolden, 1e-4, '4-D');
});

function fcQuantModel({ inType, inShape = [2, 10], inScale, inZero, weights, wScale, wZero = 0, bias, biasType = 'int32', outScale, outZero, act = ACT.NONE, units = 3, depth = 10 }) {
  const perChannel = Array.isArray(wScale);
  const wq = perChannel
    ? Int8Array.from(weights, (v, i) => Math.min(127, Math.max(-128, roundHalfAway(f32(f32(v) / f32(wScale[Math.floor(i / depth)]))))))
    : quantize(weights, 'int8', wScale, wZero);
  const tensors = [
    { type: inType, shape: inShape, scale: inScale, zeroPoint: inZero },
    { type: 'int8', shape: [units, depth], data: wq, scale: wScale, zeroPoint: perChannel ? wScale.map(() => 0) : wZero, quantizedDimension: 0 },
  ];
  if (bias) {
    const biasScale = perChannel ? wScale.map(s => f32(inScale * s)) : f32(inScale * wScale);
    tensors.push({ type: biasType, shape: [units], data: quantizeBias(bias, inScale, wScale, biasType), scale: biasScale, zeroPoint: perChannel ? wScale.map(() => 0) : 0 });
  }
  tensors.push({ type: inType, shape: [inShape[0] * inShape.slice(1, -1).reduce((a, b) => a * b, 1), units], scale: outScale, zeroPoint: outZero });
  return opModel('FULLY_CONNECTED', tensors, { fusedActivationFunction: act });
}

test('FULLY_CONNECTED int8 matches TFLM (per-tensor, 4-D input, relu, per-channel)', () => {
  const spec = { inType: 'int8', inScale: 1, inZero: -1, weights: simpleWeights, wScale: 1, bias: simpleBias, outScale: 0.5, outZero: -1 };
  const input = quantize(simpleInput, 'int8', 1, -1);
  assertExact(runNode(fcQuantModel(spec), [input]), quantize(simpleGolden, 'int8', 0.5, -1), 'simple');
  assertExact(runNode(fcQuantModel({ ...spec, inShape: [1, 1, 2, 10] }), [input]), quantize(simpleGolden, 'int8', 0.5, -1), '4-D input');
  const relu = { ...spec, weights: reluWeights, bias: reluBias, outZero: -128, act: ACT.RELU };
  assertExact(runNode(fcQuantModel(relu), [input]), quantize([24, 0, 26, 58, 0, 60], 'int8', 0.5, -128), 'relu');
  const perChannel = { ...spec, inScale: 0.5, wScale: [0.2, 0.25, 0.5], outScale: 1 };
  const input2 = quantize(simpleInput, 'int8', 0.5, -1);
  assertExact(runNode(fcQuantModel(perChannel), [input2]), quantize(simpleGolden, 'int8', 1, -1), 'per-channel');
});

test('FULLY_CONNECTED int16x8 matches TFLM (int64 bias, per-tensor and per-channel)', () => {
  const scale = 128 / 65536;
  const input = quantize(simpleInput, 'int16', scale, 0);
  const want = quantize(simpleGolden, 'int16', scale, 0);
  const spec = { inType: 'int16', inScale: scale, inZero: 0, weights: simpleWeights, wScale: 1, bias: simpleBias, biasType: 'int64', outScale: scale, outZero: 0 };
  assertExact(runNode(fcQuantModel(spec), [input]), want, 'per-tensor');
  assertExact(runNode(fcQuantModel({ ...spec, wScale: [0.2, 0.25, 0.5] }), [input]), want, 'per-channel');
  // An int32 bias selects TFLM's int32-accumulator variant.
  assertExact(runNode(fcQuantModel({ ...spec, biasType: 'int32' }), [input]), want, 'int32 bias');
});

// ---- FULLY_CONNECTED: every path against the BigInt model ------------------------------------

function randomFc(seed, { inType = 'int8', batches, units, depth, perChannel = false, wZero = 0, act = ACT.NONE, extreme = false, biasType = 'int32', noBias = false, dynamicWeights = false, keepDims = false }) {
  const random = rng(seed);
  const [lo, hi] = RANGE[inType];
  const x = extreme ? new Array(batches * depth).fill(lo) : randomInts(random, batches * depth, lo, hi);
  const w = extreme ? new Array(units * depth).fill(-128) : randomInts(random, units * depth, -128, 127);
  const bias = noBias ? null : randomInts(random, units, -5000, 5000);
  const inScale = inType === 'int8' ? 0.02 + random() * 0.05 : 1 / 4096;
  const inZero = inType === 'int8' ? Math.floor(random() * 20) - 10 : 0;
  const wScales = perChannel ? Array.from({ length: units }, () => 0.001 + random() * 0.01) : 0.001 + random() * 0.01;
  const outScale = inType === 'int8' ? 0.05 + random() * 0.2 : 1 / 2048;
  const outZero = inType === 'int8' ? Math.floor(random() * 30) - 15 : 0;
  const wide = inType === 'int16' && biasType === 'int64';
  const tensors = [
    { type: inType, shape: keepDims ? [2, batches / 2, depth] : [batches, depth], scale: inScale, zeroPoint: inZero },
    {
      type: 'int8', shape: [units, depth], data: dynamicWeights ? undefined : Int8Array.from(w),
      scale: wScales, zeroPoint: perChannel ? wScales.map(() => 0) : wZero, quantizedDimension: 0,
    },
    noBias
      ? null
      : {
        type: biasType, shape: [units],
        data: biasType === 'int64' ? BigInt64Array.from(bias, v => BigInt(v)) : Int32Array.from(bias),
        scale: perChannel ? wScales.map(s => inScale * s) : inScale * wScales, zeroPoint: perChannel ? wScales.map(() => 0) : 0,
      },
    { type: inType, shape: keepDims ? [2, batches / 2, units] : [batches, units], scale: outScale, zeroPoint: outZero },
  ];
  const opInputs = noBias ? [0, 1, -1] : [0, 1, 2];
  const model = writeModel({
    subgraphs: [{
      tensors: tensors.map(t => t ?? { type: 'int32', shape: [1] }),
      inputs: dynamicWeights ? [0, 1] : [0], outputs: [3],
      operators: [{ op: 'FULLY_CONNECTED', inputs: opInputs, outputs: [3], options: { fusedActivationFunction: act, keepNumDims: keepDims } }],
    }],
  });
  const want = fullyConnectedRef({
    x, w, bias, batches, units, depth, inScale: f32(inScale), inZero, wScales: perChannel ? wScales.map(f32) : f32(wScales),
    wZero, outScale: f32(outScale), outZero, outType: inType, act, wide,
  });
  const inputs = [TYPED[inType].from(x)];
  if (dynamicWeights) inputs.push(Int8Array.from(w));
  return { model, inputs, want };
}

const FC_CASES = [
  ['int8 packed, odd units, 3 batches', 1, { batches: 3, units: 7, depth: 301 }],
  ['int8 packed, weight zero point, relu6', 2, { batches: 2, units: 6, depth: 77, wZero: 5, act: ACT.RELU6 }],
  ['int8 per-channel, no bias', 3, { batches: 1, units: 9, depth: 130, perChannel: true, noBias: true }],
  ['int8 extreme values (packed sums at their bound)', 4, { batches: 1, units: 4, depth: 1000, extreme: true }],
  ['int8 one unit (unpacked)', 5, { batches: 4, units: 1, depth: 33 }],
  ['int8 weights as a model input', 6, { batches: 2, units: 5, depth: 40, dynamicWeights: true }],
  ['int16x8 int64 bias', 7, { inType: 'int16', batches: 2, units: 5, depth: 200 }],
  ['int16x8 int64 bias, extreme values', 8, { inType: 'int16', batches: 1, units: 3, depth: 500, extreme: true }],
  ['int16x8 per-channel', 9, { inType: 'int16', batches: 1, units: 4, depth: 64, perChannel: true }],
  ['int16x8 int32 bias', 10, { inType: 'int16', batches: 1, units: 4, depth: 64, biasType: 'int32' }],
  // Weights read in place: row views for long rows (8 rows a pass, then 4, the last of 3 repeated),
  // offsets into the matrix otherwise (8 rows, then 4, then one by one); depths off the 8-step.
  ['int8 row views, 3 units (one repeated row)', 11, { batches: 1, units: 3, depth: 257 }],
  ['int8 row views, 5 units, 2 batches (input row copy)', 12, { batches: 2, units: 5, depth: 300 }],
  ['int8 row views, 7 units, per-channel, relu', 13, { batches: 1, units: 7, depth: 263, perChannel: true, act: ACT.RELU }],
  ['int8 row views, keep_num_dims, weight zero point', 14, { batches: 4, units: 6, depth: 512, wZero: -3, keepDims: true }],
  // Reference TFLite's int16 kernel rounds this one's int64 sums a step away from TFLM's on one
  // element; the BigInt model of TFLM is the judge (noReference).
  ['int16x8 row views, int64 bias', 15, { inType: 'int16', batches: 2, units: 9, depth: 259, noReference: true }],
  ['int8 row views, 8 + 8 + 3 units, 2 batches', 23, { batches: 2, units: 19, depth: 300 }],
  ['int8 row offsets, 8 + 3 units', 16, { batches: 1, units: 11, depth: 63 }],
  ['int8 row offsets, 8 + 4 + 1 units, 3 batches', 17, { batches: 3, units: 13, depth: 9 }],
  ['int8 row offsets, 8 + 8 + 2 units, per-channel, keep_num_dims', 18, { batches: 2, units: 18, depth: 70, perChannel: true, keepDims: true }],
  ['int8 row offsets, depth 1, extreme values', 19, { batches: 1, units: 12, depth: 1, extreme: true }],
  ['int8 row offsets, extreme values (large sums)', 20, { batches: 1, units: 16, depth: 255, extreme: true }],
  ['int16x8 row offsets, int32 bias, relu6', 21, { inType: 'int16', batches: 2, units: 10, depth: 31, biasType: 'int32', act: ACT.RELU6 }],
  ['int8 weights as a model input, 8 + 4 + 2 units', 22, { batches: 2, units: 14, depth: 300, dynamicWeights: true }],
];

test('FULLY_CONNECTED agrees with a BigInt model of TFLM on every path', () => {
  for (const [name, seed, spec] of FC_CASES) {
    const { model, inputs, want } = randomFc(seed, spec);
    assertExact(runNode(model, inputs), want, name);
  }
});

test('FULLY_CONNECTED int8 agrees with reference TFLite', async t => {
  if (!(await referenceAvailable())) return t.skip('reference TFLite is not installed');
  // Reference TFLite ignores a weight zero point (TFLM's reference applies it), so those cases stay out.
  for (const [name, seed, spec] of FC_CASES.filter(([, , spec]) => !spec.wZero && !spec.dynamicWeights && !spec.noReference)) {
    const { model, inputs } = randomFc(seed, spec);
    const [ref] = await runReference(model, inputs);
    assertExact(runNode(model, inputs), ref, name);
  }
});

test('FULLY_CONNECTED refuses what it cannot run', () => {
  const bad = opModel('FULLY_CONNECTED', [
    { type: 'int8', shape: [1, 4], scale: 1, zeroPoint: 0 },
    { type: 'float32', shape: [2, 4], data: new Float32Array(8) },
    { type: 'int8', shape: [1, 2], scale: 1, zeroPoint: 0 },
  ]);
  assert.throws(() => new Interpreter(bad, { resolver: allOps() }).allocateTensors(), e => e instanceof OpError && /weights/.test(e.message));
  const shape = opModel('FULLY_CONNECTED', [
    { type: 'float32', shape: [1, 5] },
    { type: 'float32', shape: [2, 4], data: new Float32Array(8) },
    { type: 'float32', shape: [1, 2] },
  ]);
  assert.throws(() => new Interpreter(shape, { resolver: allOps() }).allocateTensors(), e => e instanceof OpError && /FULLY_CONNECTED/.test(e.message));
});

// ---- SOFTMAX ---------------------------------------------------------------------------------

const softmaxIn1d = [1, 2, 3, 4, 5];
const softmaxGolden1d = [0.011656231, 0.031684921, 0.086128544, 0.234121657, 0.636408647];
const softmaxIn2d = [1, 2, 3, 4, 5, -1, -2, -3, -4, -5];
const softmaxGolden2d = [...softmaxGolden1d, ...softmaxGolden1d.slice().reverse()];
const softmaxIn3d = [3, 6, -5, 4, -9, -10, -10, -8, 2, 2, 8, -5, -8, 5, -6, -8, 6, 1, -10, -8, 7, 6, -10, -4, -5, 2, 7, 9, -9, 7,
  -4, -2, 8, 2, 2, 3, 6, 6, 2, 4, 9, 7, -7, 0, 4, -3, 8, 8, -3, -4, -9, -9, 4, -8, -1, -10, -2, 6, -7, 0];
const softmaxGolden3d = [
  0.042009463, 0.843782625, 0.000014093, 0.114193561, 0.000000258, 0.000003072, 0.000003072, 0.000022699, 0.499985578, 0.499985578,
  0.952571219, 0.000002153, 0.000000107, 0.047425728, 0.000000792, 0.000000826, 0.993305397, 0.006692839, 0.000000112, 0.000000826,
  0.731046347, 0.268936922, 0.000000030, 0.000012210, 0.000004492, 0.000717124, 0.106430599, 0.786421666, 0.000000012, 0.106430599,
  0.000006114, 0.000045174, 0.995015917, 0.002466398, 0.002466398, 0.022595176, 0.453836234, 0.453836234, 0.008312301, 0.061420055,
  0.875505904, 0.118486839, 0.000000099, 0.000108046, 0.005899112, 0.000008351, 0.499990113, 0.499990113, 0.000008351, 0.000003072,
  0.000002245, 0.000002245, 0.993296627, 0.000006103, 0.006692780, 0.000000112, 0.000334520, 0.997191323, 0.000002254, 0.002471790];
const SOFTMAX_SETS = [[[1, 5], softmaxIn1d, softmaxGolden1d], [[2, 5], softmaxIn2d, softmaxGolden2d], [[3, 4, 5], softmaxIn3d, softmaxGolden3d]];

const softmaxModel = (shape, inType, inScale, inZero, outType, outScale, outZero, beta = 1) => opModel('SOFTMAX', [
  { type: inType, shape, scale: inScale, zeroPoint: inZero },
  { type: outType, shape, scale: outScale, zeroPoint: outZero },
], { beta });

test('SOFTMAX matches TFLM: float32, int8, int16 (TFLM tolerances: 1e-5, 1 and 7 steps)', () => {
  for (const [shape, input, golden] of SOFTMAX_SETS) {
    const what = `${shape.length}-D`;
    assertNear(runNode(softmaxModel(shape, 'float32', 0, 0, 'float32', 0, 0), [Float32Array.from(input)]), golden, 1e-5, `float ${what}`);
    assertNear(runNode(softmaxModel(shape, 'int8', 0.1, 0, 'int8', 1 / 256, -128), [quantize(input, 'int8', 0.1, 0)]),
      quantize(golden, 'int8', 1 / 256, -128), 1, `int8 ${what}`);
    assertNear(runNode(softmaxModel(shape, 'int16', 0.1, 0, 'int16', 1 / 32768, 0), [quantize(input, 'int16', 0.1, 0)]),
      quantize(golden, 'int16', 1 / 32768, 0), 7, `int16 ${what}`);
  }
});

test('SOFTMAX int8 → int16 and beta', () => {
  const shape = [2, 5];
  const got = runNode(softmaxModel(shape, 'int8', 0.1, 0, 'int16', 1 / 65536, -32768), [quantize(softmaxIn2d, 'int8', 0.1, 0)]);
  assertNear(got, quantize(softmaxGolden2d, 'int16', 1 / 65536, -32768), 2, 'int8 → int16');
  // beta scales the logits: softmax(2x) computed in float.
  const doubled = softmaxIn2d.map(v => 2 * v);
  const want = [0, 1].flatMap(r => {
    const row = doubled.slice(5 * r, 5 * r + 5), m = Math.max(...row), e = row.map(v => Math.exp(v - m)), s = e.reduce((a, b) => a + b);
    return e.map(v => v / s);
  });
  assertNear(runNode(softmaxModel(shape, 'float32', 0, 0, 'float32', 0, 0, 2), [Float32Array.from(softmaxIn2d)]), want, 1e-6, 'float beta 2');
  assertNear(runNode(softmaxModel(shape, 'int8', 0.1, 0, 'int8', 1 / 256, -128, 2), [quantize(softmaxIn2d, 'int8', 0.1, 0)]),
    quantize(want, 'int8', 1 / 256, -128), 1, 'int8 beta 2');
});

test('SOFTMAX int8 drops differences beyond its input radius as TFLM does', () => {
  // Input scale 0.5: the radius is 31 steps (15.5 in real terms); farther values give exactly 0.
  const input = Int8Array.from([-128, -100, -40, 0, 90, 100, 110, 120, 126, 127]);
  const real = Array.from(input, v => v * 0.5);
  const m = Math.max(...real), e = real.map(v => Math.exp(v - m)), s = e.reduce((a, b) => a + b);
  const got = runNode(softmaxModel([1, 10], 'int8', 0.5, 0, 'int8', 1 / 256, -128), [input]);
  assertNear(got, quantize(e.map(v => v / s), 'int8', 1 / 256, -128), 1, 'int8 softmax, wide input');
  for (let i = 0; i < 4; i++) assert.equal(got[i], -128, `element ${i} is beyond the radius`);
});

test('SOFTMAX int16 agrees with reference TFLite to the bit', async t => {
  if (!(await referenceAvailable())) return t.skip('reference TFLite is not installed');
  const random = rng(11);
  const shape = [4, 33];
  const input = Int16Array.from(randomInts(random, 4 * 33, -32768, 32767));
  const model = softmaxModel(shape, 'int16', 0.0005, 0, 'int16', 1 / 32768, 0);
  const [ref] = await runReference(model, [input]);
  assertExact(runNode(model, [input]), ref, 'int16 softmax');
});

test('SOFTMAX refuses output quantization TFLM refuses', () => {
  const model = softmaxModel([1, 5], 'int8', 0.1, 0, 'int8', 1 / 128, -128);
  assert.throws(() => new Interpreter(model, { resolver: allOps() }).allocateTensors(), e => e instanceof OpError && /1\/256/.test(e.message));
});

// ---- LOG_SOFTMAX -----------------------------------------------------------------------------

test('LOG_SOFTMAX matches TFLM: float32 goldens and int8 to the bit', () => {
  const input = [0, -6, 2, 4, 3, -2, 10, 1];
  const model = shape => opModel('LOG_SOFTMAX', [{ type: 'float32', shape }, { type: 'float32', shape }]);
  assertNear(runNode(model([2, 4]), [Float32Array.from(input)]),
    [-4.14297, -10.14297, -2.14297, -0.142971, -7.00104, -12.00104, -0.00104087, -9.00104], 1e-5, 'float [2, 4]');
  assertNear(runNode(model([4, 2]), [Float32Array.from(input)]),
    [-0.00247565, -6.00247, -2.12692, -0.126928, -0.00671534, -5.00671, -0.000123374, -9.00012], 1e-5, 'float [4, 2]');
  assertNear(runNode(model([2, 5]), [Float32Array.from(softmaxIn2d)]),
    [-4.45191431, -3.45191431, -2.45191431, -1.45191443, -0.4519144, -0.4519144, -1.45191443, -2.45191431, -3.45191431, -4.45191431], 1e-6, 'float [2, 5]');

  // TFLM's ScaleFromMinMax / ZeroPointFromMinMax for int8 over [min, max].
  const int8Model = (shape, min, max) => {
    const scale = f32(f32(max - min) / 255);
    const zero = -128 + roundHalfAway(f32(-min / scale));
    return [opModel('LOG_SOFTMAX', [{ type: 'int8', shape, scale, zeroPoint: zero }, { type: 'int8', shape, scale: 16 / 256, zeroPoint: 127 }]), scale, zero];
  };
  let [m, scale, zero] = int8Model([2, 4], -10, 10);
  assertExact(runNode(m, [quantize(input, 'int8', scale, zero)]), [61, -36, 93, 125, 15, -65, 127, -16], 'int8 [2, 4]');
  [m, scale, zero] = int8Model([3, 1], -1, 1);
  assertExact(runNode(m, [quantize([0, -1, 1], 'int8', scale, zero)]), [127, 127, 127], 'int8 [3, 1]');
});

// ---- QUANTIZE, DEQUANTIZE --------------------------------------------------------------------

test('QUANTIZE matches TFLM: float → int8/int16, and requantization between integer types', () => {
  const quantizeModel = (inType, inScale, inZero, outType, outScale, outZero) => opModel('QUANTIZE', [
    { type: inType, shape: [2, 5], scale: inScale, zeroPoint: inZero },
    { type: outType, shape: [2, 5], scale: outScale, zeroPoint: outZero },
  ]);
  const fromFloat = (values, type, scale, zero) => {
    const got = runNode(quantizeModel('float32', undefined, undefined, type, scale, zero), [Float32Array.from(values)]);
    assertExact(got, quantize(values, type, scale, zero), `float → ${type} scale ${scale}`);
  };
  fromFloat([-63.5, -63, -62.5, -62, -61.5, 62, 62.5, 63, 63.5, 64], 'int16', 0.5, -1);
  fromFloat([-128, -127, -126, -125, -124, 123, 124, 125, 126, 127], 'int16', 1, 0);
  fromFloat([-63.5, -63, -62.5, -62, -61.5, 62, 62.5, 63, 63.5, 64], 'int8', 0.5, -1);
  fromFloat([-128, -127, -126, -125, -124, 123, 124, 125, 126, 127], 'int8', 1, 0);

  const requantize = (values, inType, inScale, inZero, outType, outScale, outZero) => {
    const input = inType === 'int32' ? Int32Array.from(values, v => roundHalfAway(v / inScale) + inZero) : quantize(values, inType, inScale, inZero);
    const got = runNode(quantizeModel(inType, inScale, inZero, outType, outScale, outZero), [input]);
    assertExact(got, quantize(values, outType, outScale, outZero), `${inType} → ${outType}`);
  };
  const wide = [-64, -62, -60, -58, -56, 54, 56, 58, 60, 62];
  const narrow = [-32, -31, -30, -29, -28, 27, 28, 29, 30, 31];
  requantize(wide, 'int16', 2, 0, 'int16', 0.5, 32);
  requantize(narrow, 'int16', 1, 0, 'int16', 0.5, 0);
  requantize(wide, 'int8', 2, 0, 'int8', 0.5, 32);
  requantize(narrow, 'int8', 1, 0, 'int8', 0.5, 0);
  requantize(wide, 'int8', 2, 0, 'int16', 0.5, 32);
  requantize(narrow, 'int32', 0.4, 0, 'int16', 1, 0);
  requantize(narrow, 'int32', 0.4, 0, 'int8', 1, 0);
  requantize(wide, 'int16', 2, 0, 'int8', 0.5, 0);
  requantize(narrow, 'int8', 1, 0, 'uint8', 0.5, 128);
  requantize(narrow, 'int8', 1, -63, 'uint8', 0.5, 127);
  requantize(narrow, 'uint8', 1, 127, 'int8', 0.5, 0);
});

test('DEQUANTIZE: (q - zeroPoint) · scale rounded to float32', () => {
  for (const [type, scale, zero, values] of [
    ['int8', 0.5, -1, [-128, -1, 0, 1, 127]],
    ['uint8', 0.25, 127, [0, 1, 127, 128, 255]],
    ['int16', 1 / 3, 0, [-32768, -1, 0, 7, 32767]],
  ]) {
    const model = opModel('DEQUANTIZE', [{ type, shape: [5], scale, zeroPoint: zero }, { type: 'float32', shape: [5] }]);
    assertExact(runNode(model, [TYPED[type].from(values)]), values.map(q => f32(f32(scale) * (q - zero))), type);
  }
});

// ---- RESHAPE, CAST ---------------------------------------------------------------------------

test('RESHAPE copies the bytes under the new shape, from an input, an option or the output', () => {
  const data = Int16Array.from({ length: 24 }, (_, i) => i * 7 - 50);
  const viaInput = opModel('RESHAPE', [
    { type: 'int16', shape: [2, 3, 4], scale: 1, zeroPoint: 0 },
    { type: 'int32', shape: [2], data: Int32Array.from([-1, 6]) },
    { type: 'int16', shape: [4, 6], scale: 1, zeroPoint: 0 },
  ]);
  assertExact(runNode(viaInput, [data]), data, 'shape input');
  const viaOption = opModel('RESHAPE', [{ type: 'int16', shape: [2, 3, 4] }, { type: 'int16', shape: [24] }], { newShape: [24] });
  assertExact(runNode(viaOption, [data]), data, 'new_shape option');
  const mismatch = opModel('RESHAPE', [
    { type: 'int16', shape: [2, 3, 4] },
    { type: 'int32', shape: [2], data: Int32Array.from([3, 8]) },
    { type: 'int16', shape: [4, 6] },
  ]);
  assert.throws(() => new Interpreter(mismatch, { resolver: allOps() }).allocateTensors(), e => e instanceof OpError && /does not match/.test(e.message));
});

test('CAST converts as C static_cast does', () => {
  const cast = (inType, outType, values) => {
    const model = opModel('CAST', [{ type: inType, shape: [values.length] }, { type: outType, shape: [values.length] }]);
    const input = TYPED[inType].from(values);
    // int64 travels as raw bytes (the engine holds it as int32 pairs).
    const out = runNode(model, [inType === 'int64' ? bytesOf(input) : input]);
    return outType === 'int64' ? new BigInt64Array(out.buffer, out.byteOffset, out.length / 2) : out;
  };
  assertExact(cast('float32', 'int32', [1.9, -1.9, 0.5, -0.5, 100.25, -2147483000]), [1, -1, 0, 0, 100, -2147483008], 'float → int32');
  assertExact(cast('int32', 'float32', [1, -7, 16777217, 123456789]), [1, -7, 16777216, 123456792], 'int32 → float');
  assertExact(cast('int32', 'int8', [127, 128, -129, 300, -1]), [127, -128, 127, 44, -1], 'int32 → int8 wraps');
  assertExact(cast('int16', 'int32', [-32768, -1, 0, 32767]), [-32768, -1, 0, 32767], 'int16 → int32');
  assertExact(cast('int8', 'uint8', [-1, -128, 5]), [255, 128, 5], 'int8 → uint8');
  assertExact(cast('float32', 'bool', [0, -0, 0.1, -3]), [0, 0, 1, 1], 'float → bool');
  assertExact(cast('bool', 'float32', [0, 1, 1]), [0, 1, 1], 'bool → float');
  assertExact(cast('int32', 'int64', [-1, 5, -2147483648]), [-1n, 5n, -2147483648n], 'int32 → int64');
  assertExact(cast('int64', 'int32', [-1n, 4294967301n, -4294967296n]), [-1, 5, 0], 'int64 → int32 keeps the low bits');
  assertExact(cast('int64', 'float32', [-3n, 1n << 40n]), [-3, 2 ** 40], 'int64 → float');
});

// ---- SVDF ------------------------------------------------------------------------------------

/** SVDF float32 over several invokes, written from the op's definition. */
function svdfFloatRef({ x, wf, wt, bias, batches, inputSize, filters, memory, rank, steps }) {
  const units = filters / rank;
  const state = new Float64Array(batches * filters * memory);
  const outs = [];
  for (let s = 0; s < steps; s++) {
    const out = [];
    for (let b = 0; b < batches; b++) {
      for (let f = 0; f < filters; f++) {
        const base = (b * filters + f) * memory;
        for (let m = 0; m < memory - 1; m++) state[base + m] = state[base + m + 1];
        let dot = 0;
        for (let i = 0; i < inputSize; i++) dot += wf[f * inputSize + i] * x[s][b * inputSize + i];
        state[base + memory - 1] = dot;
      }
      for (let u = 0; u < units; u++) {
        let sum = bias[u];
        for (let r = 0; r < rank; r++) {
          const f = u * rank + r;
          for (let m = 0; m < memory; m++) sum += wt[f * memory + m] * state[(b * filters + f) * memory + m];
        }
        out.push(sum);
      }
    }
    outs.push(out);
  }
  return outs;
}

test('SVDF float32 keeps its state across invokes and matches the definition', () => {
  const random = rng(21);
  const batches = 2, inputSize = 3, filters = 4, memory = 10, rank = 2, steps = 5;
  const rand = n => Array.from({ length: n }, () => f32(random() * 2 - 1));
  const spec = { wf: rand(filters * inputSize), wt: rand(filters * memory), bias: rand(filters / rank), batches, inputSize, filters, memory, rank, steps };
  spec.x = Array.from({ length: steps }, () => rand(batches * inputSize));
  const model = writeModel({
    subgraphs: [{
      tensors: [
        { type: 'float32', shape: [batches, inputSize] },
        { type: 'float32', shape: [filters, inputSize], data: Float32Array.from(spec.wf) },
        { type: 'float32', shape: [filters, memory], data: Float32Array.from(spec.wt) },
        { type: 'float32', shape: [filters / rank], data: Float32Array.from(spec.bias) },
        { type: 'float32', shape: [batches, memory * filters], isVariable: true },
        { type: 'float32', shape: [batches, filters / rank] },
      ],
      inputs: [0], outputs: [5],
      operators: [{ op: 'SVDF', inputs: [0, 1, 2, 3, 4], outputs: [5], options: { rank } }],
    }],
  });
  const got = runNode(model, [spec.x.map(v => Float32Array.from(v))], steps);
  const want = svdfFloatRef(spec);
  for (let s = 0; s < steps; s++) assertNear(got[s], want[s], 1e-5, `step ${s}`);
});

/** TFLM's EvalIntegerSvdfReference, transcribed loop for loop (BigInt requantization). */
function svdfIntegerRef({ x, wf, wt, bias, batches, inputSize, filters, memory, rank, steps, zx, zs, zo, m1, m2, stateType }) {
  const units = filters / rank;
  const [smin, smax] = RANGE[stateType];
  const state = new Array(batches * filters * memory).fill(zs);
  const outs = [];
  for (let s = 0; s < steps; s++) {
    for (let i = 0; i + 1 < state.length; i++) state[i] = state[i + 1];
    for (let b = 0; b < batches; b++) {
      for (let f = 0; f < filters; f++) {
        let dot = 0n;
        for (let i = 0; i < inputSize; i++) dot = wrap32(dot + BigInt(wf[f * inputSize + i] * (x[s][b * inputSize + i] - zx)));
        const v = Math.min(smax, Math.max(smin, Number(mbqmRef(dot, m1[0], m1[1]))));
        // The store into the int8 / int16 state wraps, as the reference's cast does.
        state[(b * filters + f) * memory + memory - 1] = stateType === 'int8' ? ((zs + v) << 24) >> 24 : ((zs + v) << 16) >> 16;
      }
    }
    const out = [];
    for (let b = 0; b < batches; b++) {
      for (let u = 0; u < units; u++) {
        let sum = BigInt(bias[u]);
        for (let r = 0; r < rank; r++) {
          const f = u * rank + r;
          let dot = 0n;
          for (let m = 0; m < memory; m++) dot = wrap32(dot + BigInt(wt[f * memory + m] * (state[(b * filters + f) * memory + m] - zs)));
          sum = wrap32(sum + dot);
        }
        out.push(Math.min(127, Math.max(-128, Number(mbqmRef(sum, m2[0], m2[1])) + zo)));
      }
    }
    outs.push(out);
  }
  return outs;
}

/** An integer SVDF model over `steps` invokes, its inputs, and what TFLM's algorithm gives. */
function svdfIntegerCase([stateType, seed, batches, inputSize, filters, memory, rank]) {
  const random = rng(seed);
  const steps = 4;
  const [tlo, thi] = RANGE[stateType];
  const spec = {
    wf: randomInts(random, filters * inputSize, -128, 127), wt: randomInts(random, filters * memory, tlo >> 2, thi >> 2),
    bias: randomInts(random, filters / rank, -3000, 3000), batches, inputSize, filters, memory, rank, steps, stateType,
    zx: -3, zs: stateType === 'int8' ? 4 : 0, zo: 7,
  };
  spec.x = Array.from({ length: steps }, () => randomInts(random, batches * inputSize, -128, 127));
  const sx = 0.05, swf = 0.004, ss = stateType === 'int8' ? 0.02 : 0.0005, swt = 0.003, so = 0.01;
  spec.m1 = quantizeMultiplierRef(f32(f32(sx * swf) / ss));
  spec.m2 = quantizeMultiplierRef(f32(f32(ss * swt) / so));
  const model = writeModel({
    subgraphs: [{
      tensors: [
        { type: 'int8', shape: [batches, inputSize], scale: sx, zeroPoint: spec.zx },
        { type: 'int8', shape: [filters, inputSize], data: Int8Array.from(spec.wf), scale: swf, zeroPoint: 0 },
        { type: stateType, shape: [filters, memory], data: TYPED[stateType].from(spec.wt), scale: swt, zeroPoint: 0 },
        { type: 'int32', shape: [filters / rank], data: Int32Array.from(spec.bias), scale: f32(ss * swt), zeroPoint: 0 },
        { type: stateType, shape: [batches, memory * filters], scale: ss, zeroPoint: spec.zs, isVariable: true },
        { type: 'int8', shape: [batches, filters / rank], scale: so, zeroPoint: spec.zo },
      ],
      inputs: [0], outputs: [5],
      operators: [{ op: 'SVDF', inputs: [0, 1, 2, 3, 4], outputs: [5], options: { rank } }],
    }],
  });
  return { model, steps, inputs: [spec.x.map(v => Int8Array.from(v))], want: svdfIntegerRef(spec) };
}

// [state type, seed, batches, input size, filters, memory, rank]: filters in groups of 8, then 4
// (the last of 3 repeated), then one by one; input sizes off the 8-step.
const SVDF_INT_CASES = [
  ['int16', 41, 2, 20, 6, 5, 2], ['int8', 42, 1, 33, 9, 4, 3], ['int16', 43, 1, 150, 8, 12, 1],
  ['int16', 44, 2, 37, 11, 3, 1], ['int8', 45, 3, 9, 14, 6, 2], ['int16', 46, 1, 64, 20, 8, 4], ['int16', 47, 1, 1, 13, 8, 1],
];

test('SVDF int8 (int16 and int8 state) matches TFLM\'s integer algorithm over several invokes', () => {
  for (const tuple of SVDF_INT_CASES) {
    const { model, steps, inputs, want } = svdfIntegerCase(tuple);
    const got = runNode(model, inputs, steps);
    for (let s = 0; s < steps; s++) assertExact(got[s], want[s], `${tuple[0]} state, seed ${tuple[1]}, step ${s}`);
  }
});

test('SVDF int8 with int16 state agrees with reference TFLite', async t => {
  if (!(await referenceAvailable())) return t.skip('reference TFLite is not installed');
  const random = rng(51);
  const inputSize = 24, filters = 8, memory = 6, rank = 2;
  // Reference TFLite insists on a RELU activation for integer SVDF (TFLM ignores it there).
  const model = writeModel({
    subgraphs: [{
      tensors: [
        { type: 'int8', shape: [1, inputSize], scale: 0.05, zeroPoint: -3 },
        { type: 'int8', shape: [filters, inputSize], data: Int8Array.from(randomInts(random, filters * inputSize, -128, 127)), scale: 0.004, zeroPoint: 0 },
        { type: 'int16', shape: [filters, memory], data: Int16Array.from(randomInts(random, filters * memory, -3000, 3000)), scale: 0.003, zeroPoint: 0 },
        { type: 'int32', shape: [filters / rank], data: Int32Array.from(randomInts(random, filters / rank, -3000, 3000)), scale: f32(0.0005 * 0.003), zeroPoint: 0 },
        { type: 'int16', shape: [1, memory * filters], scale: 0.0005, zeroPoint: 0, isVariable: true },
        { type: 'int8', shape: [1, filters / rank], scale: 0.01, zeroPoint: 7 },
      ],
      inputs: [0], outputs: [5],
      operators: [{ op: 'SVDF', inputs: [0, 1, 2, 3, 4], outputs: [5], options: { rank, fusedActivationFunction: ACT.RELU } }],
    }],
  });
  const input = Int8Array.from(randomInts(random, inputSize, -128, 127));
  const [ref] = await runReference(model, [input]);
  assertExact(runNode(model, [input]), ref, 'one invoke');
});

// ---- whole models: the shared golden cases ---------------------------------------------------

const skipCases = noCases;
const LINEAR_CASES = ['hello_world', 'keyword_scrambled', 'micro_speech', 'seanet_quantize', 'person_detect'];

function runCaseOnNode(c) {
  const it = new Interpreter(c.model, { resolver: allOps() }).allocateTensors();
  const outs = c.outputs.map(o => new Uint8Array(o.bytes.byteLength));
  for (let s = 0; s < c.steps; s++) {
    c.inputs.forEach((bytes, i) => {
      const size = bytes.byteLength / c.steps;
      it.setInput(i, bytes.slice(s * size, (s + 1) * size));
    });
    it.invoke();
    c.outputs.forEach((o, i) => {
      const size = o.bytes.byteLength / c.steps;
      outs[i].set(it.output(i).bytes, s * size);
    });
  }
  return outs;
}

test('golden cases using these kernels match TFLM on node (SVDF state over 12 steps included)', { skip: skipCases }, () => {
  let checked = 0;
  for (const name of LINEAR_CASES) {
    for (const c of loadCases(name)) {
      const outs = runCaseOnNode(c);
      c.outputs.forEach((o, i) => {
        const tolerance = o.dtype === 'float32' ? o.tolerance : 0;
        assert.ok(worstDifference(o.dtype, outs[i], o.bytes) <= tolerance, `${c.name} output ${i}`);
      });
      checked++;
    }
  }
  assert.ok(checked >= 10, `only ${checked} cases found`);
});

// ---- XS --------------------------------------------------------------------------------------

let xs = null;
async function engine() {
  if (!xs) xs = await XsEngine.start();
  return xs;
}
after(async () => { if (xs) await xs.close(); });

test('XS gives the same bits as node for every linear kernel path', async () => {
  const e = await engine();
  const models = FC_CASES.map(([name, seed, spec]) => [name, ...Object.values(randomFc(seed, spec))]);
  models.push(['softmax int8', softmaxModel([3, 4, 5], 'int8', 0.1, 0, 'int8', 1 / 256, -128), [quantize(softmaxIn3d, 'int8', 0.1, 0)]]);
  models.push(['softmax int16', softmaxModel([3, 4, 5], 'int16', 0.1, 0, 'int16', 1 / 32768, 0), [quantize(softmaxIn3d, 'int16', 0.1, 0)]]);
  models.push(['softmax float', softmaxModel([3, 4, 5], 'float32', 0, 0, 'float32', 0, 0), [Float32Array.from(softmaxIn3d)]]);
  models.push(['softmax int8 → int16', softmaxModel([3, 4, 5], 'int8', 0.1, 0, 'int16', 1 / 65536, -32768), [quantize(softmaxIn3d, 'int8', 0.1, 0)]]);
  models.push(['log_softmax int8', opModel('LOG_SOFTMAX', [{ type: 'int8', shape: [3, 20], scale: 0.08, zeroPoint: 1 }, { type: 'int8', shape: [3, 20], scale: 16 / 256, zeroPoint: 127 }]),
    [quantize(softmaxIn3d, 'int8', 0.08, 1)]]);
  models.push(['log_softmax float', opModel('LOG_SOFTMAX', [{ type: 'float32', shape: [6, 10] }, { type: 'float32', shape: [6, 10] }]), [Float32Array.from(softmaxIn3d)]]);
  models.push(['quantize float → int8', opModel('QUANTIZE', [{ type: 'float32', shape: [60] }, { type: 'int8', shape: [60], scale: 0.07, zeroPoint: -5 }]),
    [Float32Array.from(softmaxIn3d, v => v * 1.37)]]);
  models.push(['quantize int16 → int8', opModel('QUANTIZE', [{ type: 'int16', shape: [60], scale: 0.001, zeroPoint: 0 }, { type: 'int8', shape: [60], scale: 0.07, zeroPoint: -5 }]),
    [Int16Array.from(softmaxIn3d, v => v * 531)]]);
  models.push(['dequantize int8', opModel('DEQUANTIZE', [{ type: 'int8', shape: [60], scale: 0.07, zeroPoint: -5 }, { type: 'float32', shape: [60] }]),
    [Int8Array.from(softmaxIn3d, v => v * 11)]]);
  models.push(['cast float → int16', opModel('CAST', [{ type: 'float32', shape: [60] }, { type: 'int16', shape: [60] }]), [Float32Array.from(softmaxIn3d, v => v * 1234.567)]]);
  for (const [name, model, inputs] of models) {
    const want = runNode(model, inputs);
    await e.load(model);
    const r = await e.run(inputs.map(bytesOf), 1, [want.byteLength]);
    assert.deepEqual(r.outputs[0], bytesOf(want).slice(), name);
  }
  for (const tuple of SVDF_INT_CASES) {
    const { model, steps, inputs, want } = svdfIntegerCase(tuple);
    await e.load(model);
    const r = await e.run([Int8Array.from(inputs[0].flatMap(v => Array.from(v)))].map(bytesOf), steps, [want[0].length]);
    assert.deepEqual(Array.from(new Int8Array(r.outputs[0].buffer, r.outputs[0].byteOffset, r.outputs[0].byteLength)), want.flat(), `svdf ${tuple[0]} seed ${tuple[1]}`);
  }
});

test('XS: golden cases using these kernels match TFLM', { skip: skipCases }, async () => {
  const e = await engine();
  for (const name of ['hello_world_int8_0', 'hello_world_float_0', 'keyword_scrambled_stream', 'micro_speech_random_0', 'seanet_quantize0']) {
    for (const c of loadCases(name)) {
      const meta = await e.load(c.model);
      const r = await e.run(c.inputs, c.steps, meta.outputs.map(o => o.byteLength));
      c.outputs.forEach((o, i) => assert.ok(worstDifference(o.dtype, r.outputs[i], o.bytes) <= o.tolerance, `${c.name} output ${i}`));
    }
  }
});

test('XS: invokes of these kernels allocate nothing (the heap does not grow with the invoke count)', async () => {
  const e = await engine();
  const models = [
    ['fully_connected int8', randomFc(1, FC_CASES[0][2]).model],
    ['fully_connected int16', randomFc(7, FC_CASES[6][2]).model],
    ['softmax int8', softmaxModel([3, 4, 5], 'int8', 0.1, 0, 'int8', 1 / 256, -128)],
    ['softmax int16', softmaxModel([3, 4, 5], 'int16', 0.1, 0, 'int16', 1 / 32768, 0)],
    ['reshape (arena to arena)', opModel('RESHAPE', [{ type: 'int8', shape: [2, 30] }, { type: 'int8', shape: [60] }], { newShape: [60] })],
    ['log_softmax int8', opModel('LOG_SOFTMAX', [{ type: 'int8', shape: [3, 20], scale: 0.08, zeroPoint: 1 }, { type: 'int8', shape: [3, 20], scale: 16 / 256, zeroPoint: 127 }])],
  ];
  if (haveCases) models.push(['keyword_scrambled (QUANTIZE, SVDF, FULLY_CONNECTED, SOFTMAX)', loadCases('keyword_scrambled_pattern')[0].model]);
  for (const [name, model] of models) {
    await e.load(model);
    await e.invoke(1);
    const before = (await e.invoke(1)).heapCount;
    const one = (await e.invoke(1)).heapCount - before;
    const many = (await e.invoke(40)).heapCount - before - one;
    assert.equal(many, one, `${name}: 40 invokes grew the heap by ${many} slots, one invoke by ${one}`);
  }
});
