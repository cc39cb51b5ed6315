// The model reader against hostile files: every malformed model must end in a ModelError that
// names the problem, never another exception, a hang, or an allocation sized by a bad field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as flatbuffers from 'flatbuffers';
import { readModel, Interpreter, OpResolver, ModelError, OpError } from './lib/tflite.mjs';
import { allOps } from './lib/kernels-all.mjs';
import { haveCases, noCases } from './lib/cases.mjs';
import { tinyFullyConnected } from './lib/tiny-models.mjs';

const CASES = fileURLToPath(new URL('../../shared/fixtures/cases', import.meta.url));
const fixture = name => new Uint8Array(fs.readFileSync(path.join(CASES, name, 'model.tflite')));

const FLOAT32 = 0, INT32 = 2, INT8 = 9;
const ADD = 0, DELEGATE = 51;

/**
 * A minimal TFLite writer for crafted models. Fields follow schema.fbs slot numbers; `raw`
 * lets a test write fields the schema would not allow.
 */
function buildModel({
  version = 3, identifier = 'TFL3',
  opcodes = [{ code: ADD }],
  buffers = [null],
  tensors = [], inputs = [], outputs = [], operators = [],
} = {}) {
  const b = new flatbuffers.Builder(1024);
  const int32Vector = values => {
    b.startVector(4, values.length, 4);
    for (let i = values.length - 1; i >= 0; i--) b.addInt32(values[i]);
    return b.endVector();
  };
  const offsetVector = offsets => {
    b.startVector(4, offsets.length, 4);
    for (let i = offsets.length - 1; i >= 0; i--) b.addOffset(offsets[i]);
    return b.endVector();
  };
  const bufferOffsets = buffers.map(data => {
    const dataOffset = data ? b.createByteVector(data) : 0;
    b.startObject(3);
    if (dataOffset) b.addFieldOffset(0, dataOffset, 0);
    return b.endObject();
  });
  const tensorOffsets = tensors.map(t => {
    const shape = int32Vector(t.shape ?? []);
    const name = t.name ? b.createString(t.name) : 0;
    let quantization = 0;
    if (t.scale) {
      b.startVector(4, t.scale.length, 4);
      for (let i = t.scale.length - 1; i >= 0; i--) b.addFloat32(t.scale[i]);
      const scaleVector = b.endVector();
      b.startVector(8, t.scale.length, 8);
      for (let i = t.scale.length - 1; i >= 0; i--) b.addInt64(BigInt(t.zeroPoint?.[i] ?? 0));
      const zeroVector = b.endVector();
      b.startObject(7);
      b.addFieldOffset(2, scaleVector, 0);
      b.addFieldOffset(3, zeroVector, 0);
      b.addFieldInt32(6, t.quantizedDimension ?? 0, 0);
      quantization = b.endObject();
    }
    let sparsity = 0;
    if (t.sparsity) {
      b.startObject(1);
      sparsity = b.endObject();
    }
    b.startObject(8);
    b.addFieldOffset(0, shape, 0);
    b.addFieldInt8(1, t.type ?? FLOAT32, 0);
    b.addFieldInt32(2, t.buffer ?? 0, 0);
    if (name) b.addFieldOffset(3, name, 0);
    if (quantization) b.addFieldOffset(4, quantization, 0);
    if (t.isVariable) b.addFieldInt8(5, 1, 0);
    if (sparsity) b.addFieldOffset(6, sparsity, 0);
    return b.endObject();
  });
  const operatorOffsets = operators.map(op => {
    const ins = int32Vector(op.inputs), outs = int32Vector(op.outputs);
    b.startObject(9);
    b.addFieldInt32(0, op.opcode ?? 0, 0);
    b.addFieldOffset(1, ins, 0);
    b.addFieldOffset(2, outs, 0);
    return b.endObject();
  });
  const tensorsVector = offsetVector(tensorOffsets);
  const inputsVector = int32Vector(inputs), outputsVector = int32Vector(outputs);
  const operatorsVector = offsetVector(operatorOffsets);
  b.startObject(5);
  b.addFieldOffset(0, tensorsVector, 0);
  b.addFieldOffset(1, inputsVector, 0);
  b.addFieldOffset(2, outputsVector, 0);
  b.addFieldOffset(3, operatorsVector, 0);
  const subgraph = b.endObject();
  const codeOffsets = opcodes.map(c => {
    b.startObject(4);
    b.addFieldInt8(0, Math.min(c.code, 127), 0);
    b.addFieldInt32(2, 1, 1);
    b.addFieldInt32(3, c.code, 0);
    return b.endObject();
  });
  const codesVector = offsetVector(codeOffsets);
  const subgraphsVector = offsetVector([subgraph]);
  const buffersVector = offsetVector(bufferOffsets);
  b.startObject(8);
  b.addFieldInt32(0, version, 0);
  b.addFieldOffset(1, codesVector, 0);
  b.addFieldOffset(2, subgraphsVector, 0);
  b.addFieldOffset(4, buffersVector, 0);
  b.finish(b.endObject(), identifier);
  return b.asUint8Array().slice();
}

/** out = a + b on float32 [2, 2]: the valid model every crafted one is a variation of. */
function addModel(overrides = {}) {
  return buildModel({
    tensors: [
      { shape: [2, 2], name: 'a' }, { shape: [2, 2], name: 'b' }, { shape: [2, 2], name: 'out' },
    ],
    inputs: [0, 1], outputs: [2],
    operators: [{ inputs: [0, 1], outputs: [2] }],
    ...overrides,
  });
}

/** Asserts a ModelError whose message matches `pattern`, and nothing else. */
function rejects(bytes, pattern) {
  let error;
  try {
    readModel(bytes);
  } catch (e) {
    error = e;
  }
  assert.ok(error, `expected a ModelError matching ${pattern}, the model loaded`);
  assert.ok(error instanceof ModelError, `expected a ModelError, got ${error?.name}: ${error?.message}`);
  assert.match(error.message, pattern);
  return error;
}

test('the crafted base model loads, so each variation below fails for its own reason', () => {
  const model = readModel(addModel());
  const sg = model.subgraphs[0];
  assert.equal(sg.tensors.length, 3);
  assert.deepEqual(Array.from(sg.operators[0].inputs), [0, 1]);
  assert.equal(sg.operators[0].opName, 'ADD');
  assert.equal(sg.tensors[2].byteLength, 16);
});

test('every golden-case model loads', { skip: noCases }, () => {
  for (const name of fs.readdirSync(CASES)) {
    const model = readModel(fixture(name));
    assert.ok(model.subgraphs[0].operators.length > 0, name);
  }
});

test('wrong file identifier', () => {
  rejects(addModel({ identifier: 'TFL2' }), /bad file identifier "TFL2", expected "TFL3"/);
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
  rejects(png, /bad file identifier "\\x0d\\x0a\\x1a\\x0a"/);
});

test('too short, empty and non-buffer inputs', () => {
  rejects(new Uint8Array(0), /file is 0 bytes, too short/);
  rejects(new Uint8Array(7), /file is 7 bytes/);
  rejects(null, /model must be a Uint8Array/);
  rejects(42, /got number/);
  // An array-like claiming a huge length must not become a huge allocation.
  rejects({ length: 2 ** 40 }, /model must be a Uint8Array/);
  rejects([0x18, 0, 0, 0, 0x54, 0x46, 0x4c, 0x33], /model must be a Uint8Array/);
});

test('every truncation of a real model is a ModelError', () => {
  // Flatbuffers are written back to front: the root table sits near the start and every prefix
  // loses data it points to. Our writer's file ends in a string (a tensor name): the reader does
  // not need its NUL terminator and padding, so a prefix that drops only those zeros may load.
  // TFLM's hello_world (when the shared fixtures are here) loads from no prefix at all.
  const models = [['ours', tinyFullyConnected()], ...(haveCases ? [['hello_world', fixture('hello_world_int8_0')]] : [])];
  for (const [name, bytes] of models) {
    let loaded = 0;
    for (let size = 0; size < bytes.length; size++) {
      try {
        readModel(bytes.subarray(0, size));
        loaded++;
        assert.ok(bytes.subarray(size).every(b => b === 0), `${name} truncated to ${size} loads, though it drops non-zero bytes`);
      } catch (error) {
        if (error instanceof assert.AssertionError) throw error;
        assert.ok(error instanceof ModelError, `${name} truncated to ${size}: ${error?.name}: ${error?.message}`);
      }
    }
    if (name === 'hello_world') assert.equal(loaded, 0);
    else assert.ok(loaded < 4, `${name}: ${loaded} prefixes load`);
  }
});

test('root offset pointing outside the file', () => {
  const bytes = addModel();
  for (const offset of [bytes.length, bytes.length - 2, 0xffffffff, 0x7fffffff]) {
    const bad = bytes.slice();
    new DataView(bad.buffer).setUint32(0, offset, true);
    rejects(bad, /root table offset: bytes -?\d+\.\.\d+ lie outside the \d+-byte file/);
  }
});

test('vector length running past the end of the file', () => {
  const bytes = addModel();
  const model = readModel(bytes);
  // The tensors' shape vectors: find the length word of tensor 0's shape ([2, 2]).
  const r = model.reader;
  const sg = r.indirect(r.field(r.root('TFL3'), 2, 'x'), 'x');
  const firstSubgraph = r.indirect(sg + 4, 'x');
  const tensorsStart = r.vector(firstSubgraph, 0, 4, 'x');
  const tensor0 = r.indirect(tensorsStart, 'x');
  const shapeLength = r.indirect(r.field(tensor0, 0, 'x'), 'x');
  for (const length of [0xffffffff, 0x40000000, (bytes.length - shapeLength) / 4]) {
    const bad = bytes.slice();
    new DataView(bad.buffer).setUint32(shapeLength, length, true);
    rejects(bad, /tensor 0 "a"\.shape: vector of \d+ elements runs past the end of the file/);
  }
});

test('corrupt vtables', () => {
  const bytes = addModel();
  const r = readModel(bytes).reader;
  const root = r.root('TFL3');
  const vtable = root - r.i32(root);
  const odd = bytes.slice();
  new DataView(odd.buffer).setUint16(vtable, 5, true);
  rejects(odd, /vtable size 5 is invalid/);
  const huge = bytes.slice();
  new DataView(huge.buffer).setUint16(vtable, 0xfffe, true);
  rejects(huge, /model vtable: bytes \d+\.\.\d+ lie outside/);
  const pastTable = bytes.slice();
  new DataView(pastTable.buffer).setUint16(vtable + 4, 0xfff0, true); // version field's offset
  rejects(pastTable, /lie outside|lies past the table/);
  const away = bytes.slice();
  new DataView(away.buffer).setInt32(root, -0x7fffffff, true);
  rejects(away, /model vtable: bytes \d+\.\.\d+ lie outside/);
});

test('unsupported schema version', () => {
  rejects(addModel({ version: 2 }), /schema version 2 is not supported/);
});

test('unknown builtin operator', () => {
  rejects(addModel({ opcodes: [{ code: 9999 }] }), /operator code 0: unknown builtin operator 9999/);
  rejects(addModel({ opcodes: [{ code: -5 }] }), /unknown builtin operator/);
});

test('an operator without a kernel fails at allocateTensors, naming the op and its index', () => {
  const bytes = addModel({
    opcodes: [{ code: ADD }, { code: DELEGATE }],
    tensors: [{ shape: [2] }, { shape: [2] }, { shape: [2] }, { shape: [2] }],
    inputs: [0, 1], outputs: [3],
    operators: [{ inputs: [0, 1], outputs: [2] }, { opcode: 1, inputs: [2], outputs: [3] }],
  });
  const model = readModel(bytes);
  // ADD gets a kernel that accepts anything, so the failure is the DELEGATE's.
  const resolver = new OpResolver([{ code: ADD, name: 'ADD', types: [], prepare() {}, eval() {} }]);
  const interpreter = new Interpreter(model, { resolver });
  assert.throws(() => interpreter.allocateTensors(), error => error instanceof OpError &&
    error.opName === 'DELEGATE' && error.opIndex === 1 && /no kernel for DELEGATE/.test(error.message));
});

test('opcode index out of range', () => {
  rejects(addModel({ operators: [{ opcode: 3, inputs: [0, 1], outputs: [2] }] }), /opcode index 3 out of range \(model has 1 operator codes\)/);
});

test('tensor index out of range', () => {
  rejects(addModel({ operators: [{ inputs: [0, 5], outputs: [2] }] }), /ADD \(subgraph 0 operator 0\)\.inputs\[1\]: tensor index 5 out of range \(subgraph has 3 tensors\)/);
  rejects(addModel({ operators: [{ inputs: [0, 1], outputs: [-1] }] }), /outputs\[0\]: tensor index -1 out of range/);
  rejects(addModel({ operators: [{ inputs: [0, -2], outputs: [2] }] }), /inputs\[1\]: tensor index -2 out of range/);
  rejects(addModel({ inputs: [0, 3] }), /subgraph 0\.inputs\[1\]: tensor index 3 out of range/);
  rejects(addModel({ outputs: [0x7fffffff] }), /subgraph 0\.outputs\[0\]: tensor index 2147483647 out of range/);
});

test('buffer index out of range', () => {
  rejects(addModel({ tensors: [{ shape: [2, 2] }, { shape: [2, 2], buffer: 4 }, { shape: [2, 2] }] }),
    /tensor 1: buffer 4 out of range \(model has 1 buffers\)/);
});

test('buffer smaller (or larger) than the tensor\'s shape', () => {
  const tensors = data => ({
    buffers: [null, data],
    tensors: [{ shape: [2, 2], name: 'a' }, { shape: [2, 2], name: 'w', buffer: 1 }, { shape: [2, 2], name: 'out' }],
    inputs: [0],
  });
  rejects(addModel(tensors(new Uint8Array(8))), /tensor 1 "w": buffer 1 holds 8 bytes, the shape \[2, 2\] of float32 needs 16/);
  rejects(addModel(tensors(new Uint8Array(20))), /buffer 1 holds 20 bytes/);
  assert.equal(readModel(addModel(tensors(new Uint8Array(16)))).subgraphs[0].tensors[1].byteLength, 16);
});

test('unknown or unsupported tensor types', () => {
  const withType = type => addModel({ tensors: [{ shape: [2, 2], type }, { shape: [2, 2] }, { shape: [2, 2] }] });
  rejects(withType(99), /tensor 0: unknown tensor type 99/);
  rejects(withType(-1), /unknown tensor type -1/);
  rejects(withType(5), /tensor type string is not supported/);
  rejects(withType(17), /tensor type int4 is not supported/);
});

test('huge and negative shape dimensions are refused before anything is allocated', () => {
  const withShape = shape => addModel({ tensors: [{ shape: [2, 2] }, { shape: [2, 2] }, { shape, name: 'out' }] });
  rejects(withShape([0x7fffffff, 0x7fffffff, 16]), /tensor 2 "out": shape \[2147483647, 2147483647, 16\] makes \d+(e\+\d+)? bytes, over the \d+-byte limit/);
  rejects(withShape([65536, 65536]), /over the \d+-byte limit/);
  rejects(withShape([2, -1]), /dimension 1 is -1; dynamic shapes are not supported/);
  rejects(withShape(new Array(17).fill(1)), /rank 17 exceeds 16/);
});

test('an arena the plan cannot fit in is an ArenaError with the bytes needed', () => {
  const bytes = addModel({ tensors: [{ shape: [1024, 1024] }, { shape: [1024, 1024] }, { shape: [1024, 1024] }] });
  const resolver = new OpResolver([{ code: ADD, name: 'ADD', types: [], prepare() {}, eval() {} }]);
  const interpreter = new Interpreter(bytes, { resolver, arena: new ArrayBuffer(1 << 20) });
  assert.throws(() => interpreter.allocateTensors(), error => error.name === 'ArenaError' &&
    error.bytesNeeded >= 3 * 4 * 1024 * 1024 && /needs \d+ bytes, the arena has 1048576/.test(error.message));
});

test('cycles and reads of tensors nothing writes', () => {
  // op 0 reads tensor 3, which op 1 writes only afterwards.
  const cycle = addModel({
    tensors: [{ shape: [2] }, { shape: [2] }, { shape: [2] }, { shape: [2], name: 'late' }],
    inputs: [0, 1], outputs: [2],
    operators: [{ inputs: [0, 3], outputs: [2] }, { inputs: [2, 1], outputs: [3] }],
  });
  rejects(cycle, /ADD \(subgraph 0 operator 0\) reads tensor 3 "late" before any operator writes it \(a cycle, or a missing input\)/);
  const selfLoop = addModel({ operators: [{ inputs: [0, 2], outputs: [2] }] });
  rejects(selfLoop, /reads tensor 2 "out" before any operator writes it/);
  const orphan = addModel({ inputs: [0] });
  rejects(orphan, /reads tensor 1 "b" before any operator writes it/);
});

test('tensors written twice, constants written, outputs never written', () => {
  rejects(addModel({ tensors: [{ shape: [2] }, { shape: [2] }, { shape: [2] }, { shape: [2] }],
    operators: [{ inputs: [0, 1], outputs: [2] }, { inputs: [0, 1], outputs: [2] }] }), /operator 1\) writes tensor 2, which is written by an earlier operator/);
  rejects(addModel({ buffers: [null, new Uint8Array(16)],
    tensors: [{ shape: [2, 2] }, { shape: [2, 2] }, { shape: [2, 2], buffer: 1 }] }), /writes tensor 2, which is constant/);
  rejects(addModel({ tensors: [{ shape: [2] }, { shape: [2] }, { shape: [2] }, { shape: [2] }], outputs: [3] }),
    /subgraph 0 output tensor 3 is never written/);
});

test('quantization parameters the kernels could not use', () => {
  const withQuant = q => addModel({ tensors: [{ shape: [2, 2], type: INT8, ...q }, { shape: [2, 2] }, { shape: [2, 2] }] });
  rejects(withQuant({ scale: [NaN] }), /tensor 0: quantization scale 0 is NaN/);
  rejects(withQuant({ scale: [Infinity] }), /quantization scale 0 is Infinity/);
  rejects(withQuant({ scale: [0.5, 0.5, 0.5], quantizedDimension: 1 }), /3 per-channel scales do not match dimension 1 of shape \[2, 2\]/);
  assert.equal(readModel(withQuant({ scale: [0.5, 0.25], zeroPoint: [1, -1], quantizedDimension: 1 })).subgraphs[0].tensors[0].quantization.zeroPoint[1], -1);
});

test('sparse tensors are refused', () => {
  rejects(addModel({ tensors: [{ shape: [2, 2], sparsity: true }, { shape: [2, 2] }, { shape: [2, 2] }] }), /tensor 0: sparse tensors are not supported/);
});

test('no subgraph', () => {
  const b = new flatbuffers.Builder(64);
  b.startObject(8);
  b.addFieldInt32(0, 3, 0);
  b.finish(b.endObject(), 'TFL3');
  rejects(b.asUint8Array(), /model has no subgraphs/);
});

test('a model that loads also allocates (or fails with a named error) under allOps', { skip: noCases }, () => {
  // Keeps the reader honest with the interpreter: what it accepts, the interpreter can plan.
  for (const name of ['hello_world_int8_0', 'micro_speech_random_0', 'simple_add', 'keyword_scrambled_pattern']) {
    try {
      new Interpreter(fixture(name), { resolver: allOps() }).allocateTensors();
    } catch (error) {
      assert.ok(['OpError', 'ArenaError'].includes(error.name) && !/failed in prepare/.test(error.message), `${name}: ${error.name}: ${error.message}`);
    }
  }
});

test('an int32 tensor of the wrong size against its buffer names the type', () => {
  rejects(addModel({ buffers: [null, new Uint8Array(4)],
    tensors: [{ shape: [2, 2] }, { shape: [3], type: INT32, buffer: 1, name: 'idx' }, { shape: [2, 2] }], inputs: [0] }),
  /tensor 1 "idx": buffer 1 holds 4 bytes, the shape \[3\] of int32 needs 12/);
});

/**
 * A model whose tensor vectors list one shared tensor table `tensorRefs` times, in a subgraph
 * that the subgraphs vector lists `subgraphRefs` times: tiny files, huge trees.
 */
function sharedTablesModel({ tensorRefs, subgraphRefs = 1, inputs = [] }) {
  const b = new flatbuffers.Builder(1024);
  b.startVector(4, 2, 4);
  b.addInt32(256);
  b.addInt32(256);
  const shape = b.endVector();
  b.startObject(8);
  b.addFieldOffset(0, shape, 0);
  const tensor = b.endObject();
  b.startVector(4, tensorRefs, 4);
  for (let i = 0; i < tensorRefs; i++) b.addOffset(tensor);
  const tensors = b.endVector();
  b.startVector(4, inputs.length, 4);
  for (let i = inputs.length - 1; i >= 0; i--) b.addInt32(inputs[i]);
  const inputVector = b.endVector();
  b.startObject(5);
  b.addFieldOffset(0, tensors, 0);
  b.addFieldOffset(1, inputVector, 0);
  const subgraph = b.endObject();
  b.startVector(4, subgraphRefs, 4);
  for (let i = 0; i < subgraphRefs; i++) b.addOffset(subgraph);
  const subgraphs = b.endVector();
  b.startObject(1);
  const buffer0 = b.endObject();
  b.startVector(4, 1, 4);
  b.addOffset(buffer0);
  const buffers = b.endVector();
  b.startObject(8);
  b.addFieldInt32(0, 3, 0);
  b.addFieldOffset(2, subgraphs, 0);
  b.addFieldOffset(4, buffers, 0);
  b.finish(b.endObject(), 'TFL3');
  return b.asUint8Array().slice();
}

test('shared tables: more tensors than a subgraph may have', () => {
  rejects(sharedTablesModel({ tensorRefs: 9000 }), /subgraph 0 has 9000 tensors, over the limit of 8192/);
  assert.equal(readModel(sharedTablesModel({ tensorRefs: 100 })).subgraphs[0].tensors.length, 100);
});

test('shared tables: a small file cannot make the reader do unbounded work', () => {
  // 40 KB listing 8000 tensors in a subgraph listed 2000 times: 16 million tensors to read.
  const bytes = sharedTablesModel({ tensorRefs: 8000, subgraphRefs: 2000 });
  assert.ok(bytes.length < 64 * 1024);
  const started = Date.now();
  rejects(bytes, /tables are shared so often that reading them means more data than \d+ bytes can hold/);
  assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
});

test('shared tables: thousands of graph inputs alive at once plan in bounded time', () => {
  // 8000 inputs of 256 KB: the plan is 2 GB and refused, but planning it must not stall.
  const inputs = Array.from({ length: 8000 }, (_, i) => i);
  const model = readModel(sharedTablesModel({ tensorRefs: 8000, inputs }));
  const started = Date.now();
  assert.throws(() => new Interpreter(model, { resolver: new OpResolver() }).allocateTensors(), error => error.name === 'ArenaError');
  assert.ok(Date.now() - started < 15000, `allocateTensors took ${Date.now() - started} ms`);
});

test('shared tables: one big options table under thousands of operators is refused at load', () => {
  const b = new flatbuffers.Builder(1024);
  const RESHAPE = 22, RESHAPE_OPTIONS = 17;
  b.startVector(4, 20000, 4);
  for (let i = 0; i < 20000; i++) b.addInt32(1);
  const newShape = b.endVector();
  b.startObject(1);
  b.addFieldOffset(0, newShape, 0);
  const options = b.endObject();
  const vector = values => {
    b.startVector(4, values.length, 4);
    for (let i = values.length - 1; i >= 0; i--) b.addInt32(values[i]);
    return b.endVector();
  };
  const ins = vector([0]), outs = vector([1]);
  b.startObject(9);
  b.addFieldOffset(1, ins, 0);
  b.addFieldOffset(2, outs, 0);
  b.addFieldInt8(3, RESHAPE_OPTIONS, 0);
  b.addFieldOffset(4, options, 0);
  const op = b.endObject();
  b.startVector(4, 5000, 4);
  for (let i = 0; i < 5000; i++) b.addOffset(op);
  const operators = b.endVector();
  const shape = vector([1]);
  b.startObject(8);
  b.addFieldOffset(0, shape, 0);
  const tensor = b.endObject();
  b.startVector(4, 2, 4);
  b.addOffset(tensor);
  b.addOffset(tensor);
  const tensors = b.endVector();
  const graphInputs = vector([0]), graphOutputs = vector([1]);
  b.startObject(5);
  b.addFieldOffset(0, tensors, 0);
  b.addFieldOffset(1, graphInputs, 0);
  b.addFieldOffset(2, graphOutputs, 0);
  b.addFieldOffset(3, operators, 0);
  const subgraph = b.endObject();
  b.startObject(4);
  b.addFieldInt8(0, RESHAPE, 0);
  b.addFieldInt32(3, RESHAPE, 0);
  const code = b.endObject();
  b.startVector(4, 1, 4);
  b.addOffset(code);
  const codes = b.endVector();
  b.startVector(4, 1, 4);
  b.addOffset(subgraph);
  const subgraphs = b.endVector();
  b.startObject(1);
  const buffer0 = b.endObject();
  b.startVector(4, 1, 4);
  b.addOffset(buffer0);
  const buffers = b.endVector();
  b.startObject(8);
  b.addFieldInt32(0, 3, 0);
  b.addFieldOffset(1, codes, 0);
  b.addFieldOffset(2, subgraphs, 0);
  b.addFieldOffset(4, buffers, 0);
  b.finish(b.endObject(), 'TFL3');
  // 100 KB that would make 400 MB of Int32Arrays at every allocateTensors().
  rejects(b.asUint8Array(), /RESHAPE \(subgraph 0 operator \d+\) options: the file's tables are shared so often/);
});

test('custom options survive the read of the operator\'s other vectors', async () => {
  const { writeModel } = await import('./lib/host.mjs');
  const bytes = writeModel({
    subgraphs: [{
      tensors: [{ type: 'float32', shape: [2] }, { type: 'float32', shape: [2] }],
      inputs: [0], outputs: [1],
      operators: [{ op: { custom: 'MY_OP' }, inputs: [0], outputs: [1], customOptions: Uint8Array.of(9, 8, 7, 6, 5) }],
    }],
  });
  const op = readModel(bytes).subgraphs[0].operators[0];
  assert.equal(op.opName, 'MY_OP');
  assert.deepEqual(Array.from(op.customOptions), [9, 8, 7, 6, 5]);
});

// ---- Hostile shapes, names and dataflow (issue 10, breaches 1, 5, 7, 8), on Node and in XS.

const { writeModel, XsEngine } = await import('./lib/host.mjs');
const { isModel, MAX_NAME_BYTES, MAX_EMPTY_TENSOR_SPAN, MAX_TENSOR_BYTES } = await import('./lib/tflite.mjs');
const HUGE = 1 << 20;

/** The files of breach 1: an empty tensor whose other dimensions would make a pool or resize loop for hours. */
function emptyWideModels(wide = [1, HUGE, HUGE, 0]) {
  const pool = op => writeModel({ subgraphs: [{
    tensors: [{ type: 'float32', shape: wide, name: 'in' }, { type: 'float32', shape: wide, name: 'out' }],
    inputs: [0], outputs: [1],
    operators: [{ op, inputs: [0], outputs: [1], options: { padding: 'VALID', strideW: 1, strideH: 1, filterWidth: 1, filterHeight: 1 } }],
  }] });
  const resize = op => writeModel({ subgraphs: [{
    tensors: [{ type: 'float32', shape: [1, 1, 1, 0], name: 'in' }, { type: 'int32', shape: [2], data: [wide[1], wide[2]], name: 'size' },
      { type: 'float32', shape: wide, name: 'out' }],
    inputs: [0], outputs: [2],
    operators: [{ op, inputs: [0, 1], outputs: [2] }],
  }] });
  return { MAX_POOL_2D: pool('MAX_POOL_2D'), AVERAGE_POOL_2D: pool('AVERAGE_POOL_2D'),
    RESIZE_NEAREST_NEIGHBOR: resize('RESIZE_NEAREST_NEIGHBOR'), RESIZE_BILINEAR: resize('RESIZE_BILINEAR') };
}

test('breach 1: an empty tensor with huge other dimensions is refused at load, naming the tensor, its shape and the limit', () => {
  for (const [op, bytes] of Object.entries(emptyWideModels())) {
    assert.ok(bytes.length < 1024, `${op}: ${bytes.length} bytes`);
    const started = Date.now();
    rejects(bytes, /tensor \d "(in|out)": shape \[1, 1048576, 1048576, 0\] makes 4398046511104 bytes \(counting its dimensions other than 0\), over the 268435456-byte limit/);
    // Through the interpreter too: it reads the model first.
    assert.throws(() => new Interpreter(bytes, { resolver: allOps() }).allocateTensors(), ModelError);
    assert.ok(Date.now() - started < 1000, `${op}: ${Date.now() - started} ms`);
  }
  // Under the byte limit but far wider than any real empty tensor.
  for (const [op, bytes] of Object.entries(emptyWideModels([1, 1024, 1024, 0]))) {
    const error = rejects(bytes, /shape \[1, 1024, 1024, 0\] holds no elements, but its other dimensions span 1048576, over the limit of \d+ for an empty tensor/);
    assert.ok(error.message.includes(String(MAX_EMPTY_TENSOR_SPAN)), op);
  }
  // Narrow empty tensors still load, and run.
  for (const [op, bytes] of Object.entries(emptyWideModels([1, 4, 4, 0]))) {
    const interpreter = new Interpreter(bytes, { resolver: allOps() });
    interpreter.allocateTensors();
    interpreter.invoke();
    assert.equal(interpreter.output(0).byteLength, 0, op);
  }
  // Every dimension, not only the empty ones: a non-zero product over the limit with a zero in it.
  const wide = addModel({ tensors: [{ shape: [2, 2] }, { shape: [2, 2] }, { shape: [2, 2] }, { shape: [0, 0x7fffffff, 0x7fffffff], name: 'w' }] });
  rejects(wide, new RegExp(`tensor 3 "w": shape \\[0, 2147483647, 2147483647\\] makes \\d+(e\\+\\d+)? bytes \\(counting its dimensions other than 0\\), over the ${MAX_TENSOR_BYTES}-byte limit`));
});

/** One float32 ADD whose first input carries `name`. */
const namedModel = (name, description) => writeModel({
  description,
  subgraphs: [{
    tensors: [{ type: 'float32', shape: [2], name }, { type: 'float32', shape: [2], name: 'b' }, { type: 'float32', shape: [2], name: 'out' }],
    inputs: [0, 1], outputs: [2], operators: [{ op: 'ADD', inputs: [0, 1], outputs: [2] }],
  }],
});
const LONG_NAME = 'n'.repeat(900 * 1024);
const NAME_200 = 'é€😀x'.repeat(18) + 'y'.repeat(20); // 200 bytes of UTF-8: 2-, 3- and 4-byte characters

test('breach 5: names are bounded before they are decoded; a 900 KB name is refused at once', () => {
  const started = Date.now();
  const error = rejects(namedModel(LONG_NAME), new RegExp(`subgraph 0 tensor 0\\.name: string of ${LONG_NAME.length} bytes, over the limit of ${MAX_NAME_BYTES}$`));
  assert.ok(Date.now() - started < 1000, `${Date.now() - started} ms`);
  assert.ok(error.message.length < 200);
  assert.equal(new TextEncoder().encode(NAME_200).length, 200);
  assert.equal(readModel(namedModel(NAME_200)).subgraphs[0].tensors[0].name, NAME_200);
  const atLimit = 'z'.repeat(MAX_NAME_BYTES);
  assert.equal(readModel(namedModel(atLimit)).subgraphs[0].tensors[0].name, atLimit);
  rejects(namedModel(atLimit + 'z'), /over the limit of 4096/);
  // Custom op names and the description are bounded the same way.
  rejects(writeModel({ subgraphs: [{ tensors: [{ type: 'float32', shape: [1] }, { type: 'float32', shape: [1] }], inputs: [0], outputs: [1],
    operators: [{ op: { custom: 'C'.repeat(5000) }, inputs: [0], outputs: [1] }] }] }), /operator code 0\.custom_code: string of 5000 bytes/);
  rejects(namedModel('a', 'd'.repeat(70000)), /model\.description: string of 70000 bytes, over the limit of 65536/);
  assert.equal(readModel(namedModel('a', '∑'.repeat(20000))).description, '∑'.repeat(20000));
});

test('breach 5: error messages quote at most 100 characters of a name', () => {
  const name = 'q'.repeat(4000);
  const error = rejects(addModel({ buffers: [null, new Uint8Array(8)], inputs: [0],
    tensors: [{ shape: [2, 2] }, { shape: [2, 2], buffer: 1, name }, { shape: [2, 2] }] }), /tensor 1 "q{100}…": buffer 1 holds 8 bytes/);
  assert.ok(error.message.length < 200, error.message);
  const cycle = addModel({ tensors: [{ shape: [2] }, { shape: [2] }, { shape: [2] }, { shape: [2], name }],
    inputs: [0, 1], outputs: [2], operators: [{ inputs: [0, 3], outputs: [2] }, { inputs: [2, 1], outputs: [3] }] });
  assert.ok(rejects(cycle, /reads tensor 3 "q{100}…" before/).message.length < 250);
});

test('breach 5: the chunked UTF-8 decoder agrees with TextDecoder on valid text, and gives U+FFFD for bad bytes', () => {
  for (const s of ['', 'a', NAME_200, 'é'.repeat(2000), '😀'.repeat(1000) + 'x', 'abc'.repeat(1365), '€'.repeat(1365)]) {
    assert.ok(new TextEncoder().encode(s).length <= MAX_NAME_BYTES);
    assert.equal(readModel(namedModel(s)).subgraphs[0].tensors[0].name, s);
  }
  const bytes = namedModel('<ABCD>');
  const at = bytes.findIndex((v, i) => v === 0x3c && bytes[i + 5] === 0x3e);
  bytes.set([0x61, 0xff, 0xe2, 0x82], at + 1); // 'a', a byte no UTF-8 starts with, a 3-byte sequence cut short (one U+FFFD each, as TextDecoder gives)
  assert.equal(readModel(bytes).subgraphs[0].tensors[0].name, '<a\ufffd\ufffd>');
});

test('breach 8: an operator that writes its own input, or a graph input, is refused as a cycle', () => {
  // A 1x1 CONV_2D swapping two channels in place would return [a, a, b, b, ...].
  const inPlace = writeModel({ subgraphs: [{
    tensors: [{ type: 'float32', shape: [1, 2, 2, 2], name: 'x' }, { type: 'float32', shape: [2, 1, 1, 2], data: [0, 1, 1, 0], name: 'swap' },
      { type: 'float32', shape: [2], data: [0, 0], name: 'bias' }],
    inputs: [0], outputs: [0],
    operators: [{ op: 'CONV_2D', inputs: [0, 1, 2], outputs: [0], options: { padding: 'VALID', strideW: 1, strideH: 1 } }],
  }] });
  rejects(inPlace, /CONV_2D \(subgraph 0 operator 0\) writes tensor 0 "x", which is also its input 0 \(a cycle\)/);
  // Written by a later operator while an earlier one read it: graph inputs are the caller's.
  rejects(addModel({ tensors: [{ shape: [2] }, { shape: [2], name: 'b' }, { shape: [2] }],
    operators: [{ inputs: [0, 1], outputs: [2] }, { inputs: [2, 2], outputs: [1] }] }),
  /ADD \(subgraph 0 operator 1\) writes tensor 1 "b", which is an input of the subgraph \(a cycle\)/);
  // A variable read and written by the same operator is refused too; one read and written by different ones is not an error here.
  rejects(addModel({ tensors: [{ shape: [2] }, { shape: [2], isVariable: true, name: 'v' }, { shape: [2] }], inputs: [0],
    operators: [{ inputs: [0, 1], outputs: [1] }] }), /writes tensor 1 "v", which is also its input 1 \(a cycle\)/);
});

test('breach 7: a parsed model is branded; look-alike objects are not models', () => {
  const model = readModel(addModel());
  assert.equal(isModel(model), true);
  assert.deepEqual(Object.keys(model).sort(), ['buffers', 'bytes', 'description', 'metadata', 'operatorCodes', 'reader', 'subgraphs', 'version']);
  for (const fake of [null, undefined, 3, 'model', {}, { subgraphs: [], reader: {} }, { ...model }, Object.create(Object.getPrototypeOf(model)),
    Object.assign(Object.create(Object.getPrototypeOf(model)), model), new Proxy(model, {})]) {
    assert.equal(isModel(fake), false, String(fake));
  }
});

test('breaches 1, 5, 7 and 8 inside XS: refused fast with the same named errors; long text decodes in linear time', async () => {
  const engine = await XsEngine.start({ harden: true });
  try {
    const refuse = async (bytes, pattern, ms) => {
      const started = Date.now();
      await assert.rejects(engine.load(bytes), error => error.name === 'ModelError' && pattern.test(error.message));
      assert.ok(Date.now() - started < ms, `${Date.now() - started} ms`);
    };
    for (const bytes of Object.values(emptyWideModels())) await refuse(bytes, /shape \[1, 1048576, 1048576, 0\] makes \d+ bytes \(counting its dimensions other than 0\)/, 1000);
    for (const bytes of Object.values(emptyWideModels([1, 1024, 1024, 0]))) await refuse(bytes, /holds no elements/, 1000);
    await refuse(namedModel(LONG_NAME), /tensor 0\.name: string of 921600 bytes, over the limit of 4096$/, 1000);
    const loaded = await engine.load(namedModel(NAME_200));
    assert.equal(loaded.inputs[0].name, NAME_200);
    // Half-limit multibyte names in 500 tensors: 1 MB of text, decoded right (the time bound is loose: the machine is shared).
    const names = Array.from({ length: 500 }, (_, i) => `${i}`.padEnd(MAX_NAME_BYTES, 'é').slice(0, MAX_NAME_BYTES / 2));
    const many = writeModel({ subgraphs: [{
      tensors: names.map(name => ({ type: 'float32', shape: [1], name })), inputs: names.map((_, i) => i), outputs: [0], operators: [],
    }] });
    const started = Date.now();
    const wide = await engine.load(many);
    assert.ok(Date.now() - started < 10000, `${many.length} bytes of names took ${Date.now() - started} ms`);
    assert.equal(wide.inputs[499].name, names[499]);
    await refuse(writeModel({ subgraphs: [{
      tensors: [{ type: 'float32', shape: [1, 2, 2, 2], name: 'x' }, { type: 'float32', shape: [2, 1, 1, 2], data: [0, 1, 1, 0] }, { type: 'float32', shape: [2], data: [0, 0] }],
      inputs: [0], outputs: [0], operators: [{ op: 'CONV_2D', inputs: [0, 1, 2], outputs: [0], options: { padding: 'VALID', strideW: 1, strideH: 1 } }],
    }] }), /writes tensor 0 "x", which is also its input 0 \(a cycle\)/, 2000);
    // The brand holds inside XS, under harden(), where `#brand in value` is native.
    const bytes = JSON.stringify(Array.from(addModel()));
    await assert.doesNotReject(engine.evaluate(`{
      const model = tflite.readModel(new Uint8Array(${bytes}));
      const fakes = [{}, { subgraphs: model.subgraphs, reader: model.reader }, Object.assign(Object.create(Object.getPrototypeOf(model)), model), null];
      if (!tflite.isModel(model)) throw Error('isModel(model) is false');
      for (const fake of fakes) if (tflite.isModel(fake)) throw Error('a look-alike passed isModel');
    }`));
  } finally {
    await engine.close();
  }
});

test('per-channel scales are read in place (a view of the file, no copy) and zero points as int32', async () => {
  const { writeModel } = await import('./lib/host.mjs');
  const scales = [0.5, 0.25, 0.125];
  const bytes = writeModel({ subgraphs: [{
    tensors: [
      { type: 'int8', shape: [3, 1, 1, 2], data: [1, 2, 3, 4, 5, 6], scale: scales, zeroPoint: [0, 0, 0], quantizedDimension: 0 },
      { type: 'int8', shape: [1, 2], scale: 1, zeroPoint: -3 },
    ],
    inputs: [1], outputs: [1], operators: [],
  }] });
  const [weights, io] = readModel(bytes).subgraphs[0].tensors;
  assert.deepEqual(Array.from(weights.quantization.scale), scales);
  assert.equal(weights.quantization.scale.buffer, bytes.buffer, 'a view over the model bytes');
  assert.ok(weights.quantization.zeroPoint instanceof Int32Array);
  assert.deepEqual(Array.from(weights.quantization.zeroPoint), [0, 0, 0]);
  assert.deepEqual(Array.from(io.quantization.zeroPoint), [-3]);
  // Misaligned (the file one byte into its buffer): a copy with the same values.
  const shifted = new Uint8Array(bytes.length + 1).subarray(1);
  shifted.set(bytes);
  const copied = readModel(shifted).subgraphs[0].tensors[0].quantization.scale;
  assert.deepEqual(Array.from(copied), scales);
  assert.notEqual(copied.buffer, shifted.buffer);
});
