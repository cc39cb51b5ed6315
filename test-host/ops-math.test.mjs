// Math group operators (issue 11): ABS, NEG, CEIL, FLOOR, ROUND, SQRT, RSQRT, SQUARE, EXP, LOG,
// SIN, COS, LOGICAL_AND/OR/NOT, EQUAL, NOT_EQUAL, GREATER, GREATER_EQUAL, LESS, LESS_EQUAL,
// FLOOR_DIV, FLOOR_MOD, POW, SELECT_V2, ZEROS_LIKE, FILL, ADD_N, L2_NORMALIZATION.
// Expected values: TFLM's kernel-test tables copied with their quantization and tolerances
// (elementwise_test.cc for ABS/SIN/COS/LOG/SQRT/RSQRT/SQUARE/LOGICAL_NOT, comparisons_test.cc's
// quantized int8 cases); for the other operators, cases in the shape of their TFLM/TFLite tests
// checked against values computed independently here (C's float semantics, a BigInt model of the
// rescaling). The same models run inside XS must give Node's results bit for bit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Interpreter, OpError } from './lib/tflite.mjs';
import { allOps } from './lib/kernels-all.mjs';
import { writeModel, XsEngine } from './lib/host.mjs';

const f32 = Math.fround;
const TYPED = { float32: Float32Array, int8: Int8Array, int16: Int16Array, int32: Int32Array, bool: Uint8Array, int64: Int32Array };
const RANGE = { int8: [-128, 127], int16: [-32768, 32767] };

/** A one-operator model: `tensors` are the op's inputs then its output; constants carry data. */
function opModel(op, tensors, options = {}) {
  const n = tensors.length;
  const inputs = [];
  for (let i = 0; i < n - 1; i++) if (!tensors[i].data) inputs.push(i);
  const operator = { op, inputs: tensors.slice(0, n - 1).map((_, i) => i), outputs: [n - 1] };
  if (Object.keys(options).length) operator.options = options;
  return writeModel({ subgraphs: [{ tensors, inputs, outputs: [n - 1], operators: [operator] }] });
}

const CASES = [];
function run(name, model, inputs) {
  const it = new Interpreter(model, { resolver: allOps() }).allocateTensors();
  inputs.forEach((values, i) => it.setInput(i, values));
  it.invoke();
  CASES.push({ name, model, inputs });
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
const bools = a => Uint8Array.from(a, v => (v ? 1 : 0));

/** A float (or bool) unary model of `shape`. */
function unary(op, type, shape, x, options = {}) {
  return run(`${op} ${type}`, opModel(op, [{ type, shape }, { type, shape }], options), [TYPED[type].from(x)]);
}

/** TFLM's TestElementwiseQuantized: quantize, run, dequantize, compare within the input scale. */
function unaryQuantized(op, type, shape, x, inQ, outQ, golden) {
  const model = opModel(op, [{ type, shape, scale: inQ[0], zeroPoint: inQ[1] }, { type, shape, scale: outQ[0], zeroPoint: outQ[1] }]);
  const got = run(`${op} ${type}`, model, [quantize(x, type, ...inQ)]);
  assertNear(dequantize(got, ...outQ), golden, inQ[0], `${op} ${type}`);
  return got;
}

// ---- elementwise_test.cc and the single-op tests --------------------------------------------------

test('float unary operators follow elementwise_test.cc, exp_test.cc, neg/ceil/floor/round tests', () => {
  const s = [2, 2];
  assertNear(unary('ABS', 'float32', s, [0.01, -0.01, 10, -10]), [0.01, 0.01, 10, 10], 1e-5, 'ABS');
  assertNear(unary('SIN', 'float32', s, [0, 3.1415926, -3.1415926, 1]), [0, 0, 0, 0.84147], 1e-5, 'SIN');
  assertNear(unary('COS', 'float32', s, [0, 3.1415926, -3.1415926, 1]), [1, -1, -1, 0.5403], 1e-5, 'COS');
  assertNear(unary('LOG', 'float32', s, [1, 2.7182818, 0.5, 2]), [0, 1, -0.6931472, 0.6931472], 1e-5, 'LOG');
  assertNear(unary('SQRT', 'float32', s, [0, 1, 2, 4]), [0, 1, 1.41421, 2], 1e-5, 'SQRT');
  assertNear(unary('RSQRT', 'float32', s, [1, 2, 4, 9]), [1, 0.7071, 0.5, 0.33333], 1e-4, 'RSQRT');
  assertNear(unary('SQUARE', 'float32', s, [1, 2, 0.5, -3]), [1, 4, 0.25, 9], 1e-5, 'SQUARE');
  assert.deepEqual(unary('LOGICAL_NOT', 'bool', s, [1, 0, 0, 1]), bools([0, 1, 1, 0]));
  // exp_test.cc: exp of a few values, within a relative 1e-5.
  const ex = [0.0, 1.0, -1.0, 10.0, -10.0, 0.01, -0.01];
  const ey = unary('EXP', 'float32', [7], ex);
  ex.forEach((v, i) => assertNear([ey[i]], [Math.exp(v)], 1e-5 * Math.exp(v), `EXP(${v})`));
  // Past float range: infinity, as expf.
  assert.deepEqual(Array.from(unary('EXP', 'float32', [2], [100, -200])), [Infinity, 0]);
  // neg_test.cc: {8.0, 6.0, -2.0, 5.0} -> negated.
  assert.deepEqual(Array.from(unary('NEG', 'float32', s, [8, 6, -2, 5])), [-8, -6, 2, -5]);
  // ceil_test.cc / floor_test.cc.
  const cf = [-6.1, 4.9, 0.1, 2.5, -0.5, 7.0];
  assert.deepEqual(Array.from(unary('CEIL', 'float32', [6], cf)), Array.from(Float32Array.from(cf), Math.ceil));
  assert.deepEqual(Array.from(unary('FLOOR', 'float32', [6], cf)), Array.from(Float32Array.from(cf), Math.floor));
  // round_test.cc: halves to even.
  const rounded = unary('ROUND', 'float32', [2, 3, 2], [0, 1.5, 2.5, -2.5, -1.5, 3.5, 0.5, -0.5, 1.4, -1.4, 1.6, -1.6]);
  assert.deepEqual(Array.from(rounded, v => v + 0), [0, 2, 2, -2, -2, 4, 0, -0, 1, -1, 2, -2].map(v => v + 0));
});

test('float results are the float32 rounding of the double operation (bit-exact, edge values)', () => {
  const xs = [0, -0, 1e-30, 0.1, 1, 1.5, 3.1415927, 10, 88.7, 89, -87, -104, 1e20, Infinity, -Infinity, NaN];
  const same = (op, f) => {
    const got = unary(op, 'float32', [xs.length], xs);
    const want = Float32Array.from(Float32Array.from(xs), f);
    for (let i = 0; i < xs.length; i++) assert.ok(Object.is(got[i], want[i]), `${op}(${xs[i]}) = ${got[i]}, expected ${want[i]}`);
  };
  same('EXP', Math.exp);
  same('LOG', Math.log);
  same('SQRT', Math.sqrt);
  same('SIN', Math.sin);
  same('COS', Math.cos);
  same('RSQRT', x => 1 / f32(Math.sqrt(x)));
  same('SQUARE', x => x * x);
  same('NEG', x => -x);
  same('ABS', Math.abs);
});

test('ABS int8/int16 and RSQRT int8/int16 follow elementwise_test.cc', () => {
  const s = [1, 8];
  const x = [15, 46, 78, -142, -1, -17, -49, 113];
  const absGolden = [15, 46, 78, 142, 1, 17, 49, 113];
  const inScale = f32(f32(113 - -142) / 255), inZero = 127 - 113;
  unaryQuantized('ABS', 'int8', s, x, [inScale, inZero], [f32(142 / 255), -128], absGolden);
  unaryQuantized('ABS', 'int8', s, x, [inScale, inZero], [inScale, -128], absGolden);
  unaryQuantized('ABS', 'int16', s, x, [f32(142 / 32767), 0], [f32(150 / 32767), 0], absGolden);
  const rx = [15, 46, 78, 142, 1, 17, 49, 113];
  const rGolden = [0.2582, 0.14744, 0.11323, 0.08392, 1, 0.24254, 0.142857, 0.09407];
  unaryQuantized('RSQRT', 'int8', s, rx, [f32(142 / 255), 127 - 142], [f32(1 / 255), -128], rGolden);
  unaryQuantized('RSQRT', 'int16', s, rx, [f32(142 / 32768), 0], [f32(1 / 32768), 0], rGolden);
  // RsqrtCloseTo0Int8: 0.1 quantizes to the zero point, which gives the largest output.
  unaryQuantized('RSQRT', 'int8', s, [15, 46, 78, 142, 1, 0.1, 49, 113], [f32(142 / 255), 127 - 142], [f32(3.16 / 255), -128],
    [0.2582, 0.14744, 0.11323, 0.08392, 1, 3.16228, 0.142857, 0.09407]);
  // RsqrtNanInt8: a value below the zero point is an invoke error.
  const model = opModel('RSQRT', [{ type: 'int8', shape: s, scale: f32(142 / 255), zeroPoint: -15 }, { type: 'int8', shape: s, scale: f32(1 / 255), zeroPoint: -128 }]);
  const it = new Interpreter(model, { resolver: allOps() }).allocateTensors();
  it.setInput(0, quantize([15, 46, 78, 142, 1, 17, -49, 113], 'int8', f32(142 / 255), -15));
  assert.throws(() => it.invoke(), /RSQRT.*positive values/);
  // Plain (unquantized) int16 ABS wraps -32768 as TFLM's cast does.
  assert.deepEqual(Array.from(unary('ABS', 'int16', [4], [-32768, -5, 0, 32767])), [-32768, 5, 0, 32767]);
});

// ---- comparisons_test.cc ------------------------------------------------------------------------

function compare(op, type, shapes, a, b, q = null) {
  const [s1, s2, so] = shapes;
  const t1 = { type, shape: s1 }, t2 = { type, shape: s2 };
  if (q) Object.assign(t1, { scale: q[0][0], zeroPoint: q[0][1] }), Object.assign(t2, { scale: q[1][0], zeroPoint: q[1][1] });
  const model = opModel(op, [t1, t2, { type: 'bool', shape: so }]);
  const qa = q ? quantize(a, type, ...q[0]) : type === 'int64' ? int64(a) : TYPED[type].from(a);
  const qb = q ? quantize(b, type, ...q[1]) : type === 'int64' ? int64(b) : TYPED[type].from(b);
  return Array.from(run(`${op} ${type}`, model, [qa, qb]));
}
const int64 = values => { const out = new Int32Array(values.length * 2); values.forEach((v, i) => { out[2 * i] = v; out[2 * i + 1] = v < 0 ? -1 : 0; }); return out; };
const b01 = a => a.map(v => (v ? 1 : 0));

test('comparisons follow comparisons_test.cc (bool, float, int32, int64, quantized int8 with broadcast)', () => {
  const s = [1, 2, 2, 1];
  const sh = [s, s, s];
  assert.deepEqual(compare('EQUAL', 'bool', sh, [1, 0, 1, 0], [1, 1, 0, 0]), b01([true, false, false, true]));
  assert.deepEqual(compare('NOT_EQUAL', 'bool', sh, [1, 0, 1, 0], [1, 1, 0, 0]), b01([false, true, true, false]));
  const fa = [0.1, 0.9, 0.7, 0.3], fb = [0.1, 0.2, 0.6, 0.5];
  assert.deepEqual(compare('EQUAL', 'float32', sh, fa, fb), b01([true, false, false, false]));
  assert.deepEqual(compare('NOT_EQUAL', 'float32', sh, fa, fb), b01([false, true, true, true]));
  assert.deepEqual(compare('GREATER', 'float32', sh, fa, fb), b01([false, true, true, false]));
  assert.deepEqual(compare('GREATER_EQUAL', 'float32', sh, fa, fb), b01([true, true, true, false]));
  assert.deepEqual(compare('LESS', 'float32', sh, fa, fb), b01([false, false, false, true]));
  assert.deepEqual(compare('LESS_EQUAL', 'float32', sh, fa, fb), b01([true, false, false, true]));
  const ia = [-1, 9, 7, 3], ib = [1, 2, 7, 5];
  for (const type of ['int32', 'int64']) {
    assert.deepEqual(compare('EQUAL', type, sh, ia, ib), b01([false, false, true, false]), `EQUAL ${type}`);
    assert.deepEqual(compare('GREATER', type, sh, ia, ib), b01([false, true, false, false]), `GREATER ${type}`);
    assert.deepEqual(compare('LESS_EQUAL', type, sh, ia, ib), b01([true, false, true, true]), `LESS_EQUAL ${type}`);
  }
  // int64 beyond 32 bits: the high word decides, then the low word unsigned.
  const big = new Int32Array([0, 1, -1, 0, 5, -1, 0, 0]), small = new Int32Array([-1, 0, 0, 1, 4, -1, -1, -1]);
  const m64 = opModel('LESS', [{ type: 'int64', shape: [4] }, { type: 'int64', shape: [4] }, { type: 'bool', shape: [4] }]);
  assert.deepEqual(Array.from(run('LESS int64 wide', m64, [big, small])), [0, 1, 0, 0]);
  // Broadcast: int32 {-1, 9, 7, 3, 2, 4} against a scalar 7 (EqualBroadcast... tests).
  for (const shape of [[6], [2, 3], [2, 1, 3], [1, 3, 1, 2]]) {
    assert.deepEqual(compare('GREATER', 'int32', [shape, [1], shape], [-1, 9, 7, 3, 2, 4], [7]), b01([false, true, false, false, false, false]));
    assert.deepEqual(compare('LESS_EQUAL', 'float32', [[1], shape, shape], [7], [-1, 9, 7, 3, 2, 4]), b01([false, true, true, false, false, false]));
  }
  // Quantized int8: EqualQuantizedInt8.
  assert.deepEqual(compare('EQUAL', 'int8', sh, [1, -9, 7, 3], [-1, 2, 7, 5], [[0.5, -5], [0.25, 5]]), b01([false, false, true, false]));
  // ...QuantizedInt8WithBroadcast: TFLM's tests pass input 1's quantization for both inputs.
  const q = [[0.5, -9], [0.5, -9]];
  const x = [20, -2, -71, 8, 11, 20];
  for (const shape of [[6], [2, 3], [2, 1, 3], [1, 3, 1, 2]]) {
    const sb = [shape, [1], shape];
    assert.deepEqual(compare('NOT_EQUAL', 'int8', sb, x, [8], q), b01([true, true, true, false, true, true]));
    assert.deepEqual(compare('GREATER', 'int8', sb, x, [8], q), b01([true, false, false, false, true, true]));
    assert.deepEqual(compare('GREATER_EQUAL', 'int8', sb, x, [8], q), b01([true, false, false, true, true, true]));
    assert.deepEqual(compare('LESS', 'int8', sb, x, [8], q), b01([false, true, true, false, false, false]));
    assert.deepEqual(compare('LESS_EQUAL', 'int8', sb, x, [8], q), b01([false, true, true, true, false, false]));
  }
  // int16 GREATER rescales as int8 does.
  assert.deepEqual(compare('GREATER', 'int16', sh, [1, -9, 7, 3], [-1, 2, 7, 5], [[0.5, 0], [0.25, 0]]), b01([true, false, false, false]));
});

test('quantized comparisons rescale to the bit: an independent model of *WithScaling', () => {
  // Scales below 1/256 make different raw values equal after rescaling: compare to a BigInt model.
  const srdhm = (a, b) => {
    if (a === -2147483648 && b === -2147483648) return 2147483647;
    const ab = BigInt(a) * BigInt(b);
    const nudge = ab >= 0n ? 1n << 30n : 1n - (1n << 30n);
    return Number(BigInt.asIntN(32, (ab + nudge) / (1n << 31n)));
  };
  const rdbpot = (x, e) => { const mask = (1 << e) - 1, r = x & mask, t = (mask >> 1) + (x < 0 ? 1 : 0); return (x >> e) + (r > t ? 1 : 0); };
  const qm = scale => { let e = Math.floor(Math.log2(scale)) + 1; let m = scale / 2 ** e; if (m >= 1) { m /= 2; e++; } if (m < 0.5) { m *= 2; e--; } let f = Math.round(m * 2 ** 31); if (f === 2 ** 31) { f /= 2; e++; } return [f, e]; };
  const scaled = (v, zero, scale) => { const [m, e] = qm(scale); return rdbpot(srdhm((v - zero) * 256, m), -e); };
  const a = Int8Array.from({ length: 256 }, (_, i) => i - 128), b = Int8Array.from({ length: 256 }, (_, i) => 127 - ((i * 37) & 255));
  for (const [s1, z1, s2, z2] of [[0.001, 3, 0.0013, -7], [0.5, -9, 0.25, 9], [0.003, 0, 0.003, 1]]) {
    const model = opModel('EQUAL', [{ type: 'int8', shape: [256], scale: s1, zeroPoint: z1 }, { type: 'int8', shape: [256], scale: s2, zeroPoint: z2 }, { type: 'bool', shape: [256] }]);
    const got = run(`EQUAL int8 ${s1}`, model, [a, b]);
    const want = Array.from(a, (v, i) => (scaled(v, z1, f32(s1)) === scaled(b[i], z2, f32(s2)) ? 1 : 0));
    assert.deepEqual(Array.from(got), want, `EQUAL int8 scales ${s1}, ${s2}`);
  }
});

// ---- logical_test.cc, floor_div_test.cc, floor_mod_test.cc, pow ------------------------------------

test('LOGICAL_AND / LOGICAL_OR follow logical_test.cc (with broadcast)', () => {
  const s = [1, 1, 1, 4];
  const m = (op, s1, s2) => opModel(op, [{ type: 'bool', shape: s1 }, { type: 'bool', shape: s2 }, { type: 'bool', shape: s }]);
  assert.deepEqual(Array.from(run('LOGICAL_OR', m('LOGICAL_OR', s, s), [bools([1, 0, 0, 1]), bools([1, 0, 1, 0])])), [1, 0, 1, 1]);
  assert.deepEqual(Array.from(run('LOGICAL_OR', m('LOGICAL_OR', s, [1, 1, 1, 1]), [bools([1, 0, 0, 1]), bools([0])])), [1, 0, 0, 1]);
  assert.deepEqual(Array.from(run('LOGICAL_AND', m('LOGICAL_AND', s, s), [bools([1, 0, 0, 1]), bools([1, 0, 1, 0])])), [1, 0, 0, 0]);
  assert.deepEqual(Array.from(run('LOGICAL_AND', m('LOGICAL_AND', s, [1, 1, 1, 1]), [bools([1, 0, 0, 1]), bools([1])])), [1, 0, 0, 1]);
});

test('FLOOR_DIV, FLOOR_MOD and POW follow their tests', () => {
  const s = [1, 2, 2, 1];
  const bin = (op, type, s1, s2, so, a, b) => run(`${op} ${type}`, opModel(op, [{ type, shape: s1 }, { type, shape: s2 }, { type, shape: so }]), [TYPED[type].from(a), TYPED[type].from(b)]);
  // floor_div_test.cc FloorDivTestFloat / FloorDivTestBroadcastFloat.
  assert.deepEqual(Array.from(bin('FLOOR_DIV', 'float32', s, s, s, [10.05, 9.09, 11.9, 3.05], [2.05, 2.03, 3.03, 4.03])), [4, 4, 3, 0]);
  assert.deepEqual(Array.from(bin('FLOOR_DIV', 'float32', s, [1, 1, 1, 1], s, [10.03, -9.9, -11.0, 7.0], [2.0])), [5, -5, -6, 3]);
  // floor_mod_test.cc FloorModFloatSimple / FloorModFloatBroadcast.
  assertNear(bin('FLOOR_MOD', 'float32', s, s, s, [10, 9, 11, 3], [2, 2, 3, 4]), [0, 1, 2, 3], 1e-5, 'FLOOR_MOD');
  assertNear(bin('FLOOR_MOD', 'float32', s, [1], s, [10, -9, -11, 7], [-3]), [-2, 0, -2, -2], 1e-5, 'FLOOR_MOD broadcast');
  // A zero divisor is TFLM's "Division by 0" invoke error.
  assert.throws(() => bin('FLOOR_DIV', 'float32', s, s, s, [1, 2, 3, 4], [1, 0, 1, 1]), /Division by 0/);
  // pow_test.cc (TFLite): Simple int32, float, broadcast.
  assert.deepEqual(Array.from(bin('POW', 'int32', s, s, s, [12, 2, 7, 8], [1, 2, 3, 1])), [12, 4, 343, 8]);
  assertNear(bin('POW', 'float32', s, s, s, [0.3, 0.4, 0.7, 5.8], [0.5, 2.7, 3.1, 3.2]), [0.5477226, 0.08424846, 0.33098164, 277.313], 0.05, 'POW float');
  assert.deepEqual(Array.from(bin('POW', 'int32', s, [1], s, [12, 2, 7, 8], [4])), [20736, 16, 2401, 4096]);
  assert.throws(() => bin('POW', 'int32', s, s, s, [1, 2, 3, 4], [1, -1, 1, 1]), /negative value/);
  // C's pow(1, NaN) and pow(-1, ±inf) are 1.
  assert.deepEqual(Array.from(bin('POW', 'float32', [4], [4], [4], [1, -1, -1, 2], [NaN, Infinity, -Infinity, 0.5])), [1, 1, 1, f32(Math.SQRT2)]);
});

// ---- select_test.cc, zeros_like_test.cc, fill_test.cc ---------------------------------------------

test('SELECT_V2 follows select_test.cc (same shapes, scalar and broadcast conditions)', () => {
  const sel = (type, sc, sx, sy, so, c, x, y) => run(`SELECT_V2 ${type}`, opModel('SELECT_V2', [{ type: 'bool', shape: sc }, { type, shape: sx }, { type, shape: sy }, { type, shape: so }]),
    [bools(c), TYPED[type].from(x), TYPED[type].from(y)]);
  const s = [1, 1, 1, 4];
  assert.deepEqual(Array.from(sel('float32', s, s, s, s, [1, 0, 1, 0], [0.1, 0.2, 0.3, 0.4], [0.5, 0.6, 0.7, 0.8])), Array.from(Float32Array.of(0.1, 0.6, 0.3, 0.8)));
  assert.deepEqual(Array.from(sel('int8', s, s, s, s, [0, 1, 0, 0], [1, -2, 3, 4], [5, 6, 7, -8])), [5, -2, 7, -8]);
  assert.deepEqual(Array.from(sel('int16', s, s, s, s, [0, 1, 0, 0], [1, 2, 3, 4], [5, 6, 7, 8])), [5, 2, 7, 8]);
  // BroadcastSelectInt16OneDimensionConditionWithSingleValue-style: scalar condition.
  assert.deepEqual(Array.from(sel('int16', [1], [1, 2, 2, 1], [1, 2, 2, 1], [1, 2, 2, 1], [0], [1, 2, 3, 4], [5, 6, 7, 8])), [5, 6, 7, 8]);
  // SelectV2 BroadcastLesserThan4D: condition [1, 2], x [1, 2, 2], y [1, 1, 2, 2] -> [1, 1, 2, 2].
  assert.deepEqual(Array.from(sel('float32', [1, 2], [1, 2, 2], [1, 1, 2, 2], [1, 1, 2, 2], [0, 1], [1, 2, 3, 4], [5, 6, 7, 8])), [5, 2, 7, 4]);
  // BroadcastTwoDimensions: condition [2, 1, 2, 1] on x [1, 2, 1, 2] and y [1, 1, 1, 1].
  assert.deepEqual(Array.from(sel('float32', [2, 1, 2, 1], [1, 2, 1, 2], [1, 1, 1, 1], [2, 2, 2, 2], [1, 0, 1, 0], [1, 2, 3, 4], [9])),
    [1, 2, 9, 9, 3, 4, 9, 9, 1, 2, 9, 9, 3, 4, 9, 9]);
});

test('ZEROS_LIKE and FILL follow their tests', () => {
  for (const type of ['float32', 'int8', 'int32', 'int64']) {
    const model = opModel('ZEROS_LIKE', [{ type, shape: [1, 2, 2, 1] }, { type, shape: [1, 2, 2, 1] }]);
    const input = TYPED[type].from(type === 'int64' ? [-2, 1, 3, 4, 5, -6, 7, 8] : [-2, 1, 3, 4]);
    assert.ok(run(`ZEROS_LIKE ${type}`, model, [input]).every(v => v === 0), `ZEROS_LIKE ${type}`);
  }
  // fill_test.cc: dims {2, 3} as an int32 or int64 constant, value 4 (int8 / int32) or 4.5 (float).
  for (const [type, value] of [['float32', 4.5], ['int32', 4], ['int8', -3]]) {
    for (const dimsType of ['int32', 'int64']) {
      const dims = dimsType === 'int64' ? new Int32Array([2, 0, 3, 0]) : new Int32Array([2, 3]);
      const model = opModel('FILL', [{ type: dimsType, shape: [2], data: dims }, { type, shape: [] }, { type, shape: [2, 3] }]);
      assert.deepEqual(Array.from(run(`FILL ${type}`, model, [TYPED[type].of(value)])), Array(6).fill(value));
    }
    // dims as a graph input are not checked (TFLM's prepare reads them only when constant).
    const model = opModel('FILL', [{ type: 'int32', shape: [2] }, { type, shape: [] }, { type, shape: [2, 3] }]);
    assert.deepEqual(Array.from(run(`FILL ${type} dims input`, model, [Int32Array.of(2, 3), TYPED[type].of(value)])), Array(6).fill(value));
  }
});

// ---- add_n_test.cc, l2norm_test.cc ---------------------------------------------------------------

test('ADD_N follows add_n_test.cc (float, and int8 with TFLM\'s start value)', () => {
  const s = [1, 2, 2, 1];
  const x = [[-2.0, 0.2, 0.7, 0.8], [0.1, 0.2, 0.3, 0.5], [0.5, 0.1, 0.1, 0.2]];
  const fm = opModel('ADD_N', [...x.map(() => ({ type: 'float32', shape: s })), { type: 'float32', shape: s }]);
  const got = run('ADD_N float32', fm, x.map(v => Float32Array.from(v)));
  const want = Float32Array.from([0, 1, 2, 3], i => f32(f32(f32(0 + f32(x[0][i])) + f32(x[1][i])) + f32(x[2][i])));
  assert.deepEqual(Array.from(got), Array.from(want));
  assertNear(got, [-1.4, 0.5, 1.1, 1.5], 1e-5, 'ADD_N float golden');
  // The same values in int8 at a scale that holds them (zero point 0 keeps TFLM's start value at 0).
  const q = [f32(4 / 255), 0];
  const im = opModel('ADD_N', [...x.map(() => ({ type: 'int8', shape: s, scale: q[0], zeroPoint: q[1] })), { type: 'int8', shape: s, scale: q[0], zeroPoint: q[1] }]);
  const gi = run('ADD_N int8', im, x.map(v => quantize(v, 'int8', ...q)));
  assertNear(dequantize(gi, ...q), [-1.4, 0.5, 1.1, 1.5], q[0], 'ADD_N int8');
  // A nonzero zero point: TFLM's sum starts at the rescaled input offset (-zero point), once.
  const z = [0.05, 10];
  const zm = opModel('ADD_N', [{ type: 'int8', shape: [2], scale: z[0], zeroPoint: z[1] }, { type: 'int8', shape: [2], scale: z[0], zeroPoint: z[1] }, { type: 'int8', shape: [2], scale: 0.1, zeroPoint: 0 }]);
  const gz = run('ADD_N int8 zp', zm, [Int8Array.of(30, 10), Int8Array.of(50, 10)]);
  // Real sum (20 + 40) * 0.05 = 3 -> 30 at scale 0.1; TFLM adds -10 * 0.05 = -0.5 -> 25.
  assert.deepEqual(Array.from(gz), [25, -5]);
});

test('L2_NORMALIZATION follows l2norm_test.cc (float and int8)', () => {
  const x = [-1.1, 0.6, 0.7, 1.2, -0.7, 0.1];
  const golden = [-0.55, 0.3, 0.35, 0.6, -0.35, 0.05];
  for (const shape of [[1, 1, 1, 6], [6]]) {
    const fm = opModel('L2_NORMALIZATION', [{ type: 'float32', shape }, { type: 'float32', shape }]);
    assertNear(run('L2_NORMALIZATION float32', fm, [Float32Array.from(x)]), golden, 1e-5, 'L2 float');
  }
  // Zero vector: max(norm, 1e-6) keeps it zero.
  const zm = opModel('L2_NORMALIZATION', [{ type: 'float32', shape: [1, 3] }, { type: 'float32', shape: [1, 3] }]);
  assert.deepEqual(Array.from(run('L2 zero', zm, [new Float32Array(3)])), [0, 0, 0]);
  // SimpleInt8Test: input scale 2/255 zero point 0 (kMin -2, kMax 2), output 1/128.
  const inQ = [f32(2 / 127.5), 0];
  const im = opModel('L2_NORMALIZATION', [{ type: 'int8', shape: [1, 1, 1, 6], scale: inQ[0], zeroPoint: 0 }, { type: 'int8', shape: [1, 1, 1, 6], scale: 1 / 128, zeroPoint: 0 }]);
  assertNear(dequantize(run('L2 int8', im, [quantize(x, 'int8', ...inQ)]), 1 / 128, 0), golden, 0.1, 'L2 int8');
  // Int8 multiple batches with a zero point.
  const zq = [0.02, -3];
  const bm = opModel('L2_NORMALIZATION', [{ type: 'int8', shape: [3, 6], scale: zq[0], zeroPoint: zq[1] }, { type: 'int8', shape: [3, 6], scale: 1 / 128, zeroPoint: 0 }]);
  const three = [...x, ...x.map(v => v / 2), ...x.map(v => -v)];
  assertNear(dequantize(run('L2 int8 batches', bm, [quantize(three, 'int8', ...zq)]), 1 / 128, 0), [...golden, ...golden, ...golden.map(v => -v)], 0.03, 'L2 int8 batches');
});

// ---- prepare errors -------------------------------------------------------------------------------

test('prepare refuses what TFLM refuses, with named operator errors', () => {
  const bad = [
    opModel('SIN', [{ type: 'int8', shape: [3], scale: 0.1, zeroPoint: 0 }, { type: 'int8', shape: [3], scale: 0.1, zeroPoint: 0 }]),
    opModel('EXP', [{ type: 'float32', shape: [3] }, { type: 'int32', shape: [3] }]),
    opModel('NEG', [{ type: 'float32', shape: [3] }, { type: 'float32', shape: [4] }]),
    opModel('ABS', [{ type: 'int16', shape: [3], scale: 0.1, zeroPoint: 1 }, { type: 'int16', shape: [3], scale: 0.1, zeroPoint: 0 }]),
    opModel('RSQRT', [{ type: 'int8', shape: [3] }, { type: 'int8', shape: [3] }]),
    opModel('LOGICAL_NOT', [{ type: 'float32', shape: [3] }, { type: 'float32', shape: [3] }]),
    opModel('EQUAL', [{ type: 'float32', shape: [3] }, { type: 'int32', shape: [3] }, { type: 'bool', shape: [3] }]),
    opModel('LESS', [{ type: 'int16', shape: [3], scale: 0.1, zeroPoint: 0 }, { type: 'int16', shape: [3], scale: 0.1, zeroPoint: 0 }, { type: 'bool', shape: [3] }]),
    opModel('GREATER', [{ type: 'float32', shape: [3] }, { type: 'float32', shape: [3] }, { type: 'float32', shape: [3] }]),
    opModel('GREATER', [{ type: 'float32', shape: [3] }, { type: 'float32', shape: [2] }, { type: 'bool', shape: [3] }]),
    opModel('EQUAL', [{ type: 'int8', shape: [3], scale: 2, zeroPoint: 0 }, { type: 'int8', shape: [3], scale: 0.5, zeroPoint: 0 }, { type: 'bool', shape: [3] }]),
    opModel('LESS', [{ type: 'float32', shape: [2, 1, 1, 1, 3] }, { type: 'float32', shape: [3] }, { type: 'bool', shape: [2, 1, 1, 1, 3] }]),
    opModel('LOGICAL_AND', [{ type: 'int8', shape: [3] }, { type: 'int8', shape: [3] }, { type: 'int8', shape: [3] }]),
    opModel('FLOOR_DIV', [{ type: 'int32', shape: [3] }, { type: 'int32', shape: [3] }, { type: 'int32', shape: [3] }]),
    opModel('POW', [{ type: 'int8', shape: [3] }, { type: 'int8', shape: [3] }, { type: 'int8', shape: [3] }]),
    opModel('SELECT_V2', [{ type: 'int8', shape: [3] }, { type: 'float32', shape: [3] }, { type: 'float32', shape: [3] }, { type: 'float32', shape: [3] }]),
    opModel('SELECT_V2', [{ type: 'bool', shape: [3] }, { type: 'int32', shape: [3] }, { type: 'int32', shape: [3] }, { type: 'int32', shape: [3] }]),
    opModel('ZEROS_LIKE', [{ type: 'int16', shape: [3] }, { type: 'int16', shape: [3] }]),
    opModel('FILL', [{ type: 'int32', shape: [2], data: new Int32Array([2, 4]) }, { type: 'float32', shape: [] }, { type: 'float32', shape: [2, 3] }]),
    opModel('FILL', [{ type: 'int32', shape: [2], data: new Int32Array([2, 3]) }, { type: 'float32', shape: [1] }, { type: 'float32', shape: [2, 3] }]),
    opModel('FILL', [{ type: 'int32', shape: [2], data: new Int32Array([2, 3]) }, { type: 'int16', shape: [] }, { type: 'int16', shape: [2, 3] }]),
    opModel('ADD_N', [{ type: 'float32', shape: [3] }, { type: 'float32', shape: [3] }]),
    opModel('ADD_N', [{ type: 'float32', shape: [3] }, { type: 'float32', shape: [1, 3] }, { type: 'float32', shape: [3] }]),
    opModel('ADD_N', [{ type: 'int8', shape: [3], scale: 0.1, zeroPoint: 0 }, { type: 'int8', shape: [3], scale: 0.2, zeroPoint: 0 }, { type: 'int8', shape: [3], scale: 0.1, zeroPoint: 0 }]),
    opModel('ADD_N', [{ type: 'int32', shape: [3] }, { type: 'int32', shape: [3] }, { type: 'int32', shape: [3] }]),
    opModel('L2_NORMALIZATION', [{ type: 'float32', shape: [1, 1, 1, 1, 3] }, { type: 'float32', shape: [1, 1, 1, 1, 3] }]),
    opModel('L2_NORMALIZATION', [{ type: 'float32', shape: [3] }, { type: 'float32', shape: [3] }], { fusedActivationFunction: 'RELU' }),
    opModel('L2_NORMALIZATION', [{ type: 'int16', shape: [3] }, { type: 'int16', shape: [3] }]),
  ];
  for (const [i, model] of bad.entries()) {
    assert.throws(() => new Interpreter(model, { resolver: allOps() }).allocateTensors(), OpError, `bad model ${i}`);
  }
});

// ---- the same models inside XS --------------------------------------------------------------------

test('inside XS (hardened, as a Moddable preload) every case gives the Node results bit for bit', async () => {
  // Extra cases with many values: every int8 input of RSQRT, ABS and the comparisons.
  const all8 = Int8Array.from({ length: 256 }, (_, i) => i - 128);
  run('RSQRT int8 all', opModel('RSQRT', [{ type: 'int8', shape: [256], scale: 0.05, zeroPoint: -128 }, { type: 'int8', shape: [256], scale: 0.02, zeroPoint: -100 }]), [all8]);
  run('ABS int8 all', opModel('ABS', [{ type: 'int8', shape: [256], scale: 0.05, zeroPoint: 3 }, { type: 'int8', shape: [256], scale: 0.03, zeroPoint: -128 }]), [all8]);
  run('L2 int8 all', opModel('L2_NORMALIZATION', [{ type: 'int8', shape: [16, 16], scale: 0.05, zeroPoint: 3 }, { type: 'int8', shape: [16, 16], scale: 1 / 128, zeroPoint: 0 }]), [all8]);
  const cases = CASES.slice();
  const engine = await XsEngine.start({ harden: true });
  try {
    for (const c of cases) {
      const it = new Interpreter(c.model, { resolver: allOps() }).allocateTensors();
      c.inputs.forEach((values, i) => it.setInput(i, values));
      it.invoke();
      const want = it.output(0).data.slice();
      const loaded = await engine.load(c.model);
      const bytes = c.inputs.map(v => new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
      const result = await engine.run(bytes, 1, loaded.outputs.map(o => o.byteLength));
      const got = new want.constructor(result.outputs[0].slice().buffer);
      assert.equal(got.length, want.length, c.name);
      for (let i = 0; i < want.length; i++) assert.ok(Object.is(got[i], want[i]), `${c.name} in XS: element ${i} is ${got[i]}, Node ${want[i]}`);
    }
  } finally {
    await engine.close();
  }
});
