// Shape, data-movement, reduction and resize kernels, one single-op model at a time. Every model
// runs on Node and in the real XS engine (which must agree to the bit); expected values come
// from TFLM's kernel tests, from an independent computation here, or from reference TFLite.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Interpreter, OpError } from './lib/tflite.mjs';
import { allOps } from './lib/kernels-all.mjs';
import { writeModel, runReference, referenceAvailable, XsEngine } from './lib/host.mjs';

let xs = null;
let haveReference = false;
before(async () => {
  haveReference = await referenceAvailable();
  xs = await XsEngine.start();
});
after(async () => {
  if (xs) await xs.close();
});

const TYPED = { float32: Float32Array, int8: Int8Array, uint8: Uint8Array, int16: Int16Array, int32: Int32Array, int64: Int32Array, bool: Uint8Array };

/**
 * A one-operator model. `tensors` are writer tensors; those without data that the operator reads
 * become the model's inputs (in order), its outputs the model's outputs.
 */
function opModel(op, tensors, opInputs, opOutputs, options = {}) {
  const inputs = opInputs.filter(i => i >= 0 && tensors[i].data === undefined);
  return writeModel({ subgraphs: [{ tensors, inputs, outputs: opOutputs, operators: [{ op, inputs: opInputs, outputs: opOutputs, options }] }] });
}

function bytesOf(view) {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength).slice();
}

/** Runs on Node and XS; returns Node's outputs after checking XS wrote the same bytes. */
async function run(model, inputs) {
  const interpreter = new Interpreter(model, { resolver: allOps() }).allocateTensors();
  inputs.forEach((values, i) => interpreter.input(i).bytes.set(bytesOf(values)));
  interpreter.invoke();
  const outputs = [];
  for (let i = 0; i < interpreter.outputCount; i++) outputs.push(interpreter.output(i).data.slice());
  if (xs) {
    const loaded = await xs.load(model);
    const result = await xs.run(inputs.map(bytesOf), 1, loaded.outputs.map(o => o.byteLength));
    outputs.forEach((o, i) => assert.deepEqual(result.outputs[i], bytesOf(o), `XS output ${i} differs from Node's`));
  }
  return outputs;
}

/** Plain numbers; int64 (low, high) pairs combined. */
function numbers(values, int64 = false) {
  if (typeof values[0] === 'bigint' || values instanceof BigInt64Array) return Array.from(values, Number);
  if (!int64) return Array.from(values);
  const out = [];
  for (let i = 0; i < values.length; i += 2) out.push(values[i + 1] * 4294967296 + (values[i] >>> 0));
  return out;
}

/** Runs the model and, when reference TFLite is here, checks every output equals its output. */
async function runAgainstReference(model, inputs, { int64Outputs = [], tolerance = 0 } = {}) {
  const ours = await run(model, inputs);
  if (haveReference) {
    const theirs = await runReference(model, inputs);
    ours.forEach((o, i) => {
      const a = numbers(o, int64Outputs.includes(i)), b = numbers(theirs[i]);
      assert.equal(a.length, b.length, `output ${i} length`);
      for (let k = 0; k < a.length; k++) {
        assert.ok(Math.abs(a[k] - b[k]) <= tolerance || (a[k] !== a[k] && b[k] !== b[k]), `output ${i}[${k}]: ${a[k]}, reference TFLite ${b[k]}`);
      }
    });
  }
  return ours;
}

function iota(n, start = 0) {
  return Array.from({ length: n }, (_, i) => i + start);
}

/** Row-major coordinates of flat index `i` in `shape`. */
function coords(i, shape) {
  const c = new Array(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    c[d] = i % shape[d];
    i = Math.floor(i / shape[d]);
  }
  return c;
}

function flatIndex(c, shape) {
  let i = 0;
  for (let d = 0; d < shape.length; d++) i = i * shape[d] + c[d];
  return i;
}

// ---------------------------------------------------------------------------------------------
// PAD / PADV2

function naivePad(input, shape, pads, value) {
  const outShape = shape.map((d, i) => d + pads[i][0] + pads[i][1]);
  const count = outShape.reduce((a, b) => a * b, 1);
  const out = [];
  for (let i = 0; i < count; i++) {
    const c = coords(i, outShape).map((v, d) => v - pads[d][0]);
    out.push(c.every((v, d) => v >= 0 && v < shape[d]) ? input[flatIndex(c, shape)] : value);
  }
  return out;
}

test('PAD float32, int8 (zero point), int16 and int32 match an independent pad', async () => {
  const cases = [
    { type: 'float32', shape: [1, 2, 3, 1], pads: [[0, 0], [1, 2], [0, 1], [0, 0]], zp: 0 },
    { type: 'int8', shape: [2, 3], pads: [[1, 0], [2, 1]], zp: -5 },
    { type: 'int16', shape: [1, 2, 2, 2, 2], pads: [[0, 1], [1, 0], [0, 0], [1, 1], [0, 2]], zp: 0 },
    { type: 'int32', shape: [4], pads: [[3, 2]], zp: 0 },
  ];
  for (const c of cases) {
    const n = c.shape.reduce((a, b) => a * b, 1);
    const input = TYPED[c.type].from(iota(n, 1));
    const outShape = c.shape.map((d, i) => d + c.pads[i][0] + c.pads[i][1]);
    const q = c.type === 'int8' ? { scale: 0.5, zeroPoint: c.zp } : c.type === 'int16' ? { scale: 0.25, zeroPoint: 0 } : {};
    const model = opModel('PAD', [
      { type: c.type, shape: c.shape, ...q },
      { type: 'int32', shape: [c.shape.length, 2], data: Int32Array.from(c.pads.flat()) },
      { type: c.type, shape: outShape, ...q },
    ], [0, 1], [2]);
    const [out] = await runAgainstReference(model, [input]);
    assert.deepEqual(Array.from(out), naivePad(Array.from(input), c.shape, c.pads, c.zp), c.type);
  }
});

test('PADV2 pads with its constant value (int8, float32, int64 paddings)', async () => {
  const input = Int8Array.from([1, 2, 3, 4, 5, 6]);
  const expected = naivePad(Array.from(input), [1, 2, 3], [[0, 0], [1, 1], [2, 0]], -7);
  for (const paddings of [{ type: 'int32', data: Int32Array.of(0, 0, 1, 1, 2, 0) }, { type: 'int64', data: [0n, 0n, 1n, 1n, 2n, 0n] }]) {
    const model = opModel('PADV2', [
      { type: 'int8', shape: [1, 2, 3], scale: 0.1, zeroPoint: 3 },
      { shape: [3, 2], ...paddings },
      { type: 'int8', shape: [], data: Int8Array.of(-7), scale: 0.1, zeroPoint: 3 },
      { type: 'int8', shape: [1, 4, 5], scale: 0.1, zeroPoint: 3 },
    ], [0, 1, 2], [3]);
    // The reference TFLite build here reads int64 paddings as int32: compare with it on int32 only.
    const [out] = paddings.type === 'int32' ? await runAgainstReference(model, [input]) : await run(model, [input]);
    assert.deepEqual(Array.from(out), expected, paddings.type);
  }

  const f = Float32Array.from([0.5, -1.5]);
  const fm = opModel('PADV2', [
    { type: 'float32', shape: [2] },
    { type: 'int32', shape: [1, 2], data: Int32Array.of(1, 2) },
    { type: 'float32', shape: [1], data: Float32Array.of(9.25) },
    { type: 'float32', shape: [5] },
  ], [0, 1, 2], [3]);
  const [fo] = await runAgainstReference(fm, [f]);
  assert.deepEqual(Array.from(fo), [9.25, 0.5, -1.5, 9.25, 9.25]);
});

test('PAD refuses a constant value quantized unlike the output, and a wrong output shape', () => {
  const bad = opModel('PADV2', [
    { type: 'int8', shape: [2], scale: 0.1, zeroPoint: 3 },
    { type: 'int32', shape: [1, 2], data: Int32Array.of(1, 1) },
    { type: 'int8', shape: [1], data: Int8Array.of(0), scale: 0.1, zeroPoint: 0 },
    { type: 'int8', shape: [4], scale: 0.1, zeroPoint: 3 },
  ], [0, 1, 2], [3]);
  assert.throws(() => new Interpreter(bad, { resolver: allOps() }).allocateTensors(), OpError);
  const wrong = opModel('PAD', [
    { type: 'float32', shape: [2] },
    { type: 'int32', shape: [1, 2], data: Int32Array.of(1, 1) },
    { type: 'float32', shape: [5] },
  ], [0, 1], [2]);
  assert.throws(() => new Interpreter(wrong, { resolver: allOps() }).allocateTensors(), /does not match/);
});

// ---------------------------------------------------------------------------------------------
// STRIDED_SLICE

function sliceModel(type, shape, begin, end, strides, outShape, options = {}) {
  return opModel('STRIDED_SLICE', [
    { type, shape },
    { type: 'int32', shape: [begin.length], data: Int32Array.from(begin) },
    { type: 'int32', shape: [end.length], data: Int32Array.from(end) },
    { type: 'int32', shape: [strides.length], data: Int32Array.from(strides) },
    { type, shape: outShape },
  ], [0, 1, 2, 3], [4], { beginMask: 0, endMask: 0, ellipsisMask: 0, newAxisMask: 0, shrinkAxisMask: 0, ...options });
}

test('STRIDED_SLICE goldens from TFLM strided_slice_test.cc', async () => {
  const f = n => Float32Array.from(iota(n, 1));
  // In1D_NegativeBegin, In2D_NegStrideBeginMask-like and shrink cases.
  let [out] = await run(sliceModel('float32', [4], [-3], [3], [1], [2]), [f(4)]);
  assert.deepEqual(Array.from(out), [2, 3]);
  [out] = await run(sliceModel('float32', [4], [3], [0], [-1], [3]), [f(4)]);
  assert.deepEqual(Array.from(out), [4, 3, 2]);
  [out] = await run(sliceModel('float32', [2, 3], [1, -1], [2, -4], [1, -1], [1, 3]), [f(6)]);
  assert.deepEqual(Array.from(out), [6, 5, 4]);
  [out] = await run(sliceModel('float32', [2, 3], [0, 0], [2, 3], [1, 1], [3], { shrinkAxisMask: 1 }), [f(6)]);
  assert.deepEqual(Array.from(out), [1, 2, 3]);
  [out] = await run(sliceModel('float32', [2, 3, 2], [0, 0, 0], [1, 3, 2], [1, 1, 1], [1, 3, 2], { beginMask: 0, endMask: 0 }), [f(12)]);
  assert.deepEqual(Array.from(out), [1, 2, 3, 4, 5, 6]);
  [out] = await run(sliceModel('float32', [3, 2], [1, 0], [2, 2], [1, 1], [], { shrinkAxisMask: 3 }), [f(6)]);
  assert.deepEqual(Array.from(out), [3]);
  // The offset option: end counts from begin.
  [out] = await run(sliceModel('float32', [5], [1], [3], [1], [3], { offset: true }), [f(5)]);
  assert.deepEqual(Array.from(out), [2, 3, 4]);
});

test('STRIDED_SLICE masks, ellipsis, new axes and negative strides match reference TFLite', async () => {
  const specs = [
    ['int8', [2, 3, 4], [0, 1, -1], [2, 3, 0], [1, 1, -2], [2, 2, 2], {}],
    ['int16', [2, 3, 4], [1, 0, 0], [0, 2, 4], [1, 1, 3], [2, 2, 2], { beginMask: 1, endMask: 1 }],
    ['float32', [3, 4], [2, 3], [0, 0], [-1, -2], [3, 2], { endMask: 1 }],
    ['int32', [2, 3, 4], [0, 1], [0, 2], [1, 1], [2, 3, 1], { ellipsisMask: 1 }],
    ['float32', [2, 3, 4], [0, 0, 1], [0, 0, 3], [1, 1, 1], [2, 3, 1, 2], { ellipsisMask: 1, newAxisMask: 2 }],
    ['int8', [2, 3], [0, 0, 0], [0, 1, 0], [1, 1, 1], [1, 2, 3], { newAxisMask: 1, beginMask: 6, endMask: 6 }],
    ['int16', [4, 3, 2], [-1, 0, 1], [0, 3, 2], [-1, 2, 1], [4, 2], { beginMask: 1, endMask: 1, shrinkAxisMask: 4 }],
    ['bool', [3, 2], [1, 0], [3, 2], [1, 1], [2, 2], {}],
  ];
  for (const [type, shape, b, e, s, outShape, options] of specs) {
    const n = shape.reduce((x, y) => x * y, 1);
    const input = type === 'bool' ? Uint8Array.from(iota(n), v => v % 2) : TYPED[type].from(iota(n, 1));
    const [out] = await runAgainstReference(sliceModel(type, shape, b, e, s, outShape, options), [input]);
    assert.equal(out.length, outShape.reduce((x, y) => x * y, 1));
  }
});

// ---------------------------------------------------------------------------------------------
// SLICE, CONCATENATION, SPLIT, SPLIT_V, PACK, UNPACK, TRANSPOSE, SQUEEZE, EXPAND_DIMS, SHAPE

test('SLICE with size -1 and int64 begin/size', async () => {
  const input = Float32Array.from(iota(24));
  const model = opModel('SLICE', [
    { type: 'float32', shape: [2, 3, 4] },
    { type: 'int64', shape: [3], data: [1n, 0n, 1n] },
    { type: 'int64', shape: [3], data: [1n, -1n, 2n] },
    { type: 'float32', shape: [1, 3, 2] },
  ], [0, 1, 2], [3]);
  const [out] = await runAgainstReference(model, [input]);
  assert.deepEqual(Array.from(out), [13, 14, 17, 18, 21, 22]);
});

test('SLICE with begin as a model input', async () => {
  const model = opModel('SLICE', [
    { type: 'int16', shape: [3, 2] },
    { type: 'int32', shape: [2] },
    { type: 'int32', shape: [2], data: Int32Array.of(2, 1) },
    { type: 'int16', shape: [2, 1] },
  ], [0, 1, 2], [3]);
  const [out] = await run(model, [Int16Array.from([1, 2, 3, 4, 5, 6]), Int32Array.of(1, 1)]);
  assert.deepEqual(Array.from(out), [4, 6]);
});

test('CONCATENATION along inner and outer axes, int8 / int16 / float32 / int64 / bool', async () => {
  const a = Float32Array.from(iota(6, 1)), b = Float32Array.from(iota(4, 10));
  const model = opModel('CONCATENATION', [
    { type: 'float32', shape: [2, 3] }, { type: 'float32', shape: [2, 2] }, { type: 'float32', shape: [2, 5] },
  ], [0, 1], [2], { axis: -1, fusedActivationFunction: 0 });
  const [out] = await runAgainstReference(model, [a, b]);
  assert.deepEqual(Array.from(out), [1, 2, 3, 10, 11, 4, 5, 6, 12, 13]);

  const q = { scale: 0.5, zeroPoint: 2 };
  const m8 = opModel('CONCATENATION', [
    { type: 'int8', shape: [1, 2, 2], ...q }, { type: 'int8', shape: [1, 1, 2], ...q }, { type: 'int8', shape: [1, 2, 2], data: Int8Array.of(-1, -2, -3, -4), ...q },
    { type: 'int8', shape: [1, 5, 2], ...q },
  ], [0, 1, 2], [3], { axis: 1 });
  const [o8] = await runAgainstReference(m8, [Int8Array.of(1, 2, 3, 4), Int8Array.of(5, 6)]);
  assert.deepEqual(Array.from(o8), [1, 2, 3, 4, 5, 6, -1, -2, -3, -4]);

  const m64 = opModel('CONCATENATION', [
    { type: 'int64', shape: [2] }, { type: 'int64', shape: [1] }, { type: 'int64', shape: [3] },
  ], [0, 1], [2], { axis: 0 });
  // The reference TFLite runner here takes no int64 inputs.
  const [o64] = await run(m64, [BigInt64Array.of(-5n, 2n ** 40n), BigInt64Array.of(7n)]);
  assert.deepEqual(numbers(o64, true), [-5, 2 ** 40, 7]);

  const mb = opModel('CONCATENATION', [{ type: 'bool', shape: [2, 1] }, { type: 'bool', shape: [2, 1] }, { type: 'bool', shape: [2, 2] }], [0, 1], [2], { axis: 1 });
  const [ob] = await runAgainstReference(mb, [Uint8Array.of(1, 0), Uint8Array.of(0, 1)]);
  assert.deepEqual(Array.from(ob), [1, 0, 0, 1]);

  const m16 = opModel('CONCATENATION', [
    { type: 'int16', shape: [2, 1], scale: 0.1, zeroPoint: 0 }, { type: 'int16', shape: [2, 2], scale: 0.1, zeroPoint: 0 },
    { type: 'int16', shape: [2, 3], scale: 0.1, zeroPoint: 0 },
  ], [0, 1], [2], { axis: 1 });
  const [o16] = await run(m16, [Int16Array.of(-300, 300), Int16Array.of(1, 2, 3, 4)]);
  assert.deepEqual(Array.from(o16), [-300, 1, 2, 300, 3, 4]);
});

test('CONCATENATION: int8 with other quantization is refused (TFLM), uint8 is requantized', async () => {
  const bad = opModel('CONCATENATION', [
    { type: 'int8', shape: [2], scale: 0.5, zeroPoint: 0 }, { type: 'int8', shape: [2], scale: 0.25, zeroPoint: 0 },
    { type: 'int8', shape: [4], scale: 0.5, zeroPoint: 0 },
  ], [0, 1], [2], { axis: 0 });
  assert.throws(() => new Interpreter(bad, { resolver: allOps() }).allocateTensors(), /scale and zero point/);
  const m = opModel('CONCATENATION', [
    { type: 'uint8', shape: [1, 3], scale: 0.3, zeroPoint: 10 }, { type: 'uint8', shape: [1, 3], scale: 0.5, zeroPoint: 128 },
    { type: 'uint8', shape: [1, 6], scale: 0.5, zeroPoint: 128 },
  ], [0, 1], [2], { axis: 1 });
  const a = Uint8Array.of(0, 10, 255), b = Uint8Array.of(1, 128, 200);
  // reference_ops::ConcatenationWithScaling; the reference TFLite build here copies uint8 unscaled.
  const [out] = await run(m, [a, b]);
  // Independent: round((q - 10) * 0.3 / 0.5) + 128, clamped.
  const expected = Array.from(a, q => Math.min(255, Math.max(0, Math.round((q - 10) * 0.6) + 128))).concat(Array.from(b));
  assert.deepEqual(Array.from(out), expected);
});

test('SPLIT and SPLIT_V', async () => {
  const input = Int16Array.from(iota(12));
  const m = opModel('SPLIT', [
    { type: 'int32', shape: [], data: Int32Array.of(-1) },
    { type: 'int16', shape: [2, 6] },
    { type: 'int16', shape: [2, 2] }, { type: 'int16', shape: [2, 2] }, { type: 'int16', shape: [2, 2] },
  ], [0, 1], [2, 3, 4], { numSplits: 3 });
  const outs = await runAgainstReference(m, [input]);
  assert.deepEqual(outs.map(o => Array.from(o)), [[0, 1, 6, 7], [2, 3, 8, 9], [4, 5, 10, 11]]);

  const mv = opModel('SPLIT_V', [
    { type: 'float32', shape: [3, 2, 2] },
    { type: 'int32', shape: [2], data: Int32Array.of(-1, 2) },
    { type: 'int32', shape: [1], data: Int32Array.of(0) },
    { type: 'float32', shape: [1, 2, 2] }, { type: 'float32', shape: [2, 2, 2] },
  ], [0, 1, 2], [3, 4], { numSplits: 2 });
  const ov = await runAgainstReference(mv, [Float32Array.from(iota(12))]);
  assert.deepEqual(ov.map(o => Array.from(o)), [[0, 1, 2, 3], iota(8, 4)]);
});

test('PACK and UNPACK', async () => {
  const m = opModel('PACK', [
    { type: 'int32', shape: [3] }, { type: 'int32', shape: [3] }, { type: 'int32', shape: [3, 2] },
  ], [0, 1], [2], { valuesCount: 2, axis: 1 });
  const [out] = await runAgainstReference(m, [Int32Array.of(1, 2, 3), Int32Array.of(4, 5, 6)]);
  assert.deepEqual(Array.from(out), [1, 4, 2, 5, 3, 6]);

  const mu = opModel('UNPACK', [
    { type: 'float32', shape: [2, 3] }, { type: 'float32', shape: [2] }, { type: 'float32', shape: [2] }, { type: 'float32', shape: [2] },
  ], [0], [1, 2, 3], { num: 3, axis: -1 });
  const ou = await runAgainstReference(mu, [Float32Array.from(iota(6, 1))]);
  assert.deepEqual(ou.map(o => Array.from(o)), [[1, 4], [2, 5], [3, 6]]);

  const m8 = opModel('UNPACK', [{ type: 'int8', shape: [2, 2, 2] }, { type: 'int8', shape: [2, 2] }, { type: 'int8', shape: [2, 2] }], [0], [1, 2], { num: 2, axis: 0 });
  const o8 = await runAgainstReference(m8, [Int8Array.from(iota(8))]);
  assert.deepEqual(o8.map(o => Array.from(o)), [[0, 1, 2, 3], [4, 5, 6, 7]]);
});

test('TRANSPOSE matches an independent permutation (4D int8, 5D int16, 2D float32)', async () => {
  const cases = [['int8', [2, 3, 4, 5], [0, 3, 1, 2]], ['int16', [2, 1, 3, 2, 2], [4, 2, 0, 3, 1]], ['float32', [3, 5], [1, 0]]];
  for (const [type, shape, perm] of cases) {
    const n = shape.reduce((a, b) => a * b, 1);
    const input = TYPED[type].from(iota(n), v => v % 100);
    const outShape = perm.map(p => shape[p]);
    const m = opModel('TRANSPOSE', [
      { type, shape }, { type: 'int32', shape: [perm.length], data: Int32Array.from(perm) }, { type, shape: outShape },
    ], [0, 1], [2]);
    const [out] = await runAgainstReference(m, [input]);
    const expected = [];
    for (let i = 0; i < n; i++) {
      const oc = coords(i, outShape);
      const ic = new Array(shape.length);
      perm.forEach((p, k) => { ic[p] = oc[k]; });
      expected.push(input[flatIndex(ic, shape)]);
    }
    assert.deepEqual(Array.from(out), expected, `${type} ${perm}`);
  }
});

test('SQUEEZE, EXPAND_DIMS and SHAPE', async () => {
  const input = Float32Array.from(iota(6));
  const ms = opModel('SQUEEZE', [{ type: 'float32', shape: [1, 2, 1, 3] }, { type: 'float32', shape: [2, 1, 3] }], [0], [1], { squeezeDims: [0] });
  assert.deepEqual(Array.from((await runAgainstReference(ms, [input]))[0]), iota(6));
  const ms2 = opModel('SQUEEZE', [{ type: 'int8', shape: [1, 2, 1, 3] }, { type: 'int8', shape: [2, 3] }], [0], [1], { squeezeDims: [] });
  assert.deepEqual(Array.from((await runAgainstReference(ms2, [Int8Array.from(iota(6))]))[0]), iota(6));
  const me = opModel('EXPAND_DIMS', [{ type: 'int16', shape: [2, 3] }, { type: 'int32', shape: [1], data: Int32Array.of(-1) }, { type: 'int16', shape: [2, 3, 1] }], [0, 1], [2]);
  assert.deepEqual(Array.from((await runAgainstReference(me, [Int16Array.from(iota(6))]))[0]), iota(6));
  const badSqueeze = opModel('SQUEEZE', [{ type: 'float32', shape: [1, 2] }, { type: 'float32', shape: [1, 2] }], [0], [1], { squeezeDims: [1] });
  assert.throws(() => new Interpreter(badSqueeze, { resolver: allOps() }).allocateTensors(), OpError);

  const mShape = opModel('SHAPE', [{ type: 'float32', shape: [3, 1, 4] }, { type: 'int32', shape: [3] }], [0], [1], { outType: 2 });
  assert.deepEqual(Array.from((await runAgainstReference(mShape, [Float32Array.from(iota(12))]))[0]), [3, 1, 4]);
  const mShape64 = opModel('SHAPE', [{ type: 'int8', shape: [5, 2] }, { type: 'int64', shape: [2] }], [0], [1], { outType: 4 });
  const [s64] = await run(mShape64, [Int8Array.from(iota(10))]);
  assert.deepEqual(numbers(s64, true), [5, 2]);
});

// ---------------------------------------------------------------------------------------------
// GATHER, ARG_MAX, ARG_MIN

test('GATHER with axis, batch_dims and int64 indices; out-of-range indices fail', async () => {
  const input = Float32Array.from(iota(24));
  const m = opModel('GATHER', [
    { type: 'float32', shape: [2, 3, 4] }, { type: 'int32', shape: [2, 2] }, { type: 'float32', shape: [2, 2, 2, 4] },
  ], [0, 1], [2], { axis: 1, batchDims: 0 });
  const idx = Int32Array.of(2, 0, 1, 1);
  const [out] = await runAgainstReference(m, [input, idx]);
  const expected = [];
  for (let b = 0; b < 2; b++) for (const k of idx) for (let j = 0; j < 4; j++) expected.push(input[(b * 3 + k) * 4 + j]);
  assert.deepEqual(Array.from(out), expected);

  const mb = opModel('GATHER', [
    { type: 'int8', shape: [2, 3, 2] }, { type: 'int64', shape: [2, 2], data: [2n, 0n, 1n, 2n] }, { type: 'int8', shape: [2, 2, 2] },
  ], [0, 1], [2], { axis: 1, batchDims: 1 });
  const [ob] = await runAgainstReference(mb, [Int8Array.from(iota(12))]);
  assert.deepEqual(Array.from(ob), [4, 5, 0, 1, 8, 9, 10, 11]);

  const interpreter = new Interpreter(m, { resolver: allOps() }).allocateTensors();
  interpreter.setInput(1, Int32Array.of(0, 3, 0, 0));
  assert.throws(() => interpreter.invoke(), /out of range/);
});

test('ARG_MAX and ARG_MIN: first index wins ties, int32 and int64 outputs', async () => {
  const input = Float32Array.of(1, 5, 5, 2, /**/ -1, -3, -3, 0, /**/ 7, 7, 7, 7);
  const mk = (op, outType, outputType) => opModel(op, [
    { type: 'float32', shape: [3, 4] }, { type: 'int32', shape: [1], data: Int32Array.of(-1) }, { type: outType, shape: [3] },
  ], [0, 1], [2], { outputType });
  const [amax] = await runAgainstReference(mk('ARG_MAX', 'int32', 2), [input]);
  assert.deepEqual(Array.from(amax), [1, 3, 0]);
  const [amin] = await run(mk('ARG_MIN', 'int64', 4), [input]);
  assert.deepEqual(Array.from((await runAgainstReference(mk('ARG_MIN', 'int32', 2), [input]))[0]), [0, 1, 0]);
  assert.deepEqual(numbers(amin, true), [0, 1, 0]);
  const m8 = opModel('ARG_MAX', [
    { type: 'int8', shape: [2, 3], scale: 1, zeroPoint: 0 }, { type: 'int32', shape: [], data: Int32Array.of(0) }, { type: 'int32', shape: [3] },
  ], [0, 1], [2], { outputType: 2 });
  const [o8] = await runAgainstReference(m8, [Int8Array.of(-128, 5, 3, 127, 5, -4)]);
  assert.deepEqual(Array.from(o8), [1, 0, 0]);
});

// ---------------------------------------------------------------------------------------------
// MEAN, SUM, REDUCE_MAX, REDUCE_MIN

/** TFLM's quantized MEAN / SUM, written independently with BigInt. */
function quantizedMeanOrSum(input, shape, axes, inScale, inZp, outScale, outZp, [low, high], mean) {
  const f32 = Math.fround;
  const real = Number(f32(inScale)) / Number(f32(outScale));
  // QuantizeMultiplier via exact binary exponent search.
  let exp = 0, m = real;
  while (m >= 1) { m /= 2; exp++; }
  while (m < 0.5) { m *= 2; exp--; }
  let q = BigInt(Math.round(m * 2 ** 31));
  if (q === 2n ** 31n) { q /= 2n; exp++; }
  const reduced = shape.map((_, i) => axes.includes(i));
  const count = shape.reduce((a, d, i) => (reduced[i] ? a * d : a), 1);
  const keptShape = shape.filter((_, i) => !reduced[i]);
  const outCount = keptShape.reduce((a, b) => a * b, 1);
  const sums = new Array(outCount).fill(0);
  for (let i = 0; i < input.length; i++) {
    const kept = coords(i, shape).filter((_, d) => !reduced[d]);
    sums[flatIndex(kept, keptShape)] += input[i];
  }
  let multiplier = q, shift = exp;
  if (mean) {
    let s = Math.floor(Math.log2(count));
    s = Math.min(s, 32, 31 + shift);
    multiplier = (multiplier << BigInt(s)) / BigInt(count);
    shift -= s;
  }
  return sums.map(sum => {
    const x = BigInt(sum - inZp * count);
    const left = BigInt(Math.max(shift, 0)), right = BigInt(Math.max(-shift, 0));
    const a = BigInt.asIntN(32, x << left);
    const ab = a * multiplier;
    const nudge = ab >= 0n ? 2n ** 30n : 1n - 2n ** 30n;
    let high32 = (ab + nudge) / 2n ** 31n; // C division truncates toward zero, as BigInt's does
    const mask = (1n << right) - 1n;
    const rem = high32 & mask;
    const threshold = (mask >> 1n) + (high32 < 0n ? 1n : 0n);
    let v = Number((high32 >> right) + (rem > threshold ? 1n : 0n)) + outZp;
    return Math.min(high, Math.max(low, v));
  });
}

test('MEAN and SUM int8 / int16 requantize exactly as TFLM', async () => {
  const specs = [
    { op: 'MEAN', type: 'int8', shape: [1, 4, 3, 5], axes: [1, 2], keep: true, inS: 0.05, inZ: -3, outS: 0.02, outZ: 5 },
    { op: 'MEAN', type: 'int8', shape: [2, 3, 7], axes: [-1], keep: false, inS: 0.5, inZ: 10, outS: 0.5, outZ: 10 },
    { op: 'MEAN', type: 'int16', shape: [3, 5, 4], axes: [0, 2], keep: false, inS: 0.001, inZ: 0, outS: 0.0007, outZ: 0 },
    { op: 'SUM', type: 'int8', shape: [2, 6, 2], axes: [1], keep: true, inS: 0.1, inZ: 2, outS: 0.3, outZ: -1 },
    { op: 'SUM', type: 'int16', shape: [4, 4], axes: [0, 1], keep: false, inS: 0.01, inZ: 0, outS: 0.5, outZ: 0 },
  ];
  for (const s of specs) {
    const n = s.shape.reduce((a, b) => a * b, 1);
    const range = s.type === 'int8' ? [-128, 127] : [-32768, 32767];
    const input = TYPED[s.type].from(iota(n), i => ((i * 37 + 11) % (range[1] - range[0])) + range[0]);
    const axes = s.axes.map(a => (a < 0 ? a + s.shape.length : a));
    const outShape = s.shape.flatMap((d, i) => (axes.includes(i) ? (s.keep ? [1] : []) : [d]));
    const m = opModel(s.op, [
      { type: s.type, shape: s.shape, scale: s.inS, zeroPoint: s.inZ },
      { type: 'int32', shape: [s.axes.length], data: Int32Array.from(s.axes) },
      { type: s.type, shape: outShape, scale: s.outS, zeroPoint: s.outZ },
    ], [0, 1], [2], { keepDims: s.keep });
    const [out] = await run(m, [input]);
    const expected = quantizedMeanOrSum(Array.from(input), s.shape, axes, s.inS, s.inZ, s.outS, s.outZ, range, s.op === 'MEAN');
    assert.deepEqual(Array.from(out), expected, `${s.op} ${s.type} ${s.shape}`);
  }
});

test('MEAN int8 golden from TFLM reduce_test.cc (MeanInt84DWithoutKeepDimsWithPrecision)', async () => {
  const real = [1.0, 24.0, 13.0, 3.0, 9.0, 17.0, 11.0, 36.0, 14.0, 19.0, 17.0, 22.0];
  const input = Int8Array.from(real, v => Math.round(v / 0.5));
  const m = opModel('MEAN', [
    { type: 'int8', shape: [2, 2, 3, 1], scale: 0.5, zeroPoint: 0 },
    { type: 'int32', shape: [2], data: Int32Array.of(1, 2) },
    { type: 'int8', shape: [2, 1], scale: 0.5, zeroPoint: 0 },
  ], [0, 1], [2], { keepDims: false });
  const [out] = await run(m, [input]);
  const golden = [11.166667, 19.833334].map(v => Math.round(v / 0.5));
  out.forEach((v, i) => assert.ok(Math.abs(v - golden[i]) <= 1, `${v} vs ${golden[i]}`));
});

test('float32 MEAN / SUM accumulate in float, in input order (4D axes 1,2 and others)', async () => {
  const specs = [
    { op: 'MEAN', shape: [2, 3, 5, 4], axes: [1, 2], keep: true },
    { op: 'MEAN', shape: [2, 3, 5, 4], axes: [2, 1], keep: false },
    { op: 'MEAN', shape: [4, 7], axes: [0], keep: false },
    { op: 'SUM', shape: [3, 2, 6], axes: [0, 2], keep: true },
  ];
  for (const s of specs) {
    const n = s.shape.reduce((a, b) => a * b, 1);
    const input = Float32Array.from(iota(n), i => Math.sin(i * 1.7) * 100 + 0.1 * i);
    const outShape = s.shape.flatMap((d, i) => (s.axes.includes(i) ? (s.keep ? [1] : []) : [d]));
    const m = opModel(s.op, [
      { type: 'float32', shape: s.shape }, { type: 'int32', shape: [s.axes.length], data: Int32Array.from(s.axes) }, { type: 'float32', shape: outShape },
    ], [0, 1], [2], { keepDims: s.keep });
    const [out] = await runAgainstReference(m, [input], { tolerance: 1e-3 });
    // Independent: float32 accumulation in row-major input order, then one float division.
    const keptShape = s.shape.filter((_, i) => !s.axes.includes(i));
    const acc = new Float32Array(keptShape.reduce((a, b) => a * b, 1));
    let count = 1;
    s.axes.forEach(a => { count *= s.shape[a]; });
    for (let i = 0; i < n; i++) {
      const k = flatIndex(coords(i, s.shape).filter((_, d) => !s.axes.includes(d)), keptShape);
      acc[k] = Math.fround(acc[k] + input[i]);
    }
    const expected = Array.from(acc, v => (s.op === 'MEAN' ? Math.fround(v / count) : v));
    assert.deepEqual(Array.from(out), expected, `${s.op} ${s.shape} ${s.axes}`);
  }
});

test('REDUCE_MAX / REDUCE_MIN goldens from TFLM reduce_test.cc', async () => {
  const input = Float32Array.from(iota(24, 1));
  const mk = (op, axes, keep, outShape) => opModel(op, [
    { type: 'float32', shape: [4, 3, 2] }, { type: 'int32', shape: [axes.length], data: Int32Array.from(axes) }, { type: 'float32', shape: outShape },
  ], [0, 1], [2], { keepDims: keep });
  assert.deepEqual(Array.from((await runAgainstReference(mk('REDUCE_MAX', [1, 0, -3, -3], false, [2]), [input]))[0]), [23, 24]);
  assert.deepEqual(Array.from((await runAgainstReference(mk('REDUCE_MAX', [0, 2], true, [1, 3, 1]), [input]))[0]), [20, 22, 24]);
  assert.deepEqual(Array.from((await runAgainstReference(mk('REDUCE_MIN', [1, 0, -3, -3], false, [2]), [input]))[0]), [1, 2]);
  assert.deepEqual(Array.from((await runAgainstReference(mk('REDUCE_MIN', [0, 2], true, [1, 3, 1]), [input]))[0]), [1, 3, 5]);
  // Int8MaxOpTestKeepDims: {0.4, 0.2, 0.3, 0.4, 0.5, 0.6} at scale 2/255 -> max over axis 1.
  const scale = 2 / 255;
  const q = Int8Array.from([0.4, 0.2, 0.3, 0.4, 0.5, 0.6], v => Math.round(v / scale));
  const m8 = opModel('REDUCE_MAX', [
    { type: 'int8', shape: [1, 3, 2], scale, zeroPoint: 0 }, { type: 'int32', shape: [1], data: Int32Array.of(1) }, { type: 'int8', shape: [1, 1, 2], scale, zeroPoint: 0 },
  ], [0, 1], [2], { keepDims: true });
  assert.deepEqual(Array.from((await runAgainstReference(m8, [q]))[0]), [0.5, 0.6].map(v => Math.round(v / scale)));
});

test('REDUCE_ALL over bools (TFLM reduce.cc) and int32 SUM', async () => {
  const input = Uint8Array.of(1, 1, 0, 1, 1, 1);
  const m = opModel('REDUCE_ALL', [
    { type: 'bool', shape: [2, 3] }, { type: 'int32', shape: [1], data: Int32Array.of(1) }, { type: 'bool', shape: [2] },
  ], [0, 1], [2], { keepDims: false });
  assert.deepEqual(Array.from((await run(m, [input]))[0]), [0, 1]);
  const m0 = opModel('REDUCE_ALL', [
    { type: 'bool', shape: [2, 3] }, { type: 'int32', shape: [1], data: Int32Array.of(0) }, { type: 'bool', shape: [1, 3] },
  ], [0, 1], [2], { keepDims: true });
  assert.deepEqual(Array.from((await run(m0, [input]))[0]), [1, 1, 0]);
  const ms = opModel('SUM', [
    { type: 'int32', shape: [3, 2] }, { type: 'int32', shape: [1], data: Int32Array.of(0) }, { type: 'int32', shape: [2] },
  ], [0, 1], [2], { keepDims: false });
  assert.deepEqual(Array.from((await run(ms, [Int32Array.of(1, -2, 30, 40, 500, -600)]))[0]), [531, -562]);
});

// ---------------------------------------------------------------------------------------------
// RESIZE_NEAREST_NEIGHBOR, RESIZE_BILINEAR

test('RESIZE_NEAREST_NEIGHBOR with align_corners and half_pixel_centers matches reference TFLite', async () => {
  const shapes = [[[1, 3, 4, 2], [5, 7]], [[2, 4, 4, 1], [2, 3]], [[1, 2, 3, 3], [4, 9]]];
  for (const [shape, size] of shapes) {
    for (const [align, half] of [[false, false], [true, false], [false, true]]) {
      for (const type of ['float32', 'int8', 'int16']) {
        const n = shape.reduce((a, b) => a * b, 1);
        const m = opModel('RESIZE_NEAREST_NEIGHBOR', [
          { type, shape, scale: type === 'float32' ? undefined : 1, zeroPoint: type === 'float32' ? undefined : 0 },
          { type: 'int32', shape: [2], data: Int32Array.from(size) },
          { type, shape: [shape[0], size[0], size[1], shape[3]], scale: type === 'float32' ? undefined : 1, zeroPoint: type === 'float32' ? undefined : 0 },
        ], [0, 1], [2], { alignCorners: align, halfPixelCenters: half });
        await runAgainstReference(m, [TYPED[type].from(iota(n), v => v % 120)]);
      }
    }
  }
});

function bilinearModel(type, shape, size, align = false, half = false) {
  const q = type === 'float32' ? {} : { scale: 1, zeroPoint: 0 };
  return opModel('RESIZE_BILINEAR', [
    { type, shape, ...q }, { type: 'int32', shape: [2], data: Int32Array.from(size) }, { type, shape: [shape[0], size[0], size[1], shape[3]], ...q },
  ], [0, 1], [2], { alignCorners: align, halfPixelCenters: half });
}

test('RESIZE_BILINEAR goldens from TFLM resize_bilinear_test.cc', async () => {
  const goldens = [
    ['float32', [1, 1, 2, 1], [3, 6], [1, 3], [3, 5, 6], 0],
    ['int8', [1, 1, 2, 1], [3, 6], [1, 3], [3, 5, 6], 0],
    ['float32', [1, 2, 1, 1], [3, 9], [3, 1], [3, 7, 9], 0],
    ['int8', [1, 2, 1, 1], [3, 9], [3, 1], [3, 7, 9], 0],
    ['float32', [1, 2, 2, 1], [3, 6, 9, 12], [3, 3], [3, 5, 6, 7, 9, 10, 9, 11, 12], 0],
    ['int8', [1, 2, 2, 1], [3, 6, 9, 12], [3, 3], [3, 5, 6, 7, 9, 10, 9, 11, 12], 0],
    ['float32', [2, 2, 2, 1], [3, 6, 9, 12, 4, 10, 10, 16], [3, 3], [3, 5, 6, 7, 9, 10, 9, 11, 12, 4, 8, 10, 8, 12, 14, 10, 14, 16], 0],
    ['int8', [2, 2, 2, 1], [3, 6, 9, 12, 4, 10, 12, 16], [3, 3], [3, 5, 6, 7, 9, 10, 9, 11, 12, 4, 8, 10, 9, 12, 13, 12, 14, 16], 1],
    ['float32', [1, 2, 2, 2], [3, 4, 6, 10, 9, 10, 12, 16], [3, 3], [3, 4, 5, 8, 6, 10, 7, 8, 9, 12, 10, 14, 9, 10, 11, 14, 12, 16], 0],
    ['int8', [1, 2, 2, 2], [3, 4, 6, 10, 10, 12, 14, 16], [3, 3], [3, 4, 5, 8, 6, 10, 7, 9, 10, 12, 11, 13, 10, 12, 12, 14, 14, 16], 1],
  ];
  for (const [type, shape, input, size, expected, tolerance] of goldens) {
    const [out] = await run(bilinearModel(type, shape, size), [TYPED[type].from(input)]);
    out.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) <= tolerance + 1e-5, `${type} ${shape}: [${i}] ${v} vs ${expected[i]}`));
  }
});

/** reference_ops::ResizeBilinearInteger transcribed independently (C integer division). */
function bilinearInteger(input, [batches, ih, iw, depth], [oh, ow], align, half) {
  const div = (a, b) => Math.trunc(a / b);
  const scaleOf = (i, o) => (align && o > 1 ? div(1024 * (i - 1) + div(o - 1, 2), o - 1) : div(1024 * i + div(o, 2), o));
  const hs = scaleOf(ih, oh), ws = scaleOf(iw, ow);
  const pos = (v, s, size) => {
    const scaled = half ? v * s + div(s, 2) - 512 : v * s;
    return [scaled, Math.max(div(scaled, 1024), 0), Math.min(div(scaled + 1023, 1024), size - 1)];
  };
  const at = (b, y, x, c) => input[((b * ih + y) * iw + x) * depth + c];
  const out = [];
  for (let b = 0; b < batches; b++) for (let y = 0; y < oh; y++) {
    const [iy, y0, y1] = pos(y, hs, ih);
    for (let x = 0; x < ow; x++) {
      const [ix, x0, x1] = pos(x, ws, iw);
      for (let c = 0; c < depth; c++) {
        const s = BigInt(at(b, y0, x0, c)) * BigInt((1024 - (iy - 1024 * y0)) * (1024 - (ix - 1024 * x0)))
          + BigInt(at(b, y1, x0, c)) * BigInt((iy - 1024 * y0) * (1024 - (ix - 1024 * x0)))
          + BigInt(at(b, y0, x1, c)) * BigInt((1024 - (iy - 1024 * y0)) * (ix - 1024 * x0))
          + BigInt(at(b, y1, x1, c)) * BigInt((iy - 1024 * y0) * (ix - 1024 * x0));
        out.push(Number((s + (s > 0n ? 524288n : -524288n)) / 1048576n));
      }
    }
  }
  return out;
}

test('RESIZE_BILINEAR int8 / int16 follow the integer path exactly; float32 agrees with reference TFLite', async () => {
  const specs = [[[1, 3, 4, 2], [5, 7]], [[2, 5, 3, 1], [2, 8]], [[1, 4, 4, 3], [3, 3]], [[1, 2, 2, 1], [7, 5]]];
  for (const [shape, size] of specs) {
    for (const [align, half] of [[false, false], [true, false], [false, true]]) {
      const n = shape.reduce((a, b) => a * b, 1);
      for (const type of ['int8', 'int16']) {
        const range = type === 'int8' ? 255 : 65535, low = type === 'int8' ? -128 : -32768;
        const input = TYPED[type].from(iota(n), i => ((i * 7919) % range) + low);
        const [out] = await run(bilinearModel(type, shape, size, align, half), [input]);
        assert.deepEqual(Array.from(out), bilinearInteger(Array.from(input), shape, size, align, half), `${type} ${shape} -> ${size} align=${align} half=${half}`);
      }
      const f = Float32Array.from(iota(n), i => Math.cos(i) * 10);
      await runAgainstReference(bilinearModel('float32', shape, size, align, half), [f], { tolerance: 1e-4 });
    }
  }
});
