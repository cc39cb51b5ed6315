// The second part of issue 11's "shape" group: BROADCAST_TO, BROADCAST_ARGS, CUMSUM,
// DYNAMIC_UPDATE_SLICE, L2_POOL_2D, one single-op model at a time, on Node and in the real XS
// engine (which must agree to the bit). Expected values are TFLM's own kernel-test tables
// (test-host/lib/tflm-goldens-shape2.json holds the inputs and expectations copied from
// tensorflow/lite/micro/kernels/<op>_test.cc); seeded differential cases against reference
// TFLite run in differential.test.mjs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Interpreter, OpError } from './lib/tflite.mjs';
import { allOps } from './lib/kernels-all.mjs';
import { writeModel, XsEngine } from './lib/host.mjs';

const GOLD = JSON.parse(readFileSync(new URL('./lib/tflm-goldens-shape2.json', import.meta.url), 'utf8'));

let xs = null;
before(async () => {
  xs = await XsEngine.start();
});
after(async () => {
  if (xs) await xs.close();
});

const TYPED = { float32: Float32Array, int8: Int8Array, uint8: Uint8Array, int16: Int16Array, int32: Int32Array, bool: Uint8Array };
const f32 = Math.fround;

/** TFLM's IntArray form ([rank, d0, d1, ...]) as a shape. */
const dimsOf = a => a.slice(1, 1 + a[0]);

function typed(type, values) {
  if (type === 'int64') return BigInt64Array.from(values, v => BigInt(v));
  if (type === 'bool') return Uint8Array.from(values, v => (v ? 1 : 0));
  return TYPED[type].from(values);
}

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

function invokeThrows(model, inputs, pattern) {
  const it = new Interpreter(model, { resolver: allOps() }).allocateTensors();
  inputs.forEach((values, i) => it.input(i).bytes.set(bytesOf(values)));
  assert.throws(() => it.invoke(), e => e instanceof OpError && pattern.test(e.message), String(pattern));
}

// ---------------------------------------------------------------------------------------------
// BROADCAST_TO

test('BROADCAST_TO: TFLM broadcast_to_test.cc tables (int32 values; int32 and int64 shapes, constant and input), every copy type', async () => {
  const cases = Object.entries(GOLD.BROADCAST_TO);
  assert.equal(cases.length, 5);
  for (const [name, c] of cases) {
    const shapeType = c.int64 ? 'int64' : 'int32';
    for (const type of ['int32', 'float32', 'int8', 'int16', 'uint8', 'int64', 'bool']) {
      for (const constant of [true, false]) {
        const dims = typed(shapeType, c.dims_data);
        const q = type === 'int8' || type === 'int16' || type === 'uint8' ? { scale: 1, zeroPoint: 0 } : {};
        const model = opModel('BROADCAST_TO', [
          { type, shape: dimsOf(c.input_shape), ...q },
          { type: shapeType, shape: dimsOf(c.dims_shape), ...(constant ? { data: dims } : {}) },
          { type, shape: dimsOf(c.output_shape), ...q },
        ], [0, 1], [2]);
        const values = type === 'bool' ? c.input_data.map(v => v % 2) : c.input_data;
        const expected = type === 'bool' ? c.expected.map(v => v % 2) : c.expected;
        const [out] = await run(model, constant ? [typed(type, values)] : [typed(type, values), dims]);
        assert.deepEqual(numbers(out, type), expected, `${name} ${type} (${constant ? 'constant' : 'input'} shape)`);
      }
    }
  }
});

test('BROADCAST_TO refuses TFLM\'s failing cases and shapes that do not name the output (prepare; eval for an input shape)', () => {
  for (const [name, c] of Object.entries(GOLD.BROADCAST_TO_FAILS)) {
    const model = opModel('BROADCAST_TO', [
      { type: 'int32', shape: dimsOf(c.input_shape) },
      { type: 'int32', shape: dimsOf(c.dims_shape), data: Int32Array.from(c.dims_data) },
      { type: 'int32', shape: dimsOf(c.output_shape) },
    ], [0, 1], [2]);
    assert.throws(() => new Interpreter(model, { resolver: allOps() }).allocateTensors(), e => e instanceof OpError, name);
  }
  const m = (inShape, dims, outShape, constant = true, types = ['float32', 'float32']) => opModel('BROADCAST_TO', [
    { type: types[0], shape: inShape },
    { type: 'int32', shape: [dims.length], ...(constant ? { data: Int32Array.from(dims) } : {}) },
    { type: types[1], shape: outShape },
  ], [0, 1], [2]);
  refuses(m([2, 2], [2, 2], [2, 2, 2, 2, 2, 2].slice(0, 2), true, ['float32', 'int8']), /type/);
  refuses(m([3], [2, 2], [2, 2]), /broadcastable/);
  refuses(m([1], [3, 2], [3, 3]), /names 2/);
  refuses(m([2, 2, 2, 2, 2, 2], [2, 2, 2, 2, 2, 2], [2, 2, 2, 2, 2, 2]), /1-5D/);
  invokeThrows(m([2], [3, 2], [3, 2], false), [Float32Array.of(1, 2), Int32Array.of(4, 2)], /names 4/);
});

// ---------------------------------------------------------------------------------------------
// BROADCAST_ARGS

test('BROADCAST_ARGS: TFLM broadcast_args_test.cc tables (int32 and int64, constant and input shapes)', async () => {
  const cases = Object.entries(GOLD.BROADCAST_ARGS);
  assert.equal(cases.length, 4);
  for (const [name, c] of cases) {
    for (const type of ['int32', 'int64']) {
      // An empty constant has no buffer in a model: that case runs with inputs only.
      for (const constant of c.input1_data.length ? [true, false] : [false]) {
        const a = typed(type, c.input1_data), b = typed(type, c.input2_data);
        const model = opModel('BROADCAST_ARGS', [
          { type, shape: dimsOf(c.input1_shape), ...(constant ? { data: a } : {}) },
          { type, shape: dimsOf(c.input2_shape), ...(constant ? { data: b } : {}) },
          { type, shape: dimsOf(c.output_shape) },
        ], [0, 1], [2]);
        const [out] = await run(model, constant ? [] : [a, b]);
        assert.deepEqual(numbers(out, type), c.expected, `${name} ${type} (${constant ? 'constant' : 'input'})`);
      }
    }
  }
  // int64 values are read as int (truncated to their low 32 bits), as TFLM does.
  const big = opModel('BROADCAST_ARGS', [
    { type: 'int64', shape: [2] }, { type: 'int64', shape: [1] }, { type: 'int64', shape: [2] },
  ], [0, 1], [2]);
  const [out] = await run(big, [BigInt64Array.of(2n ** 32n + 3n, -(2n ** 33n) + 5n), BigInt64Array.of(1n)]);
  assert.deepEqual(numbers(out, 'int64'), [3, 5]);
});

test('BROADCAST_ARGS refuses mixed types and non-vectors; shapes that do not broadcast fail at eval', () => {
  refuses(opModel('BROADCAST_ARGS', [{ type: 'int32', shape: [2] }, { type: 'int64', shape: [2] }, { type: 'int32', shape: [2] }], [0, 1], [2]), /type/);
  refuses(opModel('BROADCAST_ARGS', [{ type: 'float32', shape: [2] }, { type: 'float32', shape: [2] }, { type: 'float32', shape: [2] }], [0, 1], [2]), /type/);
  refuses(opModel('BROADCAST_ARGS', [{ type: 'int32', shape: [2, 1] }, { type: 'int32', shape: [2] }, { type: 'int32', shape: [2] }], [0, 1], [2]), /1 dimension/);
  const model = opModel('BROADCAST_ARGS', [{ type: 'int32', shape: [2] }, { type: 'int32', shape: [2] }, { type: 'int32', shape: [2] }], [0, 1], [2]);
  invokeThrows(model, [Int32Array.of(2, 3), Int32Array.of(2, 4)], /do not broadcast/);
});

// ---------------------------------------------------------------------------------------------
// CUMSUM

/** TFLM's ScaleFromMinMax / ZeroPointFromMinMax (int8) and Quantize/Dequantize test helpers. */
function int8Params(min, max) {
  const scale = f32(f32(max - min) / 255);
  return { scale, zeroPoint: -128 + Math.trunc(f32(f32(-min / scale) + 0.5)) };
}
const quantize8 = (values, q) => Int8Array.from(values, v => Math.max(-128, Math.min(127, Math.round(f32(v / q.scale)) + q.zeroPoint)));

/** TFLM's int8 CUMSUM arithmetic, written directly from reference/cumsum.h (for the tables' axis 0/1 cases). */
function cumsumInt8Direct(input, dims, axis, exclusive, reverse, qi, qo) {
  const srdhm = (a, b) => {
    const ab = BigInt(a) * BigInt(b);
    const nudge = ab >= 0n ? 1n << 30n : 1n - (1n << 30n);
    return Number((ab + nudge) / (1n << 31n));
  };
  const rdpot = (x, e) => {
    const mask = (1 << e) - 1, rem = x & mask, threshold = (mask >> 1) + (x < 0 ? 1 : 0);
    return (x >> e) + (rem > threshold ? 1 : 0);
  };
  const qm = real => {
    let e = Math.floor(Math.log2(real)) + 1, m = real / 2 ** e;
    let fixed = Math.round(m * 2 ** 31);
    if (fixed === 2 ** 31) { fixed /= 2; e++; }
    return [fixed, e];
  };
  const [im, is] = qm(qi.scale / (2 * qi.scale)), [om, os] = qm(2 * qi.scale / (2 ** 20 * qo.scale));
  const mul = (x, m, s) => rdpot(srdhm(x, m), -s);
  const rank = dims.length;
  let inner = 1, outer = 1, depth = 1;
  for (let i = 0; i < rank; i++) if (i < axis) inner *= dims[i]; else if (i > axis) outer *= dims[i]; else depth = dims[i];
  const out = new Int8Array(input.length), off = -qi.zeroPoint;
  for (let oi = 0; oi < outer; oi++) {
    const o = reverse ? outer - 1 - oi : oi;
    for (let ii = 0; ii < inner; ii++) {
      let acc = mul(off * 2 ** 20, im, is);
      const inr = reverse ? inner - 1 - ii : ii;
      for (let di = 0; di < depth; di++) {
        const idx = o + inr * depth * outer + (reverse ? depth - 1 - di : di) * outer;
        const y = mul((off + input[idx]) * 2 ** 20, im, is);
        let s;
        if (exclusive) { s = acc; acc = (acc + y) | 0; } else { acc = (acc + y) | 0; s = acc; }
        out[idx] = Math.max(-128, Math.min(127, mul(s, om, os) + qo.zeroPoint));
      }
    }
  }
  return out;
}

test('CUMSUM: TFLM cumsum_test.cc tables (float32 exact; int8 within TFLM\'s step and bit-exact to its integer path), axis constant and input', async () => {
  const cases = Object.entries(GOLD.CUMSUM);
  assert.equal(cases.length, 12);
  for (const [name, c] of cases) {
    const shape = dimsOf(c.dims), options = { exclusive: !!c.exclusive, reverse: !!c.reverse };
    for (const constant of [true, false]) {
      const axis = Int32Array.of(c.axis);
      const axisT = { type: 'int32', shape: [1], ...(constant ? { data: axis } : {}) };
      if (!name.endsWith('Int8')) {
        const model = opModel('CUMSUM', [{ type: 'float32', shape }, axisT, { type: 'float32', shape }], [0, 1], [2], options);
        const [out] = await run(model, constant ? [Float32Array.from(c.input)] : [Float32Array.from(c.input), axis]);
        assert.deepEqual(Array.from(out), c.expect, name);
        continue;
      }
      const q = int8Params(c.min, c.max);
      const model = opModel('CUMSUM', [{ type: 'int8', shape, ...q }, axisT, { type: 'int8', shape, ...q }], [0, 1], [2], options);
      const input = quantize8(c.input, q);
      const [out] = await run(model, constant ? [input] : [input, axis]);
      const tolerance = 2 * (c.max - c.min) / 255;
      assertClose(Array.from(out, v => (v - q.zeroPoint) * q.scale), c.expect, tolerance + 1e-6, name);
      const axisAdj = c.axis < 0 ? c.axis + shape.length : c.axis;
      assert.deepEqual(Array.from(out), Array.from(cumsumInt8Direct(input, shape, axisAdj, options.exclusive, options.reverse, q, q)), `${name} (integer path)`);
    }
  }
});

test('CUMSUM int8 with a non-zero zero point and different scales follows TFLM\'s integer path (accumulator starts from the input offset)', async () => {
  const shape = [3, 5];
  const qi = { scale: 0.05, zeroPoint: 7 }, qo = { scale: 0.2, zeroPoint: -3 };
  const input = Int8Array.from({ length: 15 }, (_, i) => ((i * 37) % 200) - 100);
  for (const [axis, exclusive, reverse] of [[0, false, false], [1, true, false], [1, false, true], [-2, true, true]]) {
    const model = opModel('CUMSUM', [
      { type: 'int8', shape, ...qi }, { type: 'int32', shape: [1], data: Int32Array.of(axis) }, { type: 'int8', shape, ...qo },
    ], [0, 1], [2], { exclusive, reverse });
    const [out] = await run(model, [input]);
    assert.deepEqual(Array.from(out), Array.from(cumsumInt8Direct(input, shape, axis < 0 ? axis + 2 : axis, exclusive, reverse, qi, qo)), `axis ${axis}`);
  }
});

test('CUMSUM refuses bad types, axes and shapes (prepare; eval for an input axis)', () => {
  const m = (type, shape, axis, outShape = shape, axisShape = [1]) => opModel('CUMSUM', [
    { type, shape }, { type: 'int32', shape: axisShape, ...(axis === null ? {} : { data: Int32Array.from(axis) }) }, { type, shape: outShape },
  ], [0, 1], [2]);
  refuses(m('int32', [2, 2], [0]), /type/);
  refuses(m('float32', [2, 2], [2]), /Invalid axis/);
  refuses(m('float32', [2, 2], [-3]), /Invalid axis/);
  refuses(m('float32', [2, 2], [0, 1], [2, 2], [2]), /1 element/);
  refuses(m('float32', [2, 2], [0], [2, 3]), /shape/);
  refuses(m('float32', [], [0]), /at least 1 dimension/);
  invokeThrows(m('float32', [2, 2], null), [Float32Array.of(1, 2, 3, 4), Int32Array.of(5)], /Invalid axis/);
});

// ---------------------------------------------------------------------------------------------
// DYNAMIC_UPDATE_SLICE

test('DYNAMIC_UPDATE_SLICE: TFLM dynamic_update_slice_test.cc tables (float32, int8, int16, int32; int32 and int64 indices)', async () => {
  const cases = Object.entries(GOLD.DYNAMIC_UPDATE_SLICE);
  assert.equal(cases.length, 6);
  for (const [name, c] of cases) {
    const shape = dimsOf(c.dims0), upShape = dimsOf(c.dims1);
    for (const constant of [true, false]) {
      const idx = typed(c.indexType, c.input2);
      const model = opModel('DYNAMIC_UPDATE_SLICE', [
        { type: c.type, shape }, { type: c.type, shape: upShape },
        { type: c.indexType, shape: [idx.length], ...(constant ? { data: idx } : {}) }, { type: c.type, shape },
      ], [0, 1, 2], [3]);
      const inputs = [typed(c.type, c.input0), typed(c.type, c.input1)];
      const [out] = await run(model, constant ? inputs : [...inputs, idx]);
      assert.deepEqual(Array.from(out), c.expect, `${name} (${constant ? 'constant' : 'input'} indices)`);
    }
  }
});

test('DYNAMIC_UPDATE_SLICE clamps start indices, copies a whole-size update, handles rank 4 (against a direct computation)', async () => {
  const shape = [2, 3, 4, 2], upShape = [1, 2, 3, 2];
  const operand = Int32Array.from({ length: 48 }, (_, i) => i);
  const update = Int32Array.from({ length: 12 }, (_, i) => -1 - i);
  const model = opModel('DYNAMIC_UPDATE_SLICE', [
    { type: 'int32', shape }, { type: 'int32', shape: upShape }, { type: 'int64', shape: [4] }, { type: 'int32', shape },
  ], [0, 1, 2], [3]);
  for (const starts of [[0, 0, 0, 0], [1, 1, 1, 0], [5, -3, 9, 2], [-(2 ** 40), 2 ** 40, 1, 1]]) {
    const [out] = await run(model, [operand, update, BigInt64Array.from(starts, v => BigInt(v))]);
    const s = starts.map((v, i) => Math.min(Math.max(0, v), shape[i] - upShape[i]));
    const expected = Array.from(operand);
    let k = 0;
    for (let a = 0; a < 1; a++) for (let b = 0; b < 2; b++) for (let c = 0; c < 3; c++) for (let d = 0; d < 2; d++) {
      expected[(((s[0] + a) * 3 + s[1] + b) * 4 + s[2] + c) * 2 + s[3] + d] = update[k++];
    }
    assert.deepEqual(Array.from(out), expected, `starts ${starts}`);
  }
  const whole = opModel('DYNAMIC_UPDATE_SLICE', [
    { type: 'float32', shape: [2, 2] }, { type: 'float32', shape: [2, 2] }, { type: 'int32', shape: [2], data: Int32Array.of(1, 1) }, { type: 'float32', shape: [2, 2] },
  ], [0, 1, 2], [3]);
  assert.deepEqual(Array.from((await run(whole, [Float32Array.of(1, 2, 3, 4), Float32Array.of(5, 6, 7, 8)]))[0]), [5, 6, 7, 8]);
});

test('DYNAMIC_UPDATE_SLICE refuses mismatched types, ranks and sizes', () => {
  const m = (types, shape, upShape, idxShape, outShape = shape) => opModel('DYNAMIC_UPDATE_SLICE', [
    { type: types[0], shape }, { type: types[1], shape: upShape }, { type: types[2], shape: idxShape }, { type: types[3] ?? types[0], shape: outShape },
  ], [0, 1, 2], [3]);
  refuses(m(['float32', 'int8', 'int32'], [3, 3], [2, 1], [2]), /type/);
  refuses(m(['float32', 'float32', 'float32'], [3, 3], [2, 1], [2]), /type/);
  refuses(m(['uint8', 'uint8', 'int32'], [3, 3], [2, 1], [2]), /type/);
  refuses(m(['float32', 'float32', 'int32'], [3, 3], [2, 1], [3]), /must hold 2 values/);
  refuses(m(['float32', 'float32', 'int32'], [3, 3], [2], [2]), /rank/);
  refuses(m(['float32', 'float32', 'int32'], [3, 3], [4, 1], [2]), /larger/);
  refuses(m(['float32', 'float32', 'int32'], [3, 3], [2, 1], [2], [3, 2]), /shape/);
});

// ---------------------------------------------------------------------------------------------
// L2_POOL_2D

/** The float32 L2 pool of reference pooling.h, in float32 steps. */
function l2PoolDirect(input, [n, h, w, c], fh, fw, sh, sw, padH, padW, oh, ow) {
  const out = [];
  for (let b = 0; b < n; b++) for (let oy = 0; oy < oh; oy++) for (let ox = 0; ox < ow; ox++) for (let ch = 0; ch < c; ch++) {
    let sum = 0, count = 0;
    for (let y = oy * sh - padH; y < oy * sh - padH + fh; y++) for (let x = ox * sw - padW; x < ox * sw - padW + fw; x++) {
      if (y < 0 || y >= h || x < 0 || x >= w) continue;
      const v = input[((b * h + y) * w + x) * c + ch];
      sum = f32(sum + f32(v * v));
      count++;
    }
    out.push(f32(Math.sqrt(f32(sum / count))));
  }
  return out;
}

test('L2_POOL_2D: TFLM l2_pool_2d_test.cc tables (float32; activations, SAME and VALID, strides)', async () => {
  const cases = Object.entries(GOLD.L2_POOL_2D);
  assert.equal(cases.length, 7);
  for (const [name, c] of cases) {
    const stride = c.stride ?? 2;
    const options = { padding: c.padding ?? 1, strideW: stride, strideH: stride, filterWidth: 2, filterHeight: 2, fusedActivationFunction: c.activation ?? 0 };
    const model = opModel('L2_POOL_2D', [{ type: 'float32', shape: c.input_dims }, { type: 'float32', shape: c.expect_dims }], [0], [1], options);
    const [out] = await run(model, [Float32Array.from(c.input)]);
    assertClose(Array.from(out), c.expect, c.tolerance, name);
  }
});

test('L2_POOL_2D matches the float32 reference computation bit for bit (random inputs, SAME padding, 3x3 windows)', async () => {
  let seed = 12345;
  const next = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32) * 20 - 10;
  const shape = [2, 5, 6, 3];
  const input = Float32Array.from({ length: 180 }, next);
  // SAME, 3x3, stride 2: output 3x3, padding 1 before in height, 0 in width.
  const model = opModel('L2_POOL_2D', [{ type: 'float32', shape }, { type: 'float32', shape: [2, 3, 3, 3] }], [0], [1],
    { padding: 0, strideW: 2, strideH: 2, filterWidth: 3, filterHeight: 3, fusedActivationFunction: 0 });
  const [out] = await run(model, [input]);
  assert.deepEqual(Array.from(out), l2PoolDirect(input, shape, 3, 3, 2, 2, 1, 0, 3, 3));
});

test('L2_POOL_2D refuses non-float types, wrong ranks and output sizes', () => {
  const m = (type, shape, outShape, options = {}) => opModel('L2_POOL_2D', [{ type, shape, scale: 1, zeroPoint: 0 }, { type, shape: outShape, scale: 1, zeroPoint: 0 }], [0], [1],
    { padding: 1, strideW: 2, strideH: 2, filterWidth: 2, filterHeight: 2, fusedActivationFunction: 0, ...options });
  refuses(m('int8', [1, 2, 4, 1], [1, 1, 2, 1]), /float32/);
  refuses(m('float32', [2, 4, 1], [1, 2, 1]), /rank 4/);
  refuses(m('float32', [1, 2, 4, 1], [1, 1, 3, 1]), /padding gives/);
  refuses(m('float32', [1, 2, 4, 1], [1, 1, 2, 1], { strideW: 0 }), /stride/);
});
