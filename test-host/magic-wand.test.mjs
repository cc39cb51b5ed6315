// The magic_wand example (examples/magic_wand): the held-out traces give their gestures in XS and
// in Node, the committed int8 model's accuracy on a generated test set (not the training seed)
// and its agreement with the float tfjs model it was converted from, the screen it draws, the
// recorded accelerometer, the generator's determinism, the training script on a tiny budget, and
// the generated resolver.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PNG } from 'pngjs';
import { PngScreen, memorySink, resolverFiles, convert, loadLayersModel } from './lib/host.mjs';
import * as library from './lib/tflite.mjs';
import { builtSkip } from './lib/build.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = path.join(root, 'examples/magic_wand');
// The example runs from dist/ (its Node app and XS bundle): without a build its tests skip.
const notBuilt = builtSkip('dist/examples/magic-wand-app.js', 'dist/examples/magic-wand-gestures.js', 'dist/examples/magic-wand-train.js', 'dist/examples/magic-wand-xs.js');
const app = notBuilt ? null : await import(pathToFileURL(path.join(root, 'dist/examples/magic-wand-app.js')).href);
const gestureSet = notBuilt ? null : await import(pathToFileURL(path.join(root, 'dist/examples/magic-wand-gestures.js')).href);
const training = notBuilt ? null : await import(pathToFileURL(path.join(root, 'dist/examples/magic-wand-train.js')).href);
const host = await import(pathToFileURL(path.join(dir, 'host.mjs')).href);
const { writeTraces } = await import(pathToFileURL(path.join(dir, 'generate.mjs')).href);
const model = new Uint8Array(fs.readFileSync(path.join(dir, 'model.tflite')));

/** The README's bounds: test-set accuracy of the int8 model, and its agreement with tfjs' float model. */
const MIN_ACCURACY = 0.9;
const MIN_AGREEMENT = 0.97;

function runHost(args) {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'wand-'));
  const r = spawnSync(process.execPath, ['examples/magic_wand/host.mjs', '--out', out, ...args], { cwd: root, encoding: 'utf8', timeout: 240000 });
  assert.equal(r.status, 0, `host.mjs failed:\n${r.stderr}\n${r.stdout.slice(-2000)}`);
  const lines = r.stdout.trimEnd().split('\n');
  return { out, stdout: r.stdout, lines, found: host.gestures(lines) };
}

let xsRun;
test('host.mjs in XS: each held-out trace gives the gesture it is named for; the last line is the last gesture', { skip: notBuilt }, () => {
  xsRun = runHost([]);
  const { found, lines, stdout, out } = xsRun;
  assert.deepEqual(found.map(f => f.gesture), ['wing', 'ring', 'slope', 'negative']);
  for (const f of found) {
    assert.ok(Math.abs(f.scores.reduce((a, b) => a + b, 0) - 1) <= 0.021, `scores sum to 1: ${f.scores}`);
    assert.equal(Math.max(...f.scores), f.scores[app.LABELS.indexOf(f.gesture)]);
  }
  assert.equal(lines[lines.length - 1], 'negative');
  assert.match(stdout, /^magic_wand: int8 1x128x3 in, arena \d+ bytes$/m);
  assert.match(stdout, /^computrons per window \(128 samples, inference, drawing, log\): \d+, \d+, \d+, \d+; one inference: \d+$/m);
  for (const name of ['wing', 'ring', 'slope', 'negative']) assert.ok(fs.existsSync(path.join(out, `${name}.png`)), `${name}.png`);
});

test('host.mjs: the same log on Node as in XS (bit-exact scores); one trace named on the command line', { skip: notBuilt }, () => {
  const node = runHost(['--engine', 'node']);
  const appLines = r => r.lines.filter(l => /^scores: |^(wing|ring|slope|negative)$|^magic_wand:/.test(l));
  assert.deepEqual(appLines(node).slice(0, -1), appLines(xsRun).slice(0, -1));
  assert.match(node.stdout, /^one inference in Node: \d+\.\d+ ms$/m);
  const single = runHost([path.join(dir, 'traces/ring.csv'), '--engine', 'node']);
  assert.equal(single.lines[single.lines.length - 1], 'ring');
  const r = spawnSync(process.execPath, ['examples/magic_wand/host.mjs', '--engine', 'lua'], { cwd: root, encoding: 'utf8' });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /--engine takes xs or node/);
});

test(`the committed model on a generated test set (400 examples, seed 7): int8 accuracy >= ${MIN_ACCURACY}, agreement with the float tfjs model >= ${MIN_AGREEMENT}`, { skip: notBuilt }, async () => {
  const set = gestureSet.generate(host.TEST_SET.count, host.TEST_SET.seed);
  const int8 = host.measureInt8(library, model, set, 128 * 3);
  await training.quietTfjs();
  const float = training.predictClasses(await loadLayersModel(path.join(dir, 'tfjs/model.json')), set);
  let right = 0, agree = 0;
  for (let i = 0; i < set.count; i++) {
    right += int8[i] === set.labels[i] ? 1 : 0;
    agree += int8[i] === float[i] ? 1 : 0;
  }
  assert.ok(right / set.count >= MIN_ACCURACY, `int8 accuracy ${right}/${set.count}`);
  assert.ok(agree / set.count >= MIN_AGREEMENT, `int8 agrees with float on ${agree}/${set.count}`);
  // Every label is recognised, not just the easy ones.
  for (let label = 0; label < 4; label++) {
    let n = 0, ok = 0;
    for (let i = 0; i < set.count; i++) if (set.labels[i] === label) { n++; ok += int8[i] === label ? 1 : 0; }
    assert.ok(ok / n >= 0.8, `${app.LABELS[label]}: ${ok}/${n}`);
  }
});

test('the test set is not the training set, and the generator is deterministic', { skip: notBuilt }, () => {
  const a = gestureSet.generate(8, 7), b = gestureSet.generate(8, 7), c = gestureSet.generate(8, 1);
  assert.deepEqual(a.data, b.data);
  assert.deepEqual(a.labels, b.labels);
  assert.notDeepEqual(a.data, c.data);
  assert.deepEqual([...gestureSet.generate(40, 3).labels].sort().join(''), '0000000000111111111122222222223333333333');
  // In g: a wand at rest reads about 1 g; a gesture peaks well above it.
  const rest = new Float32Array(128 * 3);
  gestureSet.synthesize(gestureSet.NEGATIVE, gestureSet.rng(5), rest);
  const magnitude = k => Math.hypot(rest[3 * k], rest[3 * k + 1], rest[3 * k + 2]);
  assert.ok(Math.abs(magnitude(0) - 1) < 0.3, `|a| at rest ${magnitude(0)}`);
});

test('the committed traces and traces.bin are what generate.mjs writes (seed 2026), and traces.bin replays them', { skip: notBuilt }, async () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'wand-traces-'));
  await writeTraces({ out });
  for (const name of ['wing', 'ring', 'slope', 'negative']) {
    assert.equal(fs.readFileSync(path.join(out, 'traces', `${name}.csv`), 'utf8'), fs.readFileSync(path.join(dir, 'traces', `${name}.csv`), 'utf8'), name);
  }
  const bin = fs.readFileSync(path.join(dir, 'traces.bin'));
  assert.deepEqual(fs.readFileSync(path.join(out, 'traces.bin')), bin);
  const recorded = new app.RecordedAccelerometer({ samples: new Uint8Array(bin) });
  assert.equal(recorded.count, 4 * 128);
  const csv = gestureSet.parseTraceCsv(fs.readFileSync(path.join(dir, 'traces/wing.csv'), 'utf8'));
  for (let k = 0; k < 128; k++) {
    const s = recorded.sample();
    assert.ok(Math.abs(s.x - csv[3 * k]) < 0.005 && Math.abs(s.y - csv[3 * k + 1]) < 0.005 && Math.abs(s.z - csv[3 * k + 2]) < 0.005, `sample ${k}`);
  }
});

test('RecordedAccelerometer: int16 milli-g in m/s², cycles, one reading object; bad input is refused', { skip: notBuilt }, () => {
  const bytes = app.encodeTrace([9.80665, -9.80665, 0, 0.5, 1, -2]);
  const recorded = new app.RecordedAccelerometer({ samples: bytes });
  const first = recorded.sample();
  assert.deepEqual([first.x, first.y, first.z].map(v => Math.round(v * 1000) / 1000), [9.807, -9.807, 0]);
  const second = recorded.sample();
  assert.equal(second, first, 'the same object, refilled');
  assert.ok(Math.abs(second.y - 1) < 0.005);
  assert.equal(recorded.position, 0);
  assert.throws(() => new app.RecordedAccelerometer({ samples: new Uint8Array(7) }), /not a whole number of int16 x, y, z samples/);
  assert.throws(() => new app.RecordedAccelerometer({}), /needs \{samples\}/);
  assert.throws(() => app.encodeTrace([1, 2]), /not a whole number/);
  assert.throws(() => gestureSet.parseTraceCsv('t,x,y,z\n0,1\n'), /line 2: expected x,y,z or t,x,y,z/);
  assert.throws(() => gestureSet.parseTraceCsv('t_ms,x,y,z\n0,1,2,abc\n'), /line 2: .* is not numbers/);
});

test('inference allocates nothing: in XS, 20 inferences in a command leave the heap as one does', { skip: notBuilt }, async () => {
  const samples = fs.readFileSync(path.join(dir, 'traces.bin'));
  const growth = await host.heapGrowth({ model, samples: new Uint8Array(samples), inferences: 20 });
  assert.deepEqual(growth.many, growth.one, `heap slots per command: ${JSON.stringify(growth)}`);
});

test('the screen: the trace in the canvas in three colors, the gesture\'s name under it, every Poco frame within a display list', { skip: notBuilt }, () => {
  const png = PNG.sync.read(fs.readFileSync(path.join(xsRun.out, 'ring.png')));
  // The README's picture is the host run's wing.png.
  assert.deepEqual(fs.readFileSync(path.join(dir, 'screen-wing.png')), fs.readFileSync(path.join(xsRun.out, 'wing.png')));
  assert.deepEqual([png.width, png.height], [240, 320]);
  const at = (x, y) => { const i = 4 * (y * png.width + x); return (png.data[i] << 16) | (png.data[i + 1] << 8) | png.data[i + 2]; };
  const screen = new PngScreen();
  const sink = memorySink();
  const wand = new app.MagicWand({ model, accelerometer: new app.RecordedAccelerometer({ samples: fs.readFileSync(path.join(dir, 'traces.bin')) }), display: screen, sink });
  const view = wand.view;
  const colors = new Map();
  for (let y = view.top; y < view.top + view.height; y++) for (let x = view.left; x < view.left + view.width; x++) colors.set(at(x, y), (colors.get(at(x, y)) ?? 0) + 1);
  for (const c of [0xff5050, 0x50dc78, 0x50a0ff]) assert.ok((colors.get(c) ?? 0) > 200, `${c.toString(16)}: ${colors.get(c)} pixels`);
  // The verdict's letters (amber) in the rows under the canvas.
  const panelY = view.driver.panelY;
  let amber = 0;
  for (let y = panelY; y < panelY + 15; y++) for (let x = 0; x < 240; x++) if (at(x, y) === 0xffa030) amber++;
  assert.ok(amber > 40, `${amber} amber pixels of "RING"`);
  // The same app here: a window, then the rectangles of its busiest Poco frame counted.
  for (let k = 0; k < 256; k++) wand.sample();
  assert.equal(app.LABELS[wand.recognize()], 'ring');
  assert.ok(screen.maxCommandsPerFrame <= 60, `${screen.maxCommandsPerFrame} rectangles in one frame`);
  assert.deepEqual(sink.lines.slice(-1), ['ring']);
});

test('runExample: the recorded traces on a board without a scheduler, one inference when the ring fills, then every stride', { skip: notBuilt }, async () => {
  const seen = [];
  await new Promise((resolve, reject) => {
    const board = app.runExample({
      model, display: new PngScreen(), sink: memorySink(), count: 128 * 4, stride: 128,
      accelerometer: new app.RecordedAccelerometer({ samples: fs.readFileSync(path.join(dir, 'traces.bin')) }),
      onGesture: gesture => seen.push(app.LABELS[gesture]), onDone: resolve,
    });
    board.on('error', reject);
  });
  assert.deepEqual(seen, ['wing', 'ring', 'slope', 'negative']);
  assert.throws(() => app.runExample({ model, display: new PngScreen(), accelerometer: {}, stride: 0 }), /stride must be a positive whole number/);
});

test('the training script runs on a tiny budget and its model converts to int8 with the app\'s input and output', { skip: notBuilt }, async () => {
  const trained = await training.train({ count: 32, epochs: 1, log: () => {} });
  const bytes = convert(trained.model, { quantize: 'int8', representativeData: training.representativeRows(trained.data, 8) });
  const interpreter = new library.Interpreter(bytes, { resolver: library.allOps() }).allocateTensors();
  assert.deepEqual(interpreter.input(0).dims(), [1, 128, 3]);
  assert.equal(interpreter.input(0).typeName, 'int8');
  assert.equal(interpreter.output(0).elementCount, 4);
  const { ops } = resolverFiles([bytes], dir);
  assert.deepEqual(ops, resolverFiles([model], dir).ops, 'a retrained model needs the same kernels');
});

test('the committed resolver and manifest fragment are what `tflite-xs resolver model.tflite` writes now', { skip: notBuilt }, () => {
  const { files, ops } = resolverFiles([model], dir);
  assert.deepEqual(ops, ['AVERAGE_POOL_2D', 'CONV_2D', 'FULLY_CONNECTED', 'MAX_POOL_2D', 'RESHAPE', 'SOFTMAX']);
  for (const [name, text] of Object.entries(files)) assert.equal(fs.readFileSync(path.join(dir, name), 'utf8'), text, name);
});
