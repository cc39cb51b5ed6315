// Fuzzing as part of `npm test`: a few thousand mutants of the golden models on Node and a few
// hundred inside XS, each through load -> allocate -> invoke with a time bound. Every case must
// end cleanly or in a named error; a kernel's unexpected exception (an OpError "failed in
// prepare/eval"), any other exception, or a hang fails the test and writes the mutant to
// fuzz-failures/ (replay: `node dist/dev/fuzz.js --replay FILE`). The mutants found so far
// live in test-host/regressions/ and are replayed here. FUZZ_SEED=n picks another seed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runFuzz, formatReport, runCase, makeCase, loadCorpus, FAILURES, FAMILIES, probeOutcome, runProbeCase } from './lib/fuzz.mjs';
import { OpResolver } from './lib/tflite.mjs';
import { runSoak } from './lib/soak.mjs';
import { noCases } from './lib/cases.mjs';
import { tinyFullyConnectedFloat } from './lib/tiny-models.mjs';

const SEED = Number(process.env.FUZZ_SEED ?? 20261125);
const CASES = fileURLToPath(new URL('../../shared/fixtures/cases', import.meta.url));
const REGRESSIONS = fileURLToPath(new URL('./regressions', import.meta.url));
const failures = report => FAILURES.reduce((n, outcome) => n + report.counts[outcome], 0);

test(`3000 mutants on Node (seed ${SEED}): no crash, no hang, no unvalidated kernel`, { skip: noCases }, async () => {
  // The hostile families are tested below: some of them find breaches of the interpreter still open.
  const report = await runFuzz({ cases: 3000, seed: SEED, engine: 'node', jobs: 2, outDir: 'fuzz-failures', source: 'classic' });
  assert.equal(report.cases, 3000);
  // The mutants must reach past the reader, or the kernels go untested.
  assert.ok(report.counts.clean >= 150, `only ${report.counts.clean} mutants ran to the end:\n${formatReport(report)}`);
  assert.equal(failures(report), 0, formatReport(report));
});

test(`300 mutants inside XS (seed ${SEED}): no crash, no hang, no unvalidated kernel`, { skip: noCases }, async () => {
  const report = await runFuzz({ cases: 300, seed: SEED, engine: 'xs', outDir: 'fuzz-failures', source: 'classic' });
  assert.equal(report.cases, 300);
  assert.ok(report.counts.clean >= 15, `only ${report.counts.clean} mutants ran to the end:\n${formatReport(report)}`);
  assert.equal(failures(report), 0, formatReport(report));
});

test('regressions: every mutant the fuzzer once failed on now ends cleanly or in a named error', t => {
  const files = fs.existsSync(REGRESSIONS) ? fs.readdirSync(REGRESSIONS).filter(f => f.endsWith('.tflite')).sort() : [];
  if (!files.length) return t.skip('no regression files yet');
  for (const file of files) {
    const result = runCase(new Uint8Array(fs.readFileSync(path.join(REGRESSIONS, file))));
    assert.ok(!FAILURES.includes(result.outcome), `${file}: ${result.outcome} at ${result.phase}: ${result.error}\n${result.stack ?? ''}`);
  }
});

test('a case is a pure function of seed and number', { skip: noCases }, () => {
  const corpus = loadCorpus(CASES);
  assert.ok(corpus.length >= 20, `${corpus.length} distinct models`);
  let changed = 0;
  for (let i = 0; i < 200; i++) {
    const a = makeCase(corpus, SEED, i), b = makeCase(corpus, SEED, i);
    assert.deepEqual(a.bytes, b.bytes, `case ${i}`);
    assert.deepEqual(a.steps, b.steps);
    const original = corpus.find(m => m.name === a.name)?.bytes;
    if (!original || a.bytes.length !== original.length || a.bytes.some((v, k) => v !== original[k])) changed++;
  }
  // One case in twenty keeps the model (inputs only); a no-op mutation now and then is fine.
  assert.ok(changed >= 170, `only ${changed} of 200 cases changed their model`);
});

// The harness itself must be able to fail: a kernel that throws a TypeError and one that never
// returns, on a one-operator model of our own.
function scratchFixtures() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tflite-xs-fuzz-'));
  fs.mkdirSync(path.join(dir, 'fixtures', 'tiny'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'fixtures', 'tiny', 'model.tflite'), tinyFullyConnectedFloat());
  return dir;
}

function kernelsModule(dir, body) {
  const file = path.join(dir, 'kernels.mjs');
  const index = new URL('./lib/tflite.mjs', import.meta.url).href;
  fs.writeFileSync(file, `import { OpResolver } from ${JSON.stringify(index)};\n` +
    `export function resolver() { return new OpResolver([{ code: 9, name: 'FULLY_CONNECTED', types: [], ${body} }]); }\n`);
  return file;
}

test('the fuzzer reports a kernel\'s raw exception as internal, names the op, and saves a replayable file', async () => {
  const dir = scratchFixtures();
  try {
    const kernels = kernelsModule(dir, 'prepare(ctx, node) { return node.inputs[7].shape; }, eval() {}');
    const out = path.join(dir, 'out');
    const report = await runFuzz({ cases: 20, seed: 3, jobs: 1, fixturesDir: path.join(dir, 'fixtures'), kernels, outDir: out });
    assert.ok(report.counts.internal > 0, formatReport(report));
    assert.match(Object.keys(report.buckets.internal)[0], /^FULLY_CONNECTED prepare: Cannot read properties of undefined/);
    const saved = report.failures.find(f => f.file);
    assert.ok(saved && fs.existsSync(saved.file));
    const { resolver } = await import(new URL(`file://${kernels}`).href);
    const replay = runCase(new Uint8Array(fs.readFileSync(saved.file)), undefined, resolver());
    assert.equal(replay.outcome, 'internal');
    assert.equal(replay.op, 'FULLY_CONNECTED');
    assert.equal(JSON.parse(fs.readFileSync(saved.file.replace(/\.tflite$/, '.json'), 'utf8')).case, saved.case);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the fuzzer bounds each case\'s time: a kernel that never returns is a hang, and the run goes on', async () => {
  const dir = scratchFixtures();
  try {
    const kernels = kernelsModule(dir, 'prepare() {}, eval() { for (;;) {} }');
    const report = await runFuzz({ cases: 6, seed: 5, jobs: 1, timeoutMs: 400, fixturesDir: path.join(dir, 'fixtures'), kernels, outDir: null });
    assert.equal(report.cases, 6);
    assert.ok(report.counts.hang > 0, formatReport(report));
    assert.equal(report.counts.hang + report.counts.rejected, 6, formatReport(report));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a custom resolver reaches runCase: an op the resolver lacks is a clean OpError', () => {
  const result = runCase(tinyFullyConnectedFloat(), undefined, new OpResolver());
  assert.equal(result.outcome, 'rejected');
  assert.match(result.error, /^OpError: FULLY_CONNECTED \(operator 0\): no kernel/);
});

test('soak (short): 3000 invokes inside XS leave the XS heap as they found it', { skip: noCases }, async () => {
  const dir = path.join(CASES, 'hello_world_int8_0');
  const report = await runSoak({
    modelBytes: new Uint8Array(fs.readFileSync(path.join(dir, 'model.tflite'))),
    inputs: [new Uint8Array(fs.readFileSync(path.join(dir, 'input0.bin')))],
    invokes: 3000, batch: 500,
  });
  assert.equal(report.invokes, 3000);
  assert.equal(report.heapAfterBatches.length, 6);
  assert.ok(report.heapStart > 0);
  assert.equal(report.heapEnd, report.heapStart, `heap slots after gc: ${report.heapStart} at the start, then ${report.heapAfterBatches.join(', ')}`);
});

// ---- Hostile families (issue 10): whole models and call sequences one-field mutations never reach.

test('every hostile family makes cases, deterministically, and runs them with a probe', { skip: noCases }, () => {
  const corpus = loadCorpus(CASES);
  const seen = new Set();
  for (let i = 0; i < 300; i++) {
    const a = makeCase(corpus, SEED, i, 'families'), b = makeCase(corpus, SEED, i, 'families');
    assert.deepEqual(a.bytes, b.bytes);
    assert.deepEqual(a.probe, b.probe);
    assert.ok(a.probe && a.name.startsWith('family:'), a.name);
    seen.add(a.name.slice(7));
  }
  assert.deepEqual([...seen].sort(), [...FAMILIES].sort());
  // The usual mix has them too: three cases in twenty.
  let hostile = 0;
  for (let i = 0; i < 400; i++) if (makeCase(corpus, SEED, i).probe) hostile++;
  assert.ok(hostile > 30 && hostile < 100, `${hostile} of 400`);
});

test('a probe\'s result is classified: model writes, memory past the declared arena, wrong answers, misnamed misuse', { skip: noCases }, () => {
  const base = { phase: 'check', declaredBytes: 1000 };
  assert.equal(probeOutcome(base, 100, 5000).outcome, 'clean');
  assert.equal(probeOutcome({ ...base, modelWritten: true }, 100, 0).outcome, 'write');
  assert.match(probeOutcome(base, 100, 1000 + 200 + (8 << 20) + 1).error, /^Invariant: memory: held \d+ bytes/);
  assert.equal(probeOutcome({ ...base, invariant: 'x' }, 100, 0).outcome, 'crash');
  assert.equal(probeOutcome({ ...base, phase: 'allocate', name: 'UsageError', message: 'bad option' }, 100, 0).outcome, 'rejected');
  assert.equal(probeOutcome({ ...base, phase: 'allocate', name: 'RangeError', message: 'Array buffer allocation failed' }, 100, 0).outcome, 'crash');
  assert.equal(probeOutcome({ ...base, phase: 'allocate', name: 'ModelError', message: 'subgraph 0 calls itself' }, 100, 0, { misuse: 'reenter' }).outcome, 'crash');
  // And for real: a constant graph input written through quantize() is seen as a model write or refused.
  const corpus = loadCorpus(CASES);
  for (let i = 0; i < 40; i++) {
    const c = makeCase(corpus, SEED, i, 'family:io-aliasing');
    if (!c.steps.includes('constant-input')) continue;
    const result = runProbeCase(c.bytes, c.probe);
    assert.ok(result.outcome === 'write' || /UsageError/.test(result.error ?? ''), `${result.outcome}: ${result.error}`);
    return;
  }
  assert.fail('no constant-input case in 40');
});

// The families the reader answers (breaches 1 and 5): none may fail, on either engine.
for (const family of ['zero-dims', 'long-strings']) {
  test(`family ${family}: 200 cases on Node and 100 inside XS, no failure, each within its time bound`, { skip: noCases }, async () => {
    for (const [engine, cases] of [['node', 200], ['xs', 100]]) {
      const report = await runFuzz({ cases, seed: SEED, engine, jobs: 2, timeoutMs: 5000, outDir: 'fuzz-failures', source: `family:${family}` });
      assert.equal(report.cases, cases);
      assert.equal(failures(report), 0, formatReport(report));
      assert.ok(report.counts.rejected > 0, formatReport(report));
    }
  });
}

// The families that reach the interpreter (issue 10's breaches 2, 3, 4, 6 and 7 were found this way).
test('all hostile families: 500 cases on Node, 200 inside XS, no failure', { skip: noCases }, async () => {
  for (const [engine, cases] of [['node', 500], ['xs', 200]]) {
    const report = await runFuzz({ cases, seed: SEED, engine, jobs: 2, outDir: null, source: 'families' });
    console.log(formatReport(report));
    assert.equal(failures(report), 0, formatReport(report));
  }
});
