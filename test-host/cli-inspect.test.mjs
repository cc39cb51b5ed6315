// `tflite-xs inspect`: the arena plan (where each tensor lives and when, op by op, the peak) and
// the RAM figure (arena + 16 B × XS slots, as `npm run bench`), in text and JSON.
import test from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { Interpreter, readModel } from './lib/tflite.mjs';
import { allOps } from './lib/kernels-all.mjs';
import { XsEngine } from './lib/host.mjs';
import { casesDir, haveCases, bytesOf } from './lib/cases.mjs';
import { cli } from './lib/cli.mjs';

const skip = !haveCases && 'no shared fixtures';
const modelOf = name => path.join(casesDir, name, 'model.tflite');
const aligned = n => Math.ceil(n / 16) * 16;

/** Checks a plan against the model it describes, from the buffers alone. */
function checkPlan(name, plan, model) {
  const g = plan.graphs[0], ops = model.subgraphs[0].operators;
  assert.equal(g.operators.length, ops.length, name);
  const buffers = g.buffers.filter(b => b.bytes > 0);
  for (const b of g.buffers) {
    assert.equal(typeof b.type, 'string', `${name}: type names, not codes`);
    if (b.tensor >= 0) {
      const info = model.subgraphs[0].tensors[b.tensor];
      assert.equal(b.bytes, info.byteLength, `${name} tensor ${b.tensor}`);
      assert.equal(b.name, info.name);
    }
    assert.ok(b.offset >= g.headOffset && b.offset + b.bytes <= g.headOffset + g.headBytes, `${name}: inside the head`);
    assert.ok(b.first >= 0 && b.first <= b.last && b.last < ops.length, `${name}: lifetime ${b.first}..${b.last}`);
  }
  // Buffers alive at the same time never share bytes.
  for (let i = 0; i < buffers.length; i++) {
    for (let j = i + 1; j < buffers.length; j++) {
      const a = buffers[i], b = buffers[j];
      if (a.first <= b.last && b.first <= a.last) {
        assert.ok(a.offset + a.bytes <= b.offset || b.offset + b.bytes <= a.offset, `${name}: ${JSON.stringify(a)} overlaps ${JSON.stringify(b)}`);
      }
    }
  }
  // Op by op: the tensors whose lifetimes cover it, and their aligned bytes plus its scratch.
  for (const o of g.operators) {
    const live = buffers.filter(b => b.first <= o.index && o.index <= b.last);
    assert.deepEqual(o.tensors, g.buffers.filter(b => b.tensor >= 0 && b.first <= o.index && o.index <= b.last).map(b => b.tensor), `${name} op ${o.index}`);
    assert.equal(o.bytes, live.reduce((s, b) => s + aligned(b.bytes), 0), `${name} op ${o.index}`);
    assert.equal(o.op, ops[o.index].opName);
  }
  const most = Math.max(...g.operators.map(o => o.bytes));
  assert.equal(g.peak.bytes, most, name);
  assert.equal(g.operators[g.peak.index].bytes, most);
  assert.ok(g.peak.bytes <= g.headBytes, name);
  assert.equal(plan.headBytes + plan.tailBytes, plan.arenaBytes);
}

test('inspect --json: the arena plan and the RAM figure measured in XS', { skip }, async () => {
  for (const name of ['micro_speech_random_0', 'hello_world_int8_0']) {
    const file = modelOf(name), bytes = bytesOf(file);
    const r = cli('inspect', file, '--json');
    assert.equal(r.status, 0, r.stderr);
    const s = JSON.parse(r.stdout);
    const it = new Interpreter(bytes, { resolver: allOps() }).allocateTensors();
    assert.equal(s.plan.arenaBytes, it.arenaBytes);
    assert.equal(s.plan.headBytes, it.plannedArenaBytes);
    checkPlan(name, s.plan, readModel(bytes));
    // On these models the planner packs the peak operator's buffers exactly: the peak is the head.
    assert.equal(s.plan.graphs[0].peak.bytes, s.plan.headBytes, name);
    assert.equal(s.ram.source, 'xs');
    assert.equal(s.ram.arenaBytes, it.arenaBytes);
    assert.ok(s.ram.slots > 50, `${name}: ${s.ram.slots} slots`);
    assert.equal(s.ram.ramBytes, s.ram.arenaBytes + 16 * s.ram.slots);
    assert.doesNotMatch(r.stdout, /"type":\d/);
  }
  // The slots are the bench's: held after a collection, by a loaded model, beyond what the engine held.
  const bytes = bytesOf(modelOf('micro_speech_random_0'));
  const engine = await XsEngine.start();
  try {
    await engine.load(bytes);
    await engine.unload();
    const before = await engine.gc();
    await engine.load(bytes);
    const slots = (await engine.gc()) - before;
    assert.equal(JSON.parse(cli('inspect', modelOf('micro_speech_random_0'), '--json').stdout).ram.slots, slots);
  } finally {
    await engine.close();
  }
});

test('inspect: a model whose head is larger than its peak says so; --no-xs shows only the arena part', { skip }, () => {
  const name = 'mlperf_vww_int8_0', file = modelOf(name);
  const s = JSON.parse(cli('inspect', file, '--json', '--no-xs').stdout);
  checkPlan(name, s.plan, readModel(bytesOf(file)));
  const g = s.plan.graphs[0];
  assert.ok(g.peak.bytes < g.headBytes);
  assert.deepEqual(s.ram, { arenaBytes: s.plan.arenaBytes, slots: null, ramBytes: null, source: 'not measured: --no-xs' });
  const text = cli('inspect', file, '--no-xs').stdout;
  const group = n => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
  assert.match(text, new RegExp(`^  peak: op ${g.peak.index} ${g.peak.op}, ${group(g.peak.bytes)} bytes in use \\(tensors [\\d, ]+.*\\); the head is ${group(g.headBytes)}: ${group(g.headBytes - g.peak.bytes)} lost to the planner's placement$`, 'm'));
  assert.match(text, new RegExp(`^RAM: arena ${group(s.plan.arenaBytes)} bytes \\+ 16 B per XS slot the model holds \\(slots not measured: --no-xs\\)$`, 'm'));
  assert.doesNotMatch(text, /arena plan/, 'the op-by-op table only with --plan');
});

test('inspect --plan: every planned tensor and every operator, the peak marked', { skip }, () => {
  const file = modelOf('micro_speech_random_0');
  const s = JSON.parse(cli('inspect', file, '--json', '--no-xs').stdout);
  const r = cli('inspect', file, '--plan');
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.split('\n');
  const g = s.plan.graphs[0];
  assert.ok(lines.includes(`arena plan, subgraph 0: head ${String(g.headBytes).replace(/\B(?=(\d{3})+(?!\d))/g, ' ')} bytes at 0`), r.stdout);
  for (const b of g.buffers) {
    const ops = b.first === b.last ? String(b.first) : `${b.first}..${b.last}`;
    assert.ok(lines.some(l => l.trim().split(/\s+/).slice(0, 5).join(' ') === `${b.tensor < 0 ? '-' : b.tensor} ${b.type} ${b.bytes} ${b.offset} ${ops}`), `row of ${JSON.stringify(b)}`);
  }
  for (const o of g.operators) {
    const row = lines.find(l => new RegExp(`^\\s+${o.index}\\s+${o.op}\\s+${o.bytes}\\s+${o.tensors.join(', ')}\\b`).test(l));
    assert.ok(row, `op ${o.index}`);
    assert.equal(row.endsWith('<- peak'), o.index === g.peak.index);
  }
  assert.match(r.stdout, /^RAM: [\d ]+ bytes held by the loaded model = arena [\d ]+ \+ 16 x [\d ]+ XS slots \(measured in XS/m);
  assert.match(cli('inspect', '--help').stdout, /--plan/);
});
