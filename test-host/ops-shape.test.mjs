// The "shape" group of issue 11's operators (REVERSE_V2, BATCH_TO_SPACE_ND, SPACE_TO_BATCH_ND,
// DEPTH_TO_SPACE, SPACE_TO_DEPTH, BROADCAST_ARGS, BROADCAST_TO, CUMSUM, DYNAMIC_UPDATE_SLICE,
// EMBEDDING_LOOKUP, GATHER_ND, MIRROR_PAD, L2_POOL_2D, BATCH_MATMUL, IF, WHILE), one single-op
// model at a time, on Node and in the real XS engine (which must agree to the bit). Expected
// values are TFLM's own kernel-test tables (test-host/lib/tflm-goldens-shape.json holds the
// inputs and expectations copied from tensorflow/lite/micro/kernels/<op>_test.cc); seeded
// differential cases against reference TFLite run in differential.test.mjs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Interpreter, OpError } from './lib/tflite.mjs';
import { allOps } from './lib/kernels-all.mjs';
import { writeModel, XsEngine } from './lib/host.mjs';

const GOLD = JSON.parse(readFileSync(new URL('./lib/tflm-goldens-shape.json', import.meta.url), 'utf8'));

let xs = null;
before(async () => {
  xs = await XsEngine.start();
});
after(async () => {
  if (xs) await xs.close();
});

const TYPED = { float32: Float32Array, int8: Int8Array, uint8: Uint8Array, int16: Int16Array, int32: Int32Array, int64: BigInt64Array, bool: Uint8Array };

/** TFLM's IntArray form ([rank, d0, d1, ...]) as a shape. */
const dimsOf = a => a.slice(1, 1 + a[0]);

function typed(type, values) {
  if (type === 'int64') return BigInt64Array.from(values, v => BigInt(v));
  if (type === 'bool') return Uint8Array.from(values, v => (v ? 1 : 0));
  return TYPED[type].from(values);
}

/**
 * A one-operator model. `tensors` are writer tensors; those without data that the operator
 * reads become the model's inputs (in order), its outputs the model's outputs.
 */
function opModel(op, tensors, opInputs, opOutputs, options = {}) {
  const inputs = opInputs.filter(i => i >= 0 && tensors[i].data === undefined);
  return writeModel({ subgraphs: [{ tensors, inputs, outputs: opOutputs, operators: [{ op, inputs: opInputs, outputs: opOutputs, options }] }] });
}

function bytesOf(view) {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength).slice();
}

/** Runs on Node and XS; returns Node's outputs (as plain numbers) after checking XS wrote the same bytes. */
async function run(model, inputs, resolver = allOps()) {
  const interpreter = new Interpreter(model, { resolver }).allocateTensors();
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
function numbers(view, type) {
  if (type !== 'int64') return Array.from(view);
  const out = [];
  for (let i = 0; i < view.length; i += 2) out.push(view[i + 1] * 4294967296 + (view[i] >>> 0));
  return out;
}

function assertClose(actual, expected, tolerance, what) {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < actual.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) <= tolerance, `${what}[${i}]: ${actual[i]}, TFLM expects ${expected[i]}`);
  }
}

const refuses = (model, pattern) => assert.throws(() => new Interpreter(model, { resolver: allOps() }).allocateTensors(),
  e => e instanceof OpError && pattern.test(e.message), String(pattern));

/** The element type a TFLM test's name tells. */
function typeOfTest(name) {
  for (const [word, type] of [['Float', 'float32'], ['Int64', 'int64'], ['Int32', 'int32'], ['Int16', 'int16'], ['Int8', 'int8'], ['Uint8', 'uint8'], ['UInt8', 'uint8'], ['Bool', 'bool']]) {
    if (name.includes(word)) return type;
  }
  throw new Error(`no type in ${name}`);
}

// ---------------------------------------------------------------------------------------------
// REVERSE_V2

test('REVERSE_V2: TFLM reverse_test.cc tables (every type; axis constant and as an input)', async () => {
  const cases = Object.entries(GOLD.REVERSE_V2);
  assert.ok(cases.length >= 19);
  for (const [name, c] of cases) {
    const type = typeOfTest(name);
    const shape = dimsOf(c.kInputDims_0);
    for (const constantAxis of [true, false]) {
      const axis = Int32Array.from(c.kInput_1);
      const model = opModel('REVERSE_V2', [
        { type, shape },
        { type: 'int32', shape: [axis.length], ...(constantAxis ? { data: axis } : {}) },
        { type, shape: dimsOf(c.kOutputDims) },
      ], [0, 1], [2]);
      const [out] = await run(model, constantAxis ? [typed(type, c.kInput_0)] : [typed(type, c.kInput_0), axis]);
      assert.deepEqual(numbers(out, type), c.kExpect.map(Number), `${name} (${constantAxis ? 'constant' : 'input'} axis)`);
    }
  }
});

test('REVERSE_V2 refuses non-contiguous, repeated or out-of-range axes (prepare when constant, eval when not)', async () => {
  const model = axis => opModel('REVERSE_V2', [
    { type: 'float32', shape: [2, 3, 4] },
    { type: 'int32', shape: [axis.length], data: Int32Array.from(axis) },
    { type: 'float32', shape: [2, 3, 4] },
  ], [0, 1], [2]);
  refuses(model([0, 2]), /non-contiguous/);
  refuses(model([1, 1]), /repeat/);
  refuses(model([3]), /out of range/);
  refuses(opModel('REVERSE_V2', [
    { type: 'float32', shape: [2, 3] }, { type: 'int32', shape: [1], data: Int32Array.of(0) }, { type: 'int8', shape: [2, 3] },
  ], [0, 1], [2]), /type/);
  const dynamic = opModel('REVERSE_V2', [
    { type: 'float32', shape: [2, 3, 4] }, { type: 'int32', shape: [2] }, { type: 'float32', shape: [2, 3, 4] },
  ], [0, 1], [2]);
  const it = new Interpreter(dynamic, { resolver: allOps() }).allocateTensors();
  it.input(1).data.set([2, 0]);
  assert.throws(() => it.invoke(), e => e instanceof OpError && /non-contiguous/.test(e.message));
});

// ---------------------------------------------------------------------------------------------
// BATCH_TO_SPACE_ND, SPACE_TO_BATCH_ND, DEPTH_TO_SPACE, SPACE_TO_DEPTH

/** Reals to int8 at scale 1/16, zero point 0 (the tables' values are exact there, within range). */
const q16 = values => Int8Array.from(values, v => Math.max(-128, Math.min(127, Math.round(v * 16))));

for (const [op, key] of [['BATCH_TO_SPACE_ND', 'crops'], ['SPACE_TO_BATCH_ND', 'paddings']]) {
  test(`${op}: TFLM's basic table, float32 and int8, constant and input block/${key}`, async () => {
    const c = GOLD[op].Basic;
    for (const type of ['float32', 'int8']) {
      for (const constant of [true, false]) {
        const q = type === 'int8' ? { scale: 1 / 16, zeroPoint: 0 } : {};
        const block = Int32Array.from(c.block), second = Int32Array.from(c[key]);
        const model = opModel(op, [
          { type, shape: dimsOf(c.input_dims), ...q },
          { type: 'int32', shape: [2], ...(constant ? { data: block } : {}) },
          { type: 'int32', shape: [2, 2], ...(constant ? { data: second } : {}) },
          { type, shape: dimsOf(c.output_dims), ...q },
        ], [0, 1, 2], [3]);
        const input = type === 'int8' ? q16(c.input) : Float32Array.from(c.input);
        const [out] = await run(model, constant ? [input] : [input, block, second]);
        assert.deepEqual(Array.from(out), type === 'int8' ? Array.from(q16(c.golden)) : c.golden, `${type} ${constant ? 'constant' : 'input'}`);
      }
    }
  });
}

test('BATCH_TO_SPACE_ND crops, SPACE_TO_BATCH_ND pads with 0, 3-D forms (against a direct computation)', async () => {
  // [4, 2, 2, 1] → block 2×2, crop one row at the top: [1, 3, 4, 1].
  const input = Float32Array.from({ length: 16 }, (_, i) => i + 1);
  const b2s = opModel('BATCH_TO_SPACE_ND', [
    { type: 'float32', shape: [4, 2, 2, 1] },
    { type: 'int32', shape: [2], data: Int32Array.of(2, 2) },
    { type: 'int32', shape: [2, 2], data: Int32Array.of(1, 0, 0, 0) },
    { type: 'float32', shape: [1, 3, 4, 1] },
  ], [0, 1, 2], [3]);
  const [full] = await run(opModel('BATCH_TO_SPACE_ND', [
    { type: 'float32', shape: [4, 2, 2, 1] },
    { type: 'int32', shape: [2], data: Int32Array.of(2, 2) },
    { type: 'int32', shape: [2, 2], data: Int32Array.of(0, 0, 0, 0) },
    { type: 'float32', shape: [1, 4, 4, 1] },
  ], [0, 1, 2], [3]), [input]);
  const [cropped] = await run(b2s, [input]);
  assert.deepEqual(Array.from(cropped), Array.from(full).slice(4));
  // 3-D: [1, 3, 2] padded by one row on top, block 2: [2, 2, 2].
  const s2b = opModel('SPACE_TO_BATCH_ND', [
    { type: 'int8', shape: [1, 3, 2], scale: 1, zeroPoint: 5 },
    { type: 'int32', shape: [1], data: Int32Array.of(2) },
    { type: 'int32', shape: [1, 2], data: Int32Array.of(1, 0) },
    { type: 'int8', shape: [2, 2, 2], scale: 1, zeroPoint: 5 },
  ], [0, 1, 2], [3]);
  const [padded] = await run(s2b, [Int8Array.of(1, 2, 3, 4, 5, 6)]);
  // Padded rows: [0,0],[1,2],[3,4],[5,6]; batch 0 takes rows 0 and 2, batch 1 rows 1 and 3.
  assert.deepEqual(Array.from(padded), [0, 0, 3, 4, 1, 2, 5, 6]);
});

test('BATCH_TO_SPACE_ND / SPACE_TO_BATCH_ND refuse values that do not give the output shape (prepare, and eval for inputs)', async () => {
  const m = (op, block, second, out) => opModel(op, [
    { type: 'float32', shape: [4, 2, 2, 1] },
    { type: 'int32', shape: [2], ...(block ? { data: Int32Array.from(block) } : {}) },
    { type: 'int32', shape: [2, 2], ...(second ? { data: Int32Array.from(second) } : {}) },
    { type: 'float32', shape: out },
  ], [0, 1, 2], [3]);
  refuses(m('BATCH_TO_SPACE_ND', [2, 2], [0, 0, 0, 0], [1, 4, 3, 1]), /do not give the output/);
  refuses(m('BATCH_TO_SPACE_ND', [0, 2], [0, 0, 0, 0], [1, 4, 4, 1]), /must be positive/);
  refuses(m('SPACE_TO_BATCH_ND', [3, 1], [0, 0, 0, 0], [12, 1, 2, 1]), /do not give the output/);
  refuses(m('SPACE_TO_BATCH_ND', [1, 1], [-1, 1, 0, 0], [4, 2, 2, 1]), /negative/);
  const it = new Interpreter(m('BATCH_TO_SPACE_ND', null, null, [1, 4, 4, 1]), { resolver: allOps() }).allocateTensors();
  it.input(1).data.set([2, 1]);
  it.input(2).data.set([0, 0, 0, 0]);
  assert.throws(() => it.invoke(), e => e instanceof OpError && /do not give the output/.test(e.message));
  refuses(opModel('BATCH_TO_SPACE_ND', [
    { type: 'int16', shape: [4, 2, 2, 1] }, { type: 'int32', shape: [2], data: Int32Array.of(2, 2) },
    { type: 'int32', shape: [2, 2], data: Int32Array.of(0, 0, 0, 0) }, { type: 'int16', shape: [1, 4, 4, 1] },
  ], [0, 1, 2], [3]), /int16/);
});

test('DEPTH_TO_SPACE and SPACE_TO_DEPTH: TFLM depth_to_space_test.cc / space_to_depth_test.cc tables (float32, int8)', async () => {
  for (const [name, c] of Object.entries(GOLD.DEPTH_TO_SPACE)) {
    const type = typeOfTest(name);
    const blockSize = Number(name.slice(name.lastIndexOf('_') + 1));
    const q = type === 'int8' ? { scale: 1 / 16, zeroPoint: 0 } : {};
    const model = opModel('DEPTH_TO_SPACE', [{ type, shape: dimsOf(c.kInputDims), ...q }, { type, shape: dimsOf(c.kExpectDims), ...q }], [0], [1], { blockSize });
    const [out] = await run(model, [type === 'int8' ? q16(c.kInput) : Float32Array.from(c.kInput)]);
    if (type === 'int8') assert.deepEqual(Array.from(out), Array.from(q16(c.kExpect)), name);
    else assertClose(Array.from(out), c.kExpect.map(Math.fround), 0, name);
  }
  for (const [name, c] of Object.entries(GOLD.SPACE_TO_DEPTH)) {
    const type = typeOfTest(name);
    const q = type === 'int8' ? { scale: 1 / 16, zeroPoint: 0 } : {};
    const model = opModel('SPACE_TO_DEPTH', [{ type, shape: dimsOf(c.input_dims), ...q }, { type, shape: dimsOf(c.expect_dims), ...q }], [0], [1], { blockSize: 2 });
    const [out] = await run(model, [type === 'int8' ? q16(c.kInputData) : Float32Array.from(c.kInputData)]);
    if (type === 'int8') assert.deepEqual(Array.from(out), Array.from(q16(c.kExpectData)), name);
    else assertClose(Array.from(out), c.kExpectData.map(Math.fround), 0, name);
  }
  refuses(opModel('DEPTH_TO_SPACE', [{ type: 'float32', shape: [1, 1, 1, 3] }, { type: 'float32', shape: [1, 2, 2, 1] }], [0], [1], { blockSize: 2 }), /multiple/);
  refuses(opModel('SPACE_TO_DEPTH', [{ type: 'float32', shape: [1, 2, 2, 1] }, { type: 'float32', shape: [1, 1, 1, 4] }], [0], [1], { blockSize: 0 }), /positive/);
  refuses(opModel('SPACE_TO_DEPTH', [{ type: 'int16', shape: [1, 2, 2, 1] }, { type: 'int16', shape: [1, 1, 1, 4] }], [0], [1], { blockSize: 2 }), /int16/);
});

// ---------------------------------------------------------------------------------------------
// GATHER_ND, MIRROR_PAD

test('GATHER_ND: TFLM gather_nd_test.cc tables (float32, int8; out-of-bounds rows are errors)', async () => {
  const cases = Object.entries(GOLD.GATHER_ND);
  assert.ok(cases.length >= 16);
  for (const [name, c] of cases) {
    const type = name.includes('Int8') ? 'int8' : 'float32';
    const params = dimsOf(c.input_dims), indexShape = dimsOf(c.index_dims);
    const nd = indexShape[indexShape.length - 1];
    const outShape = [...indexShape.slice(0, -1), ...params.slice(nd)];
    const q = type === 'int8' ? { scale: 1, zeroPoint: 0 } : {};
    const model = opModel('GATHER_ND', [
      { type, shape: params, ...q }, { type: 'int32', shape: indexShape }, { type, shape: outShape, ...q },
    ], [0, 1], [2]);
    const inputs = [typed(type, c.input_data), Int32Array.from(c.index_data)];
    if (!c.golden_data) {
      const it = new Interpreter(model, { resolver: allOps() }).allocateTensors();
      it.input(0).bytes.set(bytesOf(inputs[0]));
      it.input(1).data.set(inputs[1]);
      assert.throws(() => it.invoke(), e => e instanceof OpError && /out of bounds/.test(e.message), name);
      continue;
    }
    const [out] = await run(model, inputs);
    assertClose(Array.from(out), c.golden_data.map(Math.fround), 0, name);
  }
  refuses(opModel('GATHER_ND', [
    { type: 'float32', shape: [2, 2] }, { type: 'int32', shape: [1, 3], data: Int32Array.of(0, 0, 0) }, { type: 'float32', shape: [1] },
  ], [0, 1], [2]), /exceed params rank/);
  refuses(opModel('GATHER_ND', [
    { type: 'int16', shape: [2, 2] }, { type: 'int32', shape: [1, 2], data: Int32Array.of(0, 0) }, { type: 'int16', shape: [1] },
  ], [0, 1], [2]), /int16/);
});

test('MIRROR_PAD: TFLM mirror_pad_test.cc tables (float32, int8; int32 and int64 paddings; constant and input)', async () => {
  const cases = Object.entries(GOLD.MIRROR_PAD);
  assert.ok(cases.length >= 12);
  for (const [name, c] of cases) {
    const mode = name.includes('Reflect') ? 0 : 1;
    const shape = dimsOf(c.input_shape), padShape = dimsOf(c.pad_shape), outShape = dimsOf(c.output_shape);
    const n = shape.reduce((a, b) => a * b, 1);
    for (const [type, padType, constant] of [['float32', 'int32', true], ['int8', 'int64', true], ['float32', 'int32', false]]) {
      const pads = padType === 'int64' ? BigInt64Array.from(c.pad_data, BigInt) : Int32Array.from(c.pad_data);
      const q = type === 'int8' ? { scale: 1, zeroPoint: 0 } : {};
      const model = opModel('MIRROR_PAD', [
        { type, shape, ...q }, { type: padType, shape: padShape, ...(constant ? { data: pads } : {}) }, { type, shape: outShape, ...q },
      ], [0, 1], [2], { mode });
      const input = typed(type, c.input_data.slice(0, n));
      const [out] = await run(model, constant ? [input] : [input, pads]);
      assert.deepEqual(Array.from(out), c.golden_data, `${name} ${type} ${padType} ${constant ? 'constant' : 'input'}`);
    }
  }
  const bad = (pads, out, mode) => opModel('MIRROR_PAD', [
    { type: 'float32', shape: [2, 3] }, { type: 'int32', shape: [2, 2], data: Int32Array.from(pads) }, { type: 'float32', shape: out },
  ], [0, 1], [2], { mode });
  refuses(bad([0, 0, 3, 0], [2, 6], 0), /do not fit/);
  refuses(bad([0, 0, 3, 0], [2, 5], 1), /output's size/);
  refuses(bad([2, 0, 0, 0], [4, 3], 0), /do not fit/);
  const it = new Interpreter(opModel('MIRROR_PAD', [
    { type: 'float32', shape: [2, 3] }, { type: 'int32', shape: [2, 2] }, { type: 'float32', shape: [2, 5] },
  ], [0, 1], [2], { mode: 0 }), { resolver: allOps() }).allocateTensors();
  it.input(1).data.set([0, 0, 0, 3]);
  assert.throws(() => it.invoke(), e => e instanceof OpError && /do not fit/.test(e.message));
});

// ---------------------------------------------------------------------------------------------
// BATCH_MATMUL

const count = shape => shape.reduce((a, b) => a * b, 1);
/** TFLM's test helpers: quantize with round-half-away and the tensor's zero point, clamped. */
const quantizeTo = (type, values, scale, zp) => {
  const [lo, hi] = type === 'int8' ? [-128, 127] : [-32768, 32767];
  return TYPED[type].from(values, v => Math.max(lo, Math.min(hi, Math.round(Math.fround(v / scale)) + zp)));
};

test('BATCH_MATMUL: TFLM batch_matmul_test.cc tables (float32 with every adjoint/broadcast/flatten form; int8; int16)', async () => {
  const cases = Object.entries(GOLD.BATCH_MATMUL);
  assert.ok(cases.length >= 19);
  for (const [name, c] of cases) {
    const lShape = dimsOf(c.kLhsInputDims), rShape = dimsOf(c.kRhsInputDims), oShape = dimsOf(c.kOutputDims);
    const lhs = c.kLhsInput ?? Array.from({ length: count(lShape) }, (_, i) => i + 1);
    const rhs = c.kRhsInput ?? Array.from({ length: count(rShape) }, (_, i) => i + c.rhsStart);
    const options = { adjX: c.adjX, adjY: c.adjY };
    if (name.includes('Quantized')) {
      const type = name.endsWith('Int8') ? 'int8' : 'int16';
      // The tables' parameters: int8 from [-63.5, 64] (scale 0.5, zero point -1) and output [-127, 128];
      // int16 symmetric, inputs at 10/32767, output at 1.
      const lq = type === 'int8' ? { scale: 0.5, zeroPoint: -1 } : { scale: Math.fround(10 / 32767), zeroPoint: 0 };
      const oq = type === 'int8' ? { scale: 1, zeroPoint: -1 } : { scale: 1, zeroPoint: 0 };
      for (const constantRhs of [false, true]) {
        const rq = quantizeTo(type, rhs, lq.scale, lq.zeroPoint);
        const model = opModel('BATCH_MATMUL', [
          { type, shape: lShape, ...lq }, { type, shape: rShape, ...lq, ...(constantRhs ? { data: rq } : {}) }, { type, shape: oShape, ...oq },
        ], [0, 1], [2], options);
        const lqData = quantizeTo(type, lhs, lq.scale, lq.zeroPoint);
        const [out] = await run(model, constantRhs ? [lqData] : [lqData, rq]);
        assert.deepEqual(Array.from(out), c.kExpect, `${name}${constantRhs ? ' (constant rhs)' : ''}`);
      }
      continue;
    }
    const constantRhs = name.startsWith('ConstRHS');
    const model = opModel('BATCH_MATMUL', [
      { type: 'float32', shape: lShape }, { type: 'float32', shape: rShape, ...(constantRhs ? { data: Float32Array.from(rhs) } : {}) },
      { type: 'float32', shape: oShape },
    ], [0, 1], [2], options);
    const [out] = await run(model, constantRhs ? [Float32Array.from(lhs)] : [Float32Array.from(lhs), Float32Array.from(rhs)]);
    assertClose(Array.from(out), c.kExpect, 0, name);
    if (constantRhs) {
      // A second invoke with the transposed copy made again (TFLM caches it; results are the same).
      const it = new Interpreter(model, { resolver: allOps() }).allocateTensors();
      it.input(0).data.set(lhs);
      it.invoke();
      it.invoke();
      assertClose(Array.from(it.output(0).data), c.kExpect, 0, `${name} (second invoke)`);
    }
  }
});

test('BATCH_MATMUL refuses mismatched depths, batches, types and int16 zero points', () => {
  const m = (l, r, o, options = {}, type = 'float32', q = {}) => opModel('BATCH_MATMUL', [
    { type, shape: l, ...q }, { type, shape: r, ...q }, { type, shape: o, ...q },
  ], [0, 1], [2], options);
  refuses(m([2, 3], [4, 2], [2, 2]), /differ in depth/);
  refuses(m([2, 2, 3], [3, 3, 4], [3, 2, 4]), /do not broadcast/);
  refuses(m([2, 3], [3, 4], [2, 5]), /does not hold/);
  refuses(m([2, 3], [3, 4], [2, 4], {}, 'int16', { scale: 0.1, zeroPoint: 1 }), /zero point 0/);
  refuses(m([2, 3], [3, 4], [2, 4], {}, 'int32'), /int32/);
  refuses(m([2], [3, 4], [2, 4]), /2 to 5 dimensions/);
});

// ---------------------------------------------------------------------------------------------
// IF, WHILE

const f1 = { type: 'float32', shape: [1] };

/** TFLM's GetSimpleModelWithSubgraphsAndIf: then-branch ADD, else-branch MUL of two [2] floats. */
function ifModel(thenOp = 'ADD', elseOp = 'MUL') {
  const f2 = { type: 'float32', shape: [2] };
  const branch = op => ({
    tensors: [f2, f2, f2], inputs: [0, 1], outputs: [2],
    operators: [{ op, inputs: [0, 1], outputs: [2], options: { fusedActivationFunction: 0 } }],
  });
  return writeModel({
    subgraphs: [
      {
        tensors: [{ type: 'bool', shape: [1] }, f2, f2, f2], inputs: [0, 1, 2], outputs: [3],
        operators: [{ op: 'IF', inputs: [0, 1, 2], outputs: [3], options: { thenSubgraphIndex: 1, elseSubgraphIndex: 2 } }],
      },
      branch(thenOp), branch(elseOp),
    ],
  });
}

/**
 * TFLM's GetSimpleModelWithSubgraphsAndWhile: while (a < b) a = a + b. The condition is
 * LESS(a, b) there; here CAST(RELU(b - a) → bool), the same for these floats with the kernels
 * this group may use.
 */
function whileModel() {
  return writeModel({
    subgraphs: [
      {
        tensors: [f1, f1, f1, f1], inputs: [0, 1], outputs: [2, 3],
        operators: [{ op: 'WHILE', inputs: [0, 1], outputs: [2, 3], options: { condSubgraphIndex: 1, bodySubgraphIndex: 2 } }],
      },
      {
        tensors: [f1, f1, f1, f1, { type: 'bool', shape: [1] }], inputs: [0, 1], outputs: [4],
        operators: [
          { op: 'SUB', inputs: [1, 0], outputs: [2], options: { fusedActivationFunction: 0 } },
          { op: 'RELU', inputs: [2], outputs: [3] },
          { op: 'CAST', inputs: [3], outputs: [4] },
        ],
      },
      {
        tensors: [f1, f1, f1], inputs: [0, 1], outputs: [2, 1],
        operators: [{ op: 'ADD', inputs: [0, 1], outputs: [2], options: { fusedActivationFunction: 0 } }],
      },
    ],
  });
}

test('IF: TFLM if_test.cc (condition true runs ADD, false runs MUL) on Node and XS, invoked again with the other branch', async () => {
  const model = ifModel();
  const a = Float32Array.of(2, 5), b = Float32Array.of(3, 7);
  assert.deepEqual(Array.from((await run(model, [Uint8Array.of(1), a, b]))[0]), [5, 12]);
  assert.deepEqual(Array.from((await run(model, [Uint8Array.of(0), a, b]))[0]), [6, 35]);
  const it = new Interpreter(model, { resolver: allOps() }).allocateTensors();
  it.input(1).data.set(a);
  it.input(2).data.set(b);
  for (const [cond, expected] of [[1, [5, 12]], [0, [6, 35]], [1, [5, 12]]]) {
    it.input(0).data[0] = cond;
    it.invoke();
    assert.deepEqual(Array.from(it.output(0).data), expected);
  }
});

test('WHILE: TFLM while_test.cc (never, once, several iterations) on Node and XS', async () => {
  const model = whileModel();
  for (const [a, b, ea, eb] of [[3, 2, 3, 2], [2, 3, 5, 3], [-5, 3, 4, 3]]) {
    const [x, y] = await run(model, [Float32Array.of(a), Float32Array.of(b)]);
    assert.deepEqual([x[0], y[0]], [ea, eb], `while (${a} < ${b})`);
  }
});

test('IF and WHILE refuse branches that do not match the operator, and self-calls', () => {
  const f2 = { type: 'float32', shape: [2] };
  const wrongElse = writeModel({
    subgraphs: [
      {
        tensors: [{ type: 'bool', shape: [1] }, f2, f2, f2], inputs: [0, 1, 2], outputs: [3],
        operators: [{ op: 'IF', inputs: [0, 1, 2], outputs: [3], options: { thenSubgraphIndex: 1, elseSubgraphIndex: 2 } }],
      },
      { tensors: [f2, f2, f2], inputs: [0, 1], outputs: [2], operators: [{ op: 'ADD', inputs: [0, 1], outputs: [2] }] },
      { tensors: [f2, f2], inputs: [0], outputs: [1], operators: [{ op: 'RELU', inputs: [0], outputs: [1] }] },
    ],
  });
  refuses(wrongElse, /else subgraph 2 takes 1 inputs/);
  const intCond = writeModel({
    subgraphs: [
      {
        tensors: [{ type: 'int32', shape: [1] }, f2, f2], inputs: [0, 1], outputs: [2],
        operators: [{ op: 'IF', inputs: [0, 1], outputs: [2], options: { thenSubgraphIndex: 1, elseSubgraphIndex: 1 } }],
      },
      { tensors: [f2, f2], inputs: [0], outputs: [1], operators: [{ op: 'RELU', inputs: [0], outputs: [1] }] },
    ],
  });
  refuses(intCond, /must be bool/);
  const selfWhile = writeModel({
    subgraphs: [
      { tensors: [f1, f1], inputs: [0], outputs: [1], operators: [{ op: 'WHILE', inputs: [0], outputs: [1], options: { condSubgraphIndex: 1, bodySubgraphIndex: 0 } }] },
      { tensors: [f1, { type: 'bool', shape: [1] }], inputs: [0], outputs: [1], operators: [{ op: 'CAST', inputs: [0], outputs: [1] }] },
    ],
  });
  assert.throws(() => new Interpreter(selfWhile, { resolver: allOps() }).allocateTensors(), /main one|calls itself/);
  const int8Body = writeModel({
    subgraphs: [
      { tensors: [f1, f1], inputs: [0], outputs: [1], operators: [{ op: 'WHILE', inputs: [0], outputs: [1], options: { condSubgraphIndex: 1, bodySubgraphIndex: 2 } }] },
      { tensors: [f1, { type: 'bool', shape: [1] }], inputs: [0], outputs: [1], operators: [{ op: 'CAST', inputs: [0], outputs: [1] }] },
      { tensors: [{ type: 'int8', shape: [4], scale: 1, zeroPoint: 0 }, { type: 'int8', shape: [4], scale: 1, zeroPoint: 0 }], inputs: [0], outputs: [1], operators: [{ op: 'RELU', inputs: [0], outputs: [1] }] },
    ],
  });
  refuses(int8Body, /type and size must match/);
});

// ---------------------------------------------------------------------------------------------
// EMBEDDING_LOOKUP

test('EMBEDDING_LOOKUP: TFLM embedding_lookup_test.cc tables (float32, int8, hybrid int8 → float32); bad rows are errors', async () => {
  for (const [name, c] of Object.entries(GOLD.EMBEDDING_LOOKUP)) {
    const vShape = dimsOf(c.kInputDims_1), oShape = dimsOf(c.kOutputDims);
    const lookup = Int32Array.from(c.kInput_0);
    let vType = 'float32', oType = 'float32', q = {}, values = Float32Array.from(c.kInput_1), tolerance = 0;
    if (name.includes('Hybrid')) {
      // TFLM's test: symmetric int8 from the values' range, dequantized within its tolerance.
      vType = 'int8';
      const scale = Math.fround(Math.max(...c.kInput_1.map(Math.abs)) / 127);
      q = { scale, zeroPoint: 0 };
      values = Int8Array.from(c.kInput_1, v => Math.round(v / scale));
      tolerance = scale / 2 + 1e-6;
    } else if (name.includes('Int8')) {
      vType = oType = 'int8';
      q = { scale: 1, zeroPoint: 0 };
      values = Int8Array.from(c.kInput_1);
    }
    for (const constant of [true, false]) {
      const model = opModel('EMBEDDING_LOOKUP', [
        { type: 'int32', shape: [lookup.length] },
        { type: vType, shape: vShape, ...q, ...(constant ? { data: values } : {}) },
        { type: oType, shape: oShape, ...(oType === 'int8' ? q : {}) },
      ], [0, 1], [2]);
      const [out] = await run(model, constant ? [lookup] : [lookup, values]);
      if (oType === 'int8') assert.deepEqual(Array.from(out), c.kExpect, name);
      else assertClose(Array.from(out), c.kExpect.map(Math.fround), tolerance, name);
    }
  }
  const model = opModel('EMBEDDING_LOOKUP', [
    { type: 'int32', shape: [2] }, { type: 'float32', shape: [3, 2], data: Float32Array.of(1, 2, 3, 4, 5, 6) }, { type: 'float32', shape: [2, 2] },
  ], [0, 1], [2]);
  const it = new Interpreter(model, { resolver: allOps() }).allocateTensors();
  it.input(0).data.set([0, 3]);
  assert.throws(() => it.invoke(), e => e instanceof OpError && /out of bounds/.test(e.message));
  refuses(opModel('EMBEDDING_LOOKUP', [
    { type: 'int32', shape: [2] }, { type: 'int8', shape: [3, 2], scale: 0.1, zeroPoint: 3 }, { type: 'float32', shape: [2, 2] },
  ], [0, 1], [2]), /zero point 0/);
  refuses(opModel('EMBEDDING_LOOKUP', [
    { type: 'int32', shape: [2] }, { type: 'float32', shape: [3, 2] }, { type: 'float32', shape: [2, 3] },
  ], [0, 1], [2]), /should have shape/);
});
