// The greedy memory planner: buffers alive at the same time never share bytes, the plan is no
// larger than the buffers laid end to end and no smaller than the busiest moment, every offset
// is aligned. Checked on random lifetimes and sizes, and on the real models' plans.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { noCases } from './lib/cases.mjs';
import { planMemory, ARENA_ALIGNMENT, Interpreter, OpResolver, readModel } from './lib/tflite.mjs';

const CASES = fileURLToPath(new URL('../../shared/fixtures/cases', import.meta.url));
const alignUp = n => Math.ceil(n / ARENA_ALIGNMENT) * ARENA_ALIGNMENT;

/** mulberry32: the same random plans on every run. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const overlapsInTime = (a, b) => a.first <= b.last && b.first <= a.last;

/** Every property a plan must have; returns the peak live bytes, a lower bound on its size. */
function checkPlan(requests, plan, label) {
  assert.equal(plan.offsets.length, requests.length, label);
  let sum = 0;
  for (let i = 0; i < requests.length; i++) {
    const r = requests[i], offset = plan.offsets[i];
    sum += alignUp(r.size);
    assert.ok(Number.isInteger(offset) && offset >= 0, `${label}: offset ${offset}`);
    assert.equal(offset % ARENA_ALIGNMENT, 0, `${label}: buffer ${i} at ${offset} is not ${ARENA_ALIGNMENT}-aligned`);
    if (r.size > 0) assert.ok(offset + r.size <= plan.size, `${label}: buffer ${i} [${offset}, ${offset + r.size}) is past the plan's ${plan.size} bytes`);
    for (let j = 0; j < i; j++) {
      const s = requests[j];
      if (r.size === 0 || s.size === 0 || !overlapsInTime(r, s)) continue;
      const a = plan.offsets[j];
      assert.ok(offset + r.size <= a || a + s.size <= offset,
        `${label}: buffers ${j} [${a}, ${a + s.size}) and ${i} [${offset}, ${offset + r.size}) are both alive at ${Math.max(r.first, s.first)}..${Math.min(r.last, s.last)} and share bytes`);
    }
  }
  assert.ok(plan.size <= sum, `${label}: plan of ${plan.size} bytes is larger than all buffers end to end (${sum})`);
  assert.equal(plan.size % ARENA_ALIGNMENT, 0, `${label}: plan size ${plan.size}`);
  let peak = 0;
  const end = Math.max(0, ...requests.map(r => r.last));
  for (let t = 0; t <= end; t++) {
    let live = 0;
    for (const r of requests) if (r.first <= t && t <= r.last) live += r.size;
    peak = Math.max(peak, live);
  }
  assert.ok(plan.size >= peak, `${label}: plan of ${plan.size} bytes holds less than the ${peak} bytes alive at once`);
  return peak;
}

test('random lifetimes and sizes: no two live buffers share bytes, size between peak and sum, aligned', () => {
  const next = random(20261125);
  const below = n => Math.floor(next() * n);
  for (let round = 0; round < 400; round++) {
    const count = 1 + below(round < 300 ? 24 : 120);
    const ops = 1 + below(30);
    const requests = [];
    for (let i = 0; i < count; i++) {
      const first = below(ops);
      const last = first + below(ops - first);
      // Sizes of every kind: empty, odd, aligned, large.
      const size = [0, 1 + below(15), 16 * below(64), below(5000), 1 + below(1 << 20)][below(5)];
      requests.push({ size, first, last });
    }
    const plan = planMemory(requests);
    checkPlan(requests, plan, `round ${round}`);
    assert.deepEqual(planMemory(requests), plan, `round ${round}: the same requests planned twice differ`);
  }
});

test('edge plans', () => {
  assert.deepEqual(planMemory([]), { offsets: [], size: 0 });
  assert.equal(planMemory([{ size: 0, first: 0, last: 0 }]).size, 0);
  assert.equal(planMemory([{ size: 1, first: 0, last: 0 }]).size, ARENA_ALIGNMENT);
  // A chain a -> b -> c -> d: only neighbours are alive together, so two slots are enough.
  const chain = [100, 200, 300, 400].map((size, i) => ({ size, first: i, last: i + 1 }));
  const chainPlan = planMemory(chain);
  checkPlan(chain, chainPlan, 'chain');
  assert.equal(chainPlan.size, alignUp(400) + alignUp(300));
  // Everything alive at once: the plan is the buffers end to end.
  const together = [48, 17, 1000, 5].map(size => ({ size, first: 0, last: 3 }));
  assert.equal(planMemory(together).size, together.reduce((s, r) => s + alignUp(r.size), 0));
  // Disjoint lifetimes: the largest alone.
  const apart = [48, 17, 1000, 5].map((size, i) => ({ size, first: i, last: i }));
  assert.equal(planMemory(apart).size, alignUp(1000));
});

/** A kernel for every builtin code that accepts anything: the plan of any model, kernels or not. */
function anythingResolver() {
  const resolver = new OpResolver();
  for (let code = 0; code < 220; code++) {
    if (code !== 32) resolver.add({ code, name: `op${code}`, types: [], prepare() {}, eval() {} });
  }
  return resolver;
}

test('the interpreter\'s plans of the golden models keep live tensors apart', { skip: noCases }, () => {
  const seen = new Set();
  let models = 0;
  for (const name of fs.readdirSync(CASES).sort()) {
    const bytes = new Uint8Array(fs.readFileSync(path.join(CASES, name, 'model.tflite')));
    const key = `${bytes.length}:${bytes[bytes.length >> 1]}:${bytes[bytes.length >> 2]}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const model = readModel(bytes);
    if (model.subgraphs[0].operators.some(op => op.builtinCode === 32)) continue;
    const interpreter = new Interpreter(model, { resolver: anythingResolver() }).allocateTensors();
    const sg = model.subgraphs[0];
    const first = new Map(), last = new Map();
    const touch = (k, at) => {
      if (k < 0) return;
      first.set(k, Math.min(first.get(k) ?? at, at));
      last.set(k, Math.max(last.get(k) ?? at, at));
    };
    for (const k of sg.inputs) touch(k, 0);
    sg.operators.forEach((op, at) => { for (const k of [...op.inputs, ...op.outputs, ...op.intermediates]) touch(k, at); });
    for (const k of sg.outputs) touch(k, Math.max(0, sg.operators.length - 1));
    const arena = interpreter.arenaBuffer;
    const placed = [];
    for (const [k, f] of first) {
      const t = interpreter.tensor(k);
      if (t.isConstant || t.isVariable || t.byteLength === 0) continue;
      assert.equal(t.bytes.buffer, arena, `${name}: tensor ${k} is not in the arena`);
      assert.equal(t.bytes.byteOffset % ARENA_ALIGNMENT, 0, `${name}: tensor ${k} at ${t.bytes.byteOffset}`);
      assert.ok(t.bytes.byteOffset + t.byteLength <= interpreter.plannedArenaBytes, `${name}: tensor ${k} lies past the planned bytes`);
      placed.push({ k, size: t.byteLength, offset: t.bytes.byteOffset, first: f, last: last.get(k) });
    }
    const plan = { offsets: placed.map(p => p.offset), size: interpreter.plannedArenaBytes };
    checkPlan(placed, plan, name);
    assert.ok(interpreter.arenaBytes >= interpreter.plannedArenaBytes);
    models++;
  }
  assert.ok(models >= 10, `only ${models} distinct models planned`);
});
