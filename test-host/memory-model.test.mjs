// The memory model (issue 9) and the interpreter's bounds (issue 10): after allocateTensors()
// everything a model holds is in the arena; the plan is printable; misuse, hostile sizes and
// nesting get named errors on Node and in XS.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { countAllocation } from './lib/alloc-count.mjs';
import { Interpreter, OpResolver, ArenaError, UsageError, TensorType } from './lib/tflite.mjs';
import { allOps } from './lib/kernels-all.mjs';
import { FULLY_CONNECTED } from './lib/kernels.mjs';
import { writeModel } from './lib/host.mjs';
import { tinyFullyConnected } from './lib/tiny-models.mjs';
import { casesDir as CASES_DIR, noCases } from './lib/cases.mjs';

test('allocateTensors() creates no typed array or buffer outside the arena (own model)', () => {
  const interpreter = new Interpreter(tinyFullyConnected(), { resolver: new OpResolver([FULLY_CONNECTED]) });
  const created = countAllocation(interpreter);
  assert.deepEqual(created.map(c => `${c.what} ${c.bytes} B at ${c.stack}`), []);
});

test('allocateTensors() creates no typed array or buffer outside the arena (every golden case)', { skip: noCases }, () => {
  const offenders = [];
  for (const name of fs.readdirSync(CASES_DIR).sort()) {
    const spec = JSON.parse(fs.readFileSync(path.join(CASES_DIR, name, 'case.json'), 'utf8'));
    const bytes = new Uint8Array(fs.readFileSync(path.join(CASES_DIR, name, spec.model)));
    const created = countAllocation(new Interpreter(bytes, { resolver: allOps() }));
    if (created.length) offenders.push(`${name}: ${created.length} (${created.reduce((s, c) => s + c.bytes, 0)} B), first ${created[0].what} at ${created[0].stack}`);
  }
  assert.deepEqual(offenders, []);
});

test('memoryPlan() prints the layout, peak operator included, and agrees with arenaBytes', () => {
  const interpreter = new Interpreter(tinyFullyConnected(), { resolver: allOps() }).allocateTensors();
  const plan = interpreter.memoryPlan();
  assert.match(plan[0], new RegExp(`^arena ${interpreter.arenaBytes} bytes: planned head ${interpreter.plannedArenaBytes}`));
  assert.ok(plan.some(l => /peak: op 0 FULLY_CONNECTED/.test(l)), plan.join('\n'));
  assert.ok(plan.some(l => /tensor +3 int8 .* y$/.test(l)), plan.join('\n'));
});

test('typed accessors, dequantize(into) without allocation, int64 read exactly', () => {
  const interpreter = new Interpreter(tinyFullyConnected(), { resolver: allOps() }).allocateTensors();
  const x = interpreter.input(0);
  assert.ok(x.int8() instanceof Int8Array);
  assert.throws(() => x.float32(), e => e instanceof UsageError && /is int8, not float32/.test(e.message));
  x.quantize([1, 2, 3, 4]);
  interpreter.invoke();
  const into = new Float32Array(3);
  assert.equal(interpreter.output(0).dequantize(into), into);
  assert.deepEqual(Array.from(into), Array.from(interpreter.output(0).dequantize()));
  assert.throws(() => interpreter.output(0).dequantize(new Float32Array(2)), UsageError);
  assert.throws(() => x.quantize(null), e => e instanceof UsageError && /takes an array/.test(e.message));

  const int64 = writeModel({ subgraphs: [{ tensors: [{ type: 'int64', shape: [2] }, { type: 'int64', shape: [2] }], inputs: [0], outputs: [1], operators: [{ op: 'RESHAPE', inputs: [0], outputs: [1], options: { newShape: [2] } }] }] });
  const i64 = new Interpreter(int64, { resolver: allOps() }).allocateTensors();
  i64.setInput(0, new Uint8Array(new BigInt64Array([2n ** 31n, -(2n ** 40n)]).buffer));
  i64.invoke();
  assert.deepEqual(Array.from(i64.output(0).dequantize(new Float64Array(2))), [2 ** 31, -(2 ** 40)]);
});

test('arena options are bounded: arenaSize and maxArenaBytes refuse before allocating, with the bytes needed', () => {
  const model = tinyFullyConnected();
  assert.throws(() => new Interpreter(model, { resolver: allOps(), arenaSize: 2 ** 40 }), e => e instanceof UsageError && /over the interpreter's limit/.test(e.message));
  assert.throws(() => new Interpreter(model, { resolver: allOps(), maxArenaBytes: -1 }), UsageError);
  const needed = new Interpreter(model, { resolver: allOps() }).allocateTensors().arenaBytes;
  assert.throws(() => new Interpreter(model, { resolver: allOps(), maxArenaBytes: needed - 16 }).allocateTensors(),
    e => e instanceof ArenaError && e.bytesNeeded === needed && e.bytesGiven === needed - 16);
  assert.equal(new Interpreter(model, { resolver: allOps(), maxArenaBytes: needed }).allocateTensors().arenaBytes, needed);
  if (typeof ArrayBuffer.prototype.resize === 'function') {
    const resizable = new ArrayBuffer(needed, { maxByteLength: needed * 2 });
    assert.throws(() => new Interpreter(model, { resolver: allOps(), arena: resizable }), e => e instanceof UsageError && /resizable/.test(e.message));
  }
});

test('a detached arena or model after allocation is named at invoke, not NaN', () => {
  if (typeof ArrayBuffer.prototype.transfer !== 'function') return;
  const model = tinyFullyConnected();
  const arena = new ArrayBuffer(4096);
  const interpreter = new Interpreter(model, { resolver: allOps(), arena }).allocateTensors();
  arena.transfer();
  assert.throws(() => interpreter.invoke(), e => e instanceof UsageError && /arena was detached/.test(e.message));
  const bytes = model.slice();
  const other = new Interpreter(bytes, { resolver: allOps() }).allocateTensors();
  bytes.buffer.transfer();
  assert.throws(() => other.invoke(), e => e instanceof UsageError && /model's bytes were detached/.test(e.message));
});

test('allocateTensors() re-entered from a kernel\'s prepare is a UsageError', () => {
  const model = tinyFullyConnected();
  let interpreter;
  const reentrant = { ...FULLY_CONNECTED, prepare(ctx, node) { interpreter.allocateTensors(); return FULLY_CONNECTED.prepare(ctx, node); } };
  interpreter = new Interpreter(model, { resolver: new OpResolver([reentrant]) });
  assert.throws(() => interpreter.allocateTensors(), e => e instanceof UsageError && /called again while it runs/.test(e.message));
});

test('the sizing run hands kernels writable zero-length views, never the shared frozen ones (XS refuses any write into those: "read-only buffer")', () => {
  // Kernels fill what they asked for in both runs (depthwise-data.ts writes its shifts); in the
  // sizing run that is a no-op on a zero-length view, but XS throws on a write into a read-only
  // buffer even out of range, and the shared empty views are frozen (and in flash when
  // preloaded): person_detection failed so in the Moddable simulator.
  const seen = [];
  const probing = { ...FULLY_CONNECTED, prepare(ctx, node) {
    const view = ctx.persistent(TensorType.INT8, 8);
    const scratch = ctx.scratch(TensorType.INT32, 4);
    seen.push({ sizing: ctx.sizing, views: [view, scratch, node.outputs[0].data] });
    return FULLY_CONNECTED.prepare(ctx, node);
  } };
  new Interpreter(tinyFullyConnected(), { resolver: new OpResolver([probing]) }).allocateTensors();
  const sizing = seen.filter(s => s.sizing);
  assert.equal(sizing.length, 1);
  for (const view of sizing[0].views) {
    assert.equal(view.length, 0);
    assert.equal(Object.isFrozen(view), false, `${view.constructor.name} is not frozen`);
    assert.equal(Object.isFrozen(view.buffer), false);
  }
  assert.equal(seen.filter(s => !s.sizing)[0].views[0].length, 8);
});

test('a constant graph input cannot be written through the API, and the model keeps its bytes', () => {
  const model = writeModel({
    subgraphs: [{
      tensors: [
        { name: 'k', type: 'int8', shape: [1, 4], data: [1, 2, 3, 4], scale: 0.5, zeroPoint: 0 },
        { name: 'w', type: 'int8', shape: [2, 4], data: [1, 1, 1, 1, 2, 2, 2, 2], scale: 1, zeroPoint: 0 },
        { name: 'y', type: 'int8', shape: [1, 2], scale: 1, zeroPoint: 0 },
      ],
      inputs: [0], outputs: [2],
      operators: [{ op: 'FULLY_CONNECTED', inputs: [0, 1, -1], outputs: [2] }],
    }],
  });
  const before = model.slice();
  const interpreter = new Interpreter(model, { resolver: allOps() }).allocateTensors();
  assert.equal(interpreter.input(0).isConstant, true);
  assert.throws(() => interpreter.input(0).quantize([9, 9, 9, 9]), e => e instanceof UsageError && /constant/.test(e.message));
  assert.throws(() => interpreter.setInput(0, new Int8Array(4)), e => e instanceof UsageError && /constant/.test(e.message));
  interpreter.invoke();
  assert.deepEqual(model, before);
});

test('TensorType is a real, frozen runtime object whose codes match the tensors\' types', () => {
  assert.equal(TensorType.INT8, 9);
  assert.equal(TensorType.FLOAT32, 0);
  assert.ok(Object.isFrozen(TensorType));
  const interpreter = new Interpreter(tinyFullyConnected(), { resolver: allOps() }).allocateTensors();
  assert.equal(interpreter.input(0).type, TensorType.INT8);
});
