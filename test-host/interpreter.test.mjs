// The interpreter's API contract: exact arena sizing, clear errors for misuse, and an interpreter
// that stays usable after each of them.
import test from 'node:test';
import assert from 'node:assert/strict';
import { Interpreter, OpResolver, ArenaError, UsageError, OpError, ModelError, readModel } from './lib/tflite.mjs';
import { allOps } from './lib/kernels-all.mjs';
import { noCases, loadCases, worstDifference } from './lib/cases.mjs';

const skip = noCases;
const [sineInt8] = loadCases('hello_world_int8_0');
const [sineFloat] = loadCases('hello_world_float_0');

test('the arena is exactly what the plan needs, and a smaller one is refused with the figure', { skip }, () => {
  const exact = new Interpreter(sineInt8.model, { resolver: allOps() }).allocateTensors();
  const needed = exact.arenaBytes;
  assert.ok(needed > 0 && needed % 16 === 0);
  assert.equal(exact.arenaBuffer.byteLength, needed);
  assert.throws(() => new Interpreter(sineInt8.model, { resolver: allOps(), arenaSize: needed - 1 }).allocateTensors(),
    e => e instanceof ArenaError && e.bytesNeeded === needed && e.message.includes(`${needed} bytes`));
  const arena = new ArrayBuffer(needed + 64);
  const given = new Interpreter(sineInt8.model, { resolver: allOps(), arena }).allocateTensors();
  assert.equal(given.arenaBuffer, arena);
  given.setInput(0, new Int8Array(sineInt8.inputs[0].buffer));
  given.invoke();
  assert.equal(worstDifference('int8', given.output(0).bytes, sineInt8.outputs[0].bytes), 0);
});

test('misuse raises UsageError and leaves the interpreter usable', { skip }, () => {
  const interpreter = new Interpreter(sineInt8.model, { resolver: allOps() });
  assert.throws(() => interpreter.invoke(), e => e instanceof UsageError && /before allocateTensors/.test(e.message));
  assert.throws(() => interpreter.input(0), UsageError);
  interpreter.allocateTensors();
  assert.throws(() => interpreter.input(1), e => e instanceof UsageError && /input 1 does not exist.*1 input/.test(e.message));
  assert.throws(() => interpreter.output(-1), UsageError);
  assert.throws(() => interpreter.setInput(0, new Float32Array(1)), e => e instanceof UsageError && /Int8Array.*Float32Array/.test(e.message));
  assert.throws(() => interpreter.setInput(0, new Int8Array(2)), e => e instanceof UsageError && /1 elements, got 2/.test(e.message));
  assert.throws(() => interpreter.setInput(0, new Uint8Array(3)), e => e instanceof UsageError && /1 bytes, got 3/.test(e.message));
  assert.throws(() => interpreter.input(0).quantize([1, 2]), UsageError);
  interpreter.setInput(0, new Int8Array(sineInt8.inputs[0].buffer));
  interpreter.invoke();
  assert.equal(worstDifference('int8', interpreter.output(0).bytes, sineInt8.outputs[0].bytes), 0);
});

test('quantize() and dequantize() use the tensor scale and zero point', { skip }, () => {
  const interpreter = new Interpreter(sineInt8.model, { resolver: allOps() }).allocateTensors();
  const input = interpreter.input(0);
  assert.equal(input.type, 9);
  input.quantize([1.5]);
  const expected = Math.max(-128, Math.min(127, Math.round(1.5 / input.scale) + input.zeroPoint));
  assert.equal(input.data[0], expected);
  assert.ok(Math.abs(input.dequantize()[0] - 1.5) <= input.scale / 2 + 1e-7);
  input.quantize([Infinity]);
  assert.equal(input.data[0], 127);
  input.quantize([-Infinity]);
  assert.equal(input.data[0], -128);
  input.quantize([NaN]);
  assert.equal(input.data[0], input.zeroPoint);
});

test('NaN and infinities pass through a float model as IEEE arithmetic makes them', { skip }, () => {
  const interpreter = new Interpreter(sineFloat.model, { resolver: allOps() }).allocateTensors();
  interpreter.setInput(0, new Float32Array([NaN]));
  interpreter.invoke();
  assert.ok(Number.isNaN(interpreter.output(0).data[0]));
  interpreter.setInput(0, new Float32Array(sineFloat.inputs[0].buffer));
  interpreter.invoke();
  assert.ok(worstDifference('float32', interpreter.output(0).bytes, sineFloat.outputs[0].bytes) <= sineFloat.outputs[0].tolerance);
});

test('an op with no kernel fails at allocateTensors with its name and index', { skip }, () => {
  const interpreter = new Interpreter(sineInt8.model, { resolver: new OpResolver() });
  assert.throws(() => interpreter.allocateTensors(), e => e instanceof OpError && e.opName === 'FULLY_CONNECTED' && e.opIndex === 0 && /no kernel/.test(e.message));
  assert.throws(() => interpreter.invoke(), UsageError);
});

test('the model bytes are never written', { skip }, () => {
  for (const c of loadCases('')) {
    const copy = c.model.slice();
    const interpreter = new Interpreter(c.model, { resolver: allOps() }).allocateTensors();
    for (let i = 0; i < c.inputs.length; i++) interpreter.input(i).bytes.set(c.inputs[i].subarray(0, interpreter.input(i).byteLength));
    interpreter.invoke();
    assert.deepEqual(c.model, copy, c.name);
  }
});

test('garbage is a ModelError, not a crash', () => {
  assert.throws(() => readModel(new Uint8Array(3)), ModelError);
  assert.throws(() => new Interpreter(new Uint8Array(64), { resolver: allOps() }), ModelError);
  assert.throws(() => new Interpreter(new Uint8Array(64)), UsageError);
});

test('every kernel of allOps is exported under its operator name by "tflite-xs/kernels", and "tflite-xs" exports none (on the device, not even allOps)', async () => {
  const lib = await import('./lib/kernels.mjs');
  const core = await import('./lib/tflite.mjs');
  const { ALL_KERNELS } = await import('./lib/kernels-all.mjs');
  for (const kernel of ALL_KERNELS) {
    assert.equal(lib[kernel.name], kernel, kernel.name);
    assert.equal(core[kernel.name], undefined, `${kernel.name} is not in the core`);
  }
  // Node's "tflite-xs" adds allOps for host tools; the device's (src/index.ts) imports no kernel.
  assert.equal(typeof core.allOps, 'function');
  const deviceEntry = (await import('node:fs')).readFileSync(new URL('../src/index.ts', import.meta.url), 'utf8');
  assert.doesNotMatch(deviceEntry, /from '\.\/kernels\//);
  const resolver = new OpResolver([lib.FULLY_CONNECTED]);
  assert.equal(resolver.find(9, ''), lib.FULLY_CONNECTED);
  assert.equal(resolver.find(3, ''), undefined);
});
