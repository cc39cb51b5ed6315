// Elementwise and activation kernels: ADD, SUB, MUL, DIV, MINIMUM, MAXIMUM, SQUARED_DIFFERENCE,
// LOGISTIC, TANH, RELU, RELU6, RELU_N1_TO_1, LEAKY_RELU, PRELU, HARD_SWISH, ELU.
// Expected values come from TFLM's kernel tests (their inputs, quantization and tolerances),
// from an independent BigInt model of TFLM's integer recipes with naive index-arithmetic
// broadcasting, from reference TFLite, and from the same models run inside XS.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Interpreter, OpError } from './lib/tflite.mjs';
import { allOps } from './lib/kernels-all.mjs';
import { writeModel, runReference, referenceAvailable, XsEngine } from './lib/host.mjs';

const f32 = Math.fround;
const TYPED = { float32: Float32Array, int8: Int8Array, int16: Int16Array, int32: Int32Array, int64: Int32Array };
const RANGE = { int8: [-128, 127], int16: [-32768, 32767], int32: [-2147483648, 2147483647] };
const ACT = { NONE: 0, RELU: 1, RELU_N1_TO_1: 2, RELU6: 3 };

// ---- model building and running -------------------------------------------------------------

/** A one-operator model: `tensors` are the op's inputs then its output; constants carry data. */
function opModel(op, tensors, options = {}) {
  const n = tensors.length;
  const inputs = [];
  for (let i = 0; i < n - 1; i++) if (!tensors[i].data) inputs.push(i);
  const operator = { op, inputs: tensors.slice(0, n - 1).map((_, i) => i), outputs: [n - 1] };
  if (Object.keys(options).length) operator.options = options;
  return writeModel({ subgraphs: [{ tensors, inputs, outputs: [n - 1], operators: [operator] }] });
}

function runNode(model, inputs) {
  const it = new Interpreter(model, { resolver: allOps() }).allocateTensors();
  inputs.forEach((values, i) => it.setInput(i, values));
  it.invoke();
  return it.output(0).data.slice();
}

const roundHalfAway = x => (x < 0 ? -Math.round(-x) : Math.round(x));

/** TFLM's test-helper Quantize: round(value / scale) in float, plus zero point, saturated. */
function quantize(values, type, scale, zeroPoint) {
  const [lo, hi] = RANGE[type];
  return TYPED[type].from(values, v => Math.min(hi, Math.max(lo, roundHalfAway(f32(f32(v) / f32(scale))) + zeroPoint)));
}

const dequantize = (q, scale, zeroPoint) => Array.from(q, v => (v - zeroPoint) * scale);

function assertNear(got, want, tolerance, what) {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++) {
    assert.ok(Math.abs(got[i] - want[i]) <= tolerance, `${what}: element ${i} is ${got[i]}, expected ${want[i]} ± ${tolerance}`);
  }
}

function assertExact(got, want, what) {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++) {
    if (!Object.is(got[i], want[i]) && got[i] !== want[i]) assert.fail(`${what}: element ${i} is ${got[i]}, expected ${want[i]}`);
  }
}

// A deterministic generator, so failures reproduce.
function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

// ---- an independent model of TFLM's integer arithmetic, in BigInt ------------------------------

const B = BigInt;
function srdhmRef(a, b) {
  if (a === -2147483648 && b === -2147483648) return 2147483647;
  const ab = B(a) * B(b);
  const nudge = ab >= 0n ? 1n << 30n : 1n - (1n << 30n);
  return Number(BigInt.asIntN(32, (ab + nudge) / (1n << 31n)));
}
function rdbpotRef(x, e) {
  const bx = B(x), mask = (1n << B(e)) - 1n;
  const threshold = (mask >> 1n) + (bx < 0n ? 1n : 0n);
  return Number((bx >> B(e)) + ((bx & mask) > threshold ? 1n : 0n));
}
function mbqmRef(x, multiplier, shift) {
  const left = shift > 0 ? shift : 0, right = shift > 0 ? 0 : -shift;
  return rdbpotRef(srdhmRef(Number(BigInt.asIntN(32, B(x) << B(left))), multiplier), right);
}
/** QuantizeMultiplier with frexp taken from the double's bits. */
function quantizeMultiplierRef(d) {
  if (d === 0) return [0, 0];
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, d);
  const biased = Number((view.getBigUint64(0) >> 52n) & 0x7ffn);
  let exponent = biased - 1022;
  let q = roundHalfAway((d / 2 ** exponent) * 2 ** 31);
  if (q === 2 ** 31) { q /= 2; exponent++; }
  if (exponent < -31) return [0, 0];
  return [q, exponent];
}
function activationRangeRef(act, type, scale, zeroPoint) {
  let [lo, hi] = RANGE[type];
  const q = v => zeroPoint + roundHalfAway(f32(v / scale));
  if (act === ACT.RELU) lo = Math.max(lo, q(0));
  if (act === ACT.RELU6) { lo = Math.max(lo, q(0)); hi = Math.min(hi, q(6)); }
  if (act === ACT.RELU_N1_TO_1) { lo = Math.max(lo, q(-1)); hi = Math.min(hi, q(1)); }
  return [lo, hi];
}

/** For each output element, the flat index of the broadcast input element (numpy rules). */
function broadcastIndices(outShape, inShape) {
  const rank = outShape.length, count = outShape.reduce((a, b) => a * b, 1);
  const dims = Array.from({ length: rank }, (_, i) => (i < rank - inShape.length ? 1 : inShape[i - (rank - inShape.length)]));
  const result = new Int32Array(count);
  for (let flat = 0; flat < count; flat++) {
    let rest = flat, index = 0, stride = 1;
    for (let d = rank - 1; d >= 0; d--) {
      const coordinate = rest % outShape[d];
      rest = Math.floor(rest / outShape[d]);
      if (dims[d] !== 1) index += coordinate * stride;
      stride *= dims[d];
    }
    result[flat] = index;
  }
  return result;
}

function broadcastShape(a, b) {
  const rank = Math.max(a.length, b.length);
  return Array.from({ length: rank }, (_, i) => {
    const da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
    const db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
    return da === 1 ? db : da;
  });
}

/** Expected int8/int16 ADD or SUB (add_common.cc / sub_common.cc and reference/add.h). */
function addSubRef(isSub, type, q, a, b, act) {
  const [s1, s2, so] = q.scales, [z1, z2, zo] = q.zeroPoints;
  const leftShift = type === 'int16' ? 15 : 20;
  let r1, r2, ro;
  if (isSub) {
    const twice = f32(2 * Math.max(s1, s2));
    r1 = f32(s1 / twice); r2 = f32(s2 / twice); ro = f32(twice / f32(2 ** leftShift * so));
  } else {
    const twice = 2 * Math.max(s1, s2);
    r1 = s1 / twice; r2 = s2 / twice; ro = twice / (2 ** leftShift * so);
  }
  const [m1, e1] = quantizeMultiplierRef(r1), [m2, e2] = quantizeMultiplierRef(r2), [mo, eo] = quantizeMultiplierRef(ro);
  const [lo, hi] = activationRangeRef(act, type, so, zo);
  return (x, y) => {
    const v1 = mbqmRef((x - z1) * 2 ** leftShift, m1, e1);
    const v2 = mbqmRef((y - z2) * 2 ** leftShift, m2, e2);
    const v = mbqmRef(isSub ? v1 - v2 : v1 + v2, mo, eo) + zo;
    return Math.min(hi, Math.max(lo, v));
  };
}

/** Expected int8/int16 MUL (mul_common.cc, reference/integer_ops/mul.h). */
function mulRef(type, q, act) {
  const [s1, s2, so] = q.scales, [z1, z2, zo] = q.zeroPoints;
  const [m, e] = quantizeMultiplierRef(s1 * s2 / so);
  const [lo, hi] = activationRangeRef(act, type, so, zo);
  return (x, y) => Math.min(hi, Math.max(lo, zo + mbqmRef((x - z1) * (y - z2), m, e)));
}

/** Expected quantized PRELU (prelu_common.cc, reference/prelu.h). */
function preluRef(type, q) {
  const [s1, s2, so] = q.scales, [z1, z2, zo] = q.zeroPoints;
  const [m1, e1] = quantizeMultiplierRef(s1 / so), [m2, e2] = quantizeMultiplierRef(s1 * s2 / so);
  const [lo, hi] = RANGE[type];
  return (x, alpha) => {
    const v = x - z1;
    const r = zo + (v >= 0 ? mbqmRef(v, m1, e1) : mbqmRef(v * (alpha - z2), m2, e2));
    return Math.min(hi, Math.max(lo, r));
  };
}

/** Expected quantized LEAKY_RELU (leaky_relu_common.cc, reference/leaky_relu.h). */
function leakyReluRef(type, scales, zeroPoints, alpha) {
  const [si, so] = scales, [zi, zo] = zeroPoints;
  const [ma, ea] = quantizeMultiplierRef(f32(f32(si * alpha) / so));
  const [mi, ei] = quantizeMultiplierRef(f32(si / so));
  const [lo, hi] = RANGE[type];
  return x => {
    const v = x - zi;
    const r = zo + (v >= 0 ? mbqmRef(v, mi, ei) : (ma < 0 ? -mbqmRef(v, -ma, ea) : mbqmRef(v, ma, ea)));
    return Math.min(hi, Math.max(lo, r));
  };
}

function randomValues(type, count, next) {
  if (type === 'float32') return Float32Array.from({ length: count }, () => f32((next() - 0.5) * 8));
  const [lo, hi] = type === 'int32' ? [-100000, 100000] : RANGE[type];
  return TYPED[type].from({ length: count }, () => lo + Math.floor(next() * (hi - lo + 1)));
}

/** Shape pairs that broadcast in every way BroadcastBinaryOpSimple handles, up to rank 6. */
const SHAPE_PAIRS = [
  [[1, 128, 128, 1], [1, 128, 128, 1]],
  [[2, 3, 4], [4]],
  [[4], [2, 3, 4]],
  [[2, 1, 3], [1, 4, 1]],
  [[3, 1], [1, 5]],
  [[2, 3, 1, 2], [1, 1, 3, 2]],
  [[2, 3, 1, 2], [2, 1, 3, 1]],
  [[1, 2, 82, 16], [16]],
  [[5, 7], []],
  [[], [5, 7]],
  [[2, 1, 2, 1, 2, 3], [1, 3, 1, 2, 1, 3]],
  [[1, 1, 1], [1]],
];

function quantParams(type, next) {
  const scale = () => f32(0.001 + next() * (type === 'int16' ? 0.01 : 0.1));
  const zero = () => (type === 'int8' ? Math.floor(next() * 40) - 20 : 0);
  return { scales: [scale(), scale(), scale()], zeroPoints: [zero(), zero(), zero()] };
}

/** A random binary-op case: model, inputs, and the BigInt/float expectation computed apart. */
function binaryCase(op, type, shapes, seed, act = ACT.NONE) {
  const next = rng(seed);
  const [shape1, shape2] = shapes;
  const outShape = broadcastShape(shape1, shape2);
  const count = s => s.reduce((a, b) => a * b, 1);
  const a = randomValues(type, count(shape1), next), b = randomValues(type, count(shape2), next);
  const q = type === 'int8' || type === 'int16' ? quantParams(type, next) : null;
  const tensor = (shape, i) => (q ? { type, shape, scale: q.scales[i], zeroPoint: q.zeroPoints[i] } : { type, shape });
  const options = op === 'ADD' || op === 'SUB' || op === 'MUL' || op === 'DIV' ? { fusedActivationFunction: act } : {};
  const model = opModel(op, [tensor(shape1, 0), tensor(shape2, 1), tensor(outShape, 2)], options);
  let fn;
  if (q && (op === 'ADD' || op === 'SUB')) fn = addSubRef(op === 'SUB', type, q, a, b, act);
  else if (q && op === 'MUL') fn = mulRef(type, q, act);
  else if (op === 'MAXIMUM') fn = (x, y) => (x > y ? x : y);
  else if (op === 'MINIMUM') fn = (x, y) => (x < y ? x : y);
  else if (type === 'float32') {
    const [lo, hi] = act === ACT.RELU ? [0, 3.4028234663852886e38] : act === ACT.RELU6 ? [0, 6] : act === ACT.RELU_N1_TO_1 ? [-1, 1] : [-3.4028234663852886e38, 3.4028234663852886e38];
    const raw = { ADD: (x, y) => f32(x + y), SUB: (x, y) => f32(x - y), MUL: (x, y) => f32(x * y), SQUARED_DIFFERENCE: (x, y) => f32(f32(x - y) * f32(x - y)) }[op];
    fn = (x, y) => Math.min(hi, Math.max(lo, raw(x, y)));
  } else if (type === 'int32') {
    const raw = { ADD: (x, y) => (x + y) | 0, SUB: (x, y) => (x - y) | 0, MUL: (x, y) => Math.imul(x, y), SQUARED_DIFFERENCE: (x, y) => Math.imul(x - y, x - y) }[op];
    const [lo, hi] = op === 'ADD' || act === ACT.NONE ? RANGE.int32 : act === ACT.RELU ? [0, 2147483647] : act === ACT.RELU6 ? [0, 6] : [-1, 1];
    fn = (x, y) => Math.min(hi, Math.max(lo, raw(x, y)));
  }
  const i1 = broadcastIndices(outShape, shape1), i2 = broadcastIndices(outShape, shape2);
  const expected = TYPED[type].from({ length: count(outShape) }, (_, k) => fn(a[i1[k]], b[i2[k]]));
  return { name: `${op} ${type} [${shape1}] [${shape2}] act ${act}`, op, type, shapes, model, inputs: [a, b], expected };
}

function allBinaryCases() {
  const cases = [];
  let seed = 1;
  for (const op of ['ADD', 'SUB']) {
    for (const type of ['float32', 'int8', 'int16', 'int32']) {
      for (const shapes of SHAPE_PAIRS) cases.push(binaryCase(op, type, shapes, seed++));
      for (const act of [ACT.RELU, ACT.RELU6, ACT.RELU_N1_TO_1]) cases.push(binaryCase(op, type, [[2, 3, 4], [3, 1]], seed++, act));
    }
  }
  for (const op of ['MUL']) {
    for (const type of ['float32', 'int8', 'int16', 'int32']) {
      for (const shapes of SHAPE_PAIRS.slice(1)) cases.push(binaryCase(op, type, shapes, seed++));
      cases.push(binaryCase(op, type, [[2, 3, 4], [4]], seed++, ACT.RELU));
    }
  }
  for (const op of ['MAXIMUM', 'MINIMUM']) {
    for (const type of ['float32', 'int8', 'int16', 'int32']) cases.push(binaryCase(op, type, [[2, 1, 3], [1, 4, 1]], seed++));
  }
  for (const type of ['float32', 'int32']) cases.push(binaryCase('SQUARED_DIFFERENCE', type, [[2, 3, 4], [3, 1]], seed++));
  return cases;
}

// ---- bit-exactness against the independent model ---------------------------------------------

test('binary ops match an independent model of TFLM arithmetic, with any broadcast up to rank 6', () => {
  for (const c of allBinaryCases()) assertExact(runNode(c.model, c.inputs), c.expected, c.name);
});

test('PRELU matches the independent model (int8 and int16 with int8 alpha, broadcast alpha)', () => {
  for (const [type, seed] of [['int8', 7], ['int16', 8]]) {
    const next = rng(seed);
    const x = randomValues(type, 2 * 3 * 4, next), alpha = randomValues('int8', 4, next);
    const q = { scales: [f32(0.05), f32(0.01), f32(0.04)], zeroPoints: type === 'int8' ? [3, -7, -2] : [0, -7, 0] };
    const model = opModel('PRELU', [
      { type, shape: [2, 3, 4], scale: q.scales[0], zeroPoint: q.zeroPoints[0] },
      { type: 'int8', shape: [4], scale: q.scales[1], zeroPoint: q.zeroPoints[1], data: alpha },
      { type, shape: [2, 3, 4], scale: q.scales[2], zeroPoint: q.zeroPoints[2] },
    ]);
    const fn = preluRef(type, q);
    assertExact(runNode(model, [x]), TYPED[type].from(x, (v, i) => fn(v, alpha[i % 4])), `PRELU ${type}`);
  }
});

test('LEAKY_RELU matches the independent model for int8 and int16, positive and negative alpha', () => {
  for (const [type, alpha, seed] of [['int8', 0.2, 1], ['int8', -0.3, 2], ['int16', 0.1, 3], ['int16', 1.7, 4]]) {
    const next = rng(seed);
    const scales = [f32(0.02 + next() * 0.05), f32(0.02 + next() * 0.05)];
    const zeroPoints = type === 'int8' ? [5, -9] : [0, 0];
    const x = type === 'int8' ? Int8Array.from({ length: 256 }, (_, i) => i - 128) : randomValues(type, 1000, next);
    const model = opModel('LEAKY_RELU', [
      { type, shape: [x.length], scale: scales[0], zeroPoint: zeroPoints[0] },
      { type, shape: [x.length], scale: scales[1], zeroPoint: zeroPoints[1] },
    ], { alpha });
    const fn = leakyReluRef(type, scales, zeroPoints, f32(alpha));
    assertExact(runNode(model, [x]), TYPED[type].from(x, fn), `LEAKY_RELU ${type} alpha ${alpha}`);
  }
});

// ---- TFLM kernel-test cases (inputs, quantization and tolerances of the *_test.cc files) ---------

/** Runs a quantized unary op on float inputs, as TFLM's tests do; returns the output (quantized). */
function unaryQuantized(op, type, input, inQ, outQ, options = {}) {
  const q = quantize(input, type, inQ[0], inQ[1]);
  const model = opModel(op, [
    { type, shape: [1, input.length], scale: inQ[0], zeroPoint: inQ[1] },
    { type, shape: [1, input.length], scale: outQ[0], zeroPoint: outQ[1] },
  ], options);
  return runNode(model, [q]);
}

const linspace = (lo, hi, n) => Array.from({ length: n }, (_, i) => lo + (hi - lo) * i / (n - 1));
const sigmoid = x => 1 / (1 + Math.exp(-x));

test('LOGISTIC follows logistic_test.cc (float, int8 basic and wide range, int16)', () => {
  const basic = [1, 2, 3, 4, 5, -1, -2, -3, -4, -5];
  const model = opModel('LOGISTIC', [{ type: 'float32', shape: [2, 5] }, { type: 'float32', shape: [2, 5] }]);
  assertNear(runNode(model, [Float32Array.from(basic)]), basic.map(sigmoid), 1e-5, 'float');
  const out8 = [1 / 255, -128];
  assertNear(unaryQuantized('LOGISTIC', 'int8', basic, [0.1, 0], out8), quantize(basic.map(sigmoid), 'int8', ...out8), 1, 'int8 basic');
  const wide = [1, 2, 3, 4, 93, -1, -2, -3, -4, -93];
  assertNear(unaryQuantized('LOGISTIC', 'int8', wide, [1, 0], out8), quantize(wide.map(sigmoid), 'int8', ...out8), 1, 'int8 wide');
  const xs = linspace(-20, 20, 177), out16 = [2 / 65536, 0];
  assertNear(unaryQuantized('LOGISTIC', 'int16', xs, [32 / 65536, 0], out16), quantize(xs.map(sigmoid), 'int16', ...out16), 16, 'int16');
  // A power-of-two input scale takes the other int16 path (input multiplier 3, no shift).
  const pot = linspace(-7.9, 7.9, 101);
  assertNear(unaryQuantized('LOGISTIC', 'int16', pot, [2 ** -12, 0], out16), quantize(pot.map(sigmoid), 'int16', ...out16), 16, 'int16 pot');
});

test('TANH follows tanh_test.cc (float, int8, int16 wide range)', () => {
  const xs = linspace(-8, 8, 89);
  const model = opModel('TANH', [{ type: 'float32', shape: [1, 89] }, { type: 'float32', shape: [1, 89] }]);
  assertNear(runNode(model, [Float32Array.from(xs)]), xs.map(Math.tanh), 1e-7, 'float');
  const out8 = [f32(1.99999955 / 256), 0];
  assertNear(unaryQuantized('TANH', 'int8', xs, [16 / 256, 0], out8), quantize(xs.map(Math.tanh), 'int8', ...out8), 2, 'int8');
  const wide = linspace(-10, 10, 177), out16 = [2 / 65536, 0];
  assertNear(unaryQuantized('TANH', 'int16', wide, [32 / 65536, 0], out16), quantize(wide.map(Math.tanh), 'int16', ...out16), 16, 'int16');
  const general = linspace(-6, 6, 121);
  assertNear(unaryQuantized('TANH', 'int16', general, [f32(0.00031), 0], out16), quantize(general.map(Math.tanh), 'int16', ...out16), 16, 'int16 general scale');
});

test('RELU and RELU6 follow activations_test.cc', () => {
  const input = [1.0, 2.0, 3.0, -4.0, -5.0, 6.0, -7.0, 8.0];
  const float = (op, x) => runNode(opModel(op, [{ type: 'float32', shape: [x.length] }, { type: 'float32', shape: [x.length] }]), [Float32Array.from(x)]);
  assertExact(float('RELU', input), Float32Array.from(input, v => Math.max(0, v)), 'RELU float');
  assertExact(float('RELU6', input), Float32Array.from(input, v => Math.min(6, Math.max(0, v))), 'RELU6 float');
  assertExact(float('RELU_N1_TO_1', [0.5, -2, 3, -0.25]), Float32Array.of(0.5, -1, 1, -0.25), 'RELU_N1_TO_1 float');
  // activations_test.cc: scale 0.5, zero point 0, exact.
  const x8 = [1, 2, 3, 4, 5, -1, -2, -3, -4, -5], x16 = [256, 257, 258, 259, 260, -256, -257, -258, -259, -260];
  for (const [type, x] of [['int8', x8], ['int16', x16], ['int16', x8]]) {
    assertExact(unaryQuantized('RELU', type, x, [0.5, 0], [0.5, 0]), quantize(x.map(v => Math.max(0, v)), type, 0.5, 0), `RELU ${type}`);
    assertExact(unaryQuantized('RELU6', type, x, [0.5, 0], [0.5, 0]), quantize(x.map(v => Math.min(6, Math.max(0, v))), type, 0.5, 0), `RELU6 ${type}`);
  }
  // RELU rescales to the output scale and clamps at its zero point.
  const scaled = unaryQuantized('RELU', 'int8', x8, [0.5, -3], [0.25, 5]);
  assertNear(dequantize(scaled, 0.25, 5), x8.map(v => Math.max(0, v)), 0.125, 'RELU int8 rescaled');
});

test('LEAKY_RELU follows leaky_relu_test.cc', () => {
  const input = [0, 1, 3, 1, -1, -2], expect = [0, 1, 3, 1, -0.5, -1];
  const float = opModel('LEAKY_RELU', [{ type: 'float32', shape: [2, 3] }, { type: 'float32', shape: [2, 3] }], { alpha: 0.5 });
  assertExact(runNode(float, [Float32Array.from(input)]), Float32Array.from(expect), 'float');
  for (const [type, scale] of [['int8', 0.1], ['int16', 0.01]]) {
    const q = unaryQuantized('LEAKY_RELU', type, input, [scale, 0], [scale, 0], { alpha: 0.5 });
    assertNear(dequantize(q, scale, 0), expect, scale, type);
  }
});

test('PRELU follows prelu_test.cc (float, int8, int16 with int8 alpha)', () => {
  const shape = [2, 2, 3], alphaShape = [1, 1, 3];
  const float = opModel('PRELU', [{ type: 'float32', shape }, { type: 'float32', shape: alphaShape, data: Float32Array.of(0, 1, 2) }, { type: 'float32', shape }]);
  assertExact(runNode(float, [Float32Array.of(0, 0, 0, 1, 1, 1, -1, -1, -1, -2, -2, -2)]),
    Float32Array.of(0, 0, 0, 1, 1, 1, 0, -1, -2, 0, -2, -4), 'float');
  const input = [0, 0, 0, 0.5, 0.5, 0.5, -1, -1, -1, -0.25, -0.25, -0.25], alpha = [0, 0.5, -0.5];
  const golden = [0, 0, 0, 0.5, 0.5, 0.5, 0, -0.5, 0.5, 0, -0.125, 0.125];
  for (const [type, scale] of [['int8', f32(2 / 255)], ['int16', f32(2 / 65535)]]) {
    const alphaScale = f32(2 / 255);
    const model = opModel('PRELU', [
      { type, shape, scale, zeroPoint: 0 },
      { type: 'int8', shape: alphaShape, scale: alphaScale, zeroPoint: 0, data: quantize(alpha, 'int8', alphaScale, 0) },
      { type, shape, scale, zeroPoint: 0 },
    ]);
    // prelu_test.cc compares the dequantized output with the golden within 2/256.
    assertNear(dequantize(runNode(model, [quantize(input, type, scale, 0)]), scale, 0), golden, 2 / 256, type);
  }
});

/** ScaleFromMinMax and ZeroPointFromMinMax of TFLM's test helpers, for int8. */
function int8FromMinMax(min, max) {
  const scale = f32(f32(max - min) / 255);
  return [scale, -128 + roundHalfAway(f32(-min / scale))];
}

test('ELU and HARD_SWISH follow elu_test.cc and hard_swish_test.cc', () => {
  const shape = [1, 2, 4, 1];
  const float = opModel('ELU', [{ type: 'float32', shape }, { type: 'float32', shape }]);
  assertNear(runNode(float, [Float32Array.of(0, -6, 2, -4, 3, -2, 10, -0.1)]),
    [0.0, -0.997521, 2.0, -0.981684, 3.0, -0.864665, 10.0, -0.0951626], 1e-5, 'ELU float');
  const q = int8FromMinMax(-8, 8 * 127 / 128);
  const elu8 = unaryQuantized('ELU', 'int8', [0, -6, 2, -4, 3, -2, 6, -0.1], q, q);
  assertNear(dequantize(elu8, ...q), [0, -1.0, 2.0, -1, 3.0, -0.875, 6.0, -0.125], 2 / 256, 'ELU int8');
  const hardSwish = v => v * Math.min(6, Math.max(0, v + 3)) / 6;
  const next = rng(11);
  const xs = Array.from({ length: 100 }, () => f32(-10 + 20 * next()));
  const hsFloat = opModel('HARD_SWISH', [{ type: 'float32', shape: [1, 100] }, { type: 'float32', shape: [1, 100] }]);
  assertNear(runNode(hsFloat, [Float32Array.from(xs)]), xs.map(hardSwish), 1e-5, 'HARD_SWISH float');
  for (const [[inMin, inMax], [outMin, outMax]] of [
    [[-0.375, 1], [-0.375, 1]], [[-2, 1], [-0.375, 1]], [[-5, 10], [-0.375, 10]], [[-40, 60], [-0.375, 60]]]) {
    const inQ = int8FromMinMax(inMin, inMax), outQ = int8FromMinMax(outMin, outMax);
    const values = Array.from({ length: 101 }, () => f32(inMin + (inMax - inMin) * next()));
    const want = values.map(v => Math.min(outMax, Math.max(outMin, hardSwish(v))));
    const tolerance = Math.max(inMax - inMin, outMax - outMin) * (1.5 / 256);
    assertNear(dequantize(unaryQuantized('HARD_SWISH', 'int8', values, inQ, outQ), ...outQ), want, tolerance, `HARD_SWISH int8 [${inMin}, ${inMax}]`);
  }
});

test('DIV, MINIMUM, MAXIMUM and SQUARED_DIFFERENCE follow their TFLM tests', () => {
  // div_test.cc FloatDivOpTestActNone / QuantizedDivOpTestActNone / IntegerDivOpTestNoActivation.
  const shape = [1, 2, 2, 1];
  const fdiv = opModel('DIV', [{ type: 'float32', shape }, { type: 'float32', shape }, { type: 'float32', shape }]);
  assertNear(runNode(fdiv, [Float32Array.of(-0.2, 0.2, -1.2, 0.8), Float32Array.of(0.5, 0.2, -1.5, 0.5)]), [-0.4, 1, 0.8, 1.6], 1e-6, 'DIV float');
  const idiv = opModel('DIV', [{ type: 'int32', shape }, { type: 'int32', shape }, { type: 'int32', shape }]);
  assertExact(runNode(idiv, [Int32Array.of(-2, 2, -15, 8), Int32Array.of(5, -2, -3, 5)]), Int32Array.of(0, -1, 5, 1), 'DIV int32');
  const qdiv = opModel('DIV', [
    { type: 'int8', shape, scale: 0.05, zeroPoint: 0 }, { type: 'int8', shape, scale: 0.05, zeroPoint: 0 },
    { type: 'int8', shape, scale: 0.1, zeroPoint: 0 }]);
  const div8 = runNode(qdiv, [quantize([-0.8, 0.2, 0.9, 0.7], 'int8', 0.05, 0), quantize([0.6, 0.4, 0.9, 0.8], 'int8', 0.05, 0)]);
  assertNear(dequantize(div8, 0.1, 0), [-1.33, 0.5, 1, 0.875], 0.1, 'DIV int8');
  // maximum_minimum_test.cc FloatTest and Int32WithBroadcastTest.
  const a = [1.0, 0.0, -1.0, 11.0, -2.0, -1.44], b = [-1.0, 0.0, 1.0, 12.0, -3.0, -1.43];
  const mm = op => runNode(opModel(op, [{ type: 'float32', shape: [3, 1, 2] }, { type: 'float32', shape: [3, 1, 2] }, { type: 'float32', shape: [3, 1, 2] }]), [Float32Array.from(a), Float32Array.from(b)]);
  assertExact(mm('MAXIMUM'), Float32Array.of(1.0, 0.0, 1.0, 12.0, -2.0, -1.43), 'MAXIMUM float');
  assertExact(mm('MINIMUM'), Float32Array.of(-1.0, 0.0, -1.0, 11.0, -3.0, -1.44), 'MINIMUM float');
  const m32 = op => runNode(opModel(op, [{ type: 'int32', shape: [3, 1, 2] }, { type: 'int32', shape: [1] }, { type: 'int32', shape: [3, 1, 2] }]), [Int32Array.of(1, 0, -1, -2, 3, 11), Int32Array.of(2)]);
  assertExact(m32('MAXIMUM'), Int32Array.of(2, 2, 2, 2, 3, 11), 'MAXIMUM int32 broadcast');
  assertExact(m32('MINIMUM'), Int32Array.of(1, 0, -1, -2, 2, 2), 'MINIMUM int32 broadcast');
  const m64 = runNode(opModel('MAXIMUM', [{ type: 'int64', shape: [3] }, { type: 'int64', shape: [3] }, { type: 'int64', shape: [3] }]),
    [BigInt64Array.of(-(2n ** 40n), 5n, 2n ** 33n), BigInt64Array.of(3n, -(2n ** 35n), 2n ** 33n + 1n)].map(v => new Int32Array(v.buffer)));
  assertExact(Array.from(new BigInt64Array(m64.buffer)), [3n, 5n, 2n ** 33n + 1n], 'MAXIMUM int64');
  // squared_difference_test.cc QuantizedSquaredDifferenceSameShape (ChooseQuantizationParams ranges).
  const sqIn1 = [-0.2, 0.2, -1.2, 0.8], sqIn2 = [0.5, 0.2, -1.5, 0.5], sqGolden = [0.49, 0.0, 0.09, 0.09];
  const sqShape = [1, 2, 2, 1];
  const q1 = int8FromMinMax(-1.2, 0.8), q2 = int8FromMinMax(-1.5, 0.5), qo = int8FromMinMax(0, 0.5);
  const sq8 = opModel('SQUARED_DIFFERENCE', [
    { type: 'int8', shape: sqShape, scale: q1[0], zeroPoint: q1[1] }, { type: 'int8', shape: sqShape, scale: q2[0], zeroPoint: q2[1] },
    { type: 'int8', shape: sqShape, scale: qo[0], zeroPoint: qo[1] }]);
  const out8 = runNode(sq8, [quantize(sqIn1, 'int8', ...q1), quantize(sqIn2, 'int8', ...q2)]);
  assertNear(dequantize(out8, ...qo), sqGolden, 2 / 255, 'SQUARED_DIFFERENCE int8');
  const s1 = f32(1.2 / 32767), s2 = f32(1.5 / 32767), so = f32(0.5 / 32767);
  const sq16 = opModel('SQUARED_DIFFERENCE', [
    { type: 'int16', shape: sqShape, scale: s1, zeroPoint: 0 }, { type: 'int16', shape: sqShape, scale: s2, zeroPoint: 0 },
    { type: 'int16', shape: sqShape, scale: so, zeroPoint: 0 }]);
  const out16 = runNode(sq16, [quantize(sqIn1, 'int16', s1, 0), quantize(sqIn2, 'int16', s2, 0)]);
  assertNear(dequantize(out16, so, 0), sqGolden, 6 / 32768, 'SQUARED_DIFFERENCE int16');
});

// ---- prepare-time validation ------------------------------------------------------------------

test('prepare refuses shapes that do not broadcast and quantization TFLM does not support', () => {
  const bad = [
    opModel('ADD', [{ type: 'float32', shape: [2, 3] }, { type: 'float32', shape: [4] }, { type: 'float32', shape: [2, 3] }]),
    opModel('MUL', [{ type: 'float32', shape: [2, 3] }, { type: 'float32', shape: [3] }, { type: 'float32', shape: [2, 4] }]),
    opModel('SUB', [{ type: 'int8', shape: [3], scale: 0.1, zeroPoint: 0 }, { type: 'int16', shape: [3], scale: 0.1, zeroPoint: 0 }, { type: 'int8', shape: [3], scale: 0.1, zeroPoint: 0 }]),
    opModel('LOGISTIC', [{ type: 'int8', shape: [3], scale: 0.1, zeroPoint: 0 }, { type: 'int8', shape: [3], scale: 1 / 256, zeroPoint: 0 }]),
    opModel('TANH', [{ type: 'int16', shape: [3], scale: 1 / 4096, zeroPoint: 0 }, { type: 'int16', shape: [3], scale: 1 / 1000, zeroPoint: 0 }]),
    opModel('MUL', [{ type: 'int16', shape: [3], scale: 0.1, zeroPoint: 1 }, { type: 'int16', shape: [3], scale: 0.1, zeroPoint: 0 }, { type: 'int16', shape: [3], scale: 0.1, zeroPoint: 0 }]),
    opModel('RELU', [{ type: 'float32', shape: [3] }, { type: 'float32', shape: [4] }]),
    opModel('ELU', [{ type: 'int16', shape: [3], scale: 0.1, zeroPoint: 0 }, { type: 'int16', shape: [3], scale: 0.1, zeroPoint: 0 }]),
  ];
  for (const model of bad) {
    assert.throws(() => new Interpreter(model, { resolver: allOps() }).allocateTensors(), OpError);
  }
});

// ---- reference TFLite, as a second opinion ----------------------------------------------------

test('reference TFLite agrees: float ops to float rounding, integer ADD to the bit, SUB/MUL within a step', async t => {
  if (!(await referenceAvailable())) return t.skip('reference TFLite is not installed');
  // The WebAssembly TFLite aborts on rank-6 int16 broadcasts; scalars and int32 are left to the
  // independent model above.
  const cases = allBinaryCases().filter(c => c.type !== 'int32' && c.op !== 'SQUARED_DIFFERENCE' &&
    c.shapes[0].length > 0 && c.shapes[1].length > 0 && !(c.type === 'int16' && c.shapes[0].length > 4));
  let exact = 0;
  for (const c of cases) {
    const [want] = await runReference(c.model, c.inputs);
    const got = runNode(c.model, c.inputs);
    // TFLite's SUB forms its multipliers in double where TFLM uses float, and its int8 MUL runs
    // through XNNPACK: those may be one step apart. ADD is the same recipe in both.
    const tolerance = c.type === 'float32' ? 1e-6 : c.op === 'ADD' ? 0 : 1;
    assertNear(got, want, tolerance, `${c.name} vs reference TFLite`);
    if (got.every((v, i) => v === want[i])) exact++;
  }
  assert.ok(exact > cases.length / 2, `only ${exact} of ${cases.length} cases exactly equal`);
});

test('reference TFLite agrees on the activations (float; quantized within one step)', async t => {
  if (!(await referenceAvailable())) return t.skip('reference TFLite is not installed');
  const xs = linspace(-9, 9, 200);
  const check = async (op, type, inQ, outQ, options, tolerance) => {
    const shape = [1, xs.length];
    const model = type === 'float32'
      ? opModel(op, [{ type, shape }, { type, shape }], options)
      : opModel(op, [{ type, shape, scale: inQ[0], zeroPoint: inQ[1] }, { type, shape, scale: outQ[0], zeroPoint: outQ[1] }], options);
    const input = type === 'float32' ? Float32Array.from(xs) : quantize(xs, type, ...inQ);
    const [want] = await runReference(model, [input]);
    assertNear(runNode(model, [input]), want, tolerance, `${op} ${type} vs reference TFLite`);
  };
  // TFLite's float TANH and LOGISTIC are approximations a few float steps from libm's.
  for (const op of ['LOGISTIC', 'TANH', 'RELU', 'RELU6', 'RELU_N1_TO_1', 'HARD_SWISH', 'ELU']) await check(op, 'float32', null, null, {}, 1e-6);
  await check('LEAKY_RELU', 'float32', null, null, { alpha: 0.3 }, 0);
  await check('LOGISTIC', 'int8', [0.08, 3], [1 / 256, -128], {}, 1);
  await check('TANH', 'int8', [0.08, 3], [1 / 128, 0], {}, 1);
  // Not int16 LOGISTIC/TANH: TFLite runs gemmlowp's F3 routines there, which saturate early
  // (tanh(-4.75) gives -32767 where TFLM's table, and the true value, give -32763).
  await check('RELU', 'int8', [0.08, 3], [0.05, -20], {}, 0);
  await check('RELU6', 'int8', [0.08, 3], [0.08, 3], {}, 0);
  // TFLite hands int8 LEAKY_RELU to XNNPACK, which rounds its own way (the int16 fixtures pin TFLM's).
  await check('LEAKY_RELU', 'int8', [0.08, 3], [0.05, -20], { alpha: 0.2 }, 1);
  await check('LEAKY_RELU', 'int16', [0.0005, 0], [0.0004, 0], { alpha: 0.2 }, 0);
  await check('HARD_SWISH', 'int8', [0.08, 3], [0.05, -20], {}, 1);
  await check('ELU', 'int8', [0.08, 3], [0.05, 20], {}, 1);
});

// ---- the same models inside XS ------------------------------------------------------------------

test('inside XS (hardened, as a Moddable preload) every kernel gives the Node results bit for bit', async () => {
  const xs = linspace(-9, 9, 64);
  const unary = [];
  for (const [op, types, options] of [
    ['LOGISTIC', ['float32', 'int8', 'int16'], {}], ['TANH', ['float32', 'int8', 'int16'], {}],
    ['RELU', ['float32', 'int8', 'int16'], {}], ['RELU6', ['float32', 'int8', 'int16'], {}], ['RELU_N1_TO_1', ['float32', 'int8'], {}],
    ['LEAKY_RELU', ['float32', 'int8', 'int16'], { alpha: 0.2 }], ['HARD_SWISH', ['float32', 'int8'], {}], ['ELU', ['float32', 'int8'], {}],
  ]) {
    for (const type of types) {
      const shape = [2, 32];
      const inQ = type === 'int16' ? [2 ** -11, 0] : [0.08, 3];
      const outQ = type === 'int16' ? [2 ** -15, 0] : op === 'LOGISTIC' ? [1 / 256, -128] : [0.05, -4];
      const model = type === 'float32'
        ? opModel(op, [{ type, shape }, { type, shape }], options)
        : opModel(op, [{ type, shape, scale: inQ[0], zeroPoint: inQ[1] }, { type, shape, scale: outQ[0], zeroPoint: outQ[1] }], options);
      unary.push({ name: `${op} ${type}`, model, inputs: [type === 'float32' ? Float32Array.from(xs) : quantize(xs, type, ...inQ)] });
    }
  }
  const cases = [...allBinaryCases().filter((_, i) => i % 3 === 0), ...unary];
  const engine = await XsEngine.start({ harden: true });
  try {
    for (const c of cases) {
      const want = runNode(c.model, c.inputs);
      const loaded = await engine.load(c.model);
      const bytes = c.inputs.map(v => new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
      const run = await engine.run(bytes, 1, loaded.outputs.map(o => o.byteLength));
      const got = new want.constructor(run.outputs[0].slice().buffer);
      assertExact(got, want, `${c.name} in XS`);
    }
  } finally {
    await engine.close();
  }
});
