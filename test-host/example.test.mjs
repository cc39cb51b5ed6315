// The linear_regression example end to end (npm start's story, in the XS engine and in Node),
// and the pieces it is built from: drivers, components and the host twins.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { PNG } from 'pngjs';
import { builtSkip } from './lib/build.mjs';
import { convertDense, writeModel, PngScreen, memorySink } from './lib/host.mjs';
import { allOps, ALL_KERNELS } from './lib/kernels-all.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const example = await import('../examples/linear_regression/app.ts');
const app = { ...example, ...await import('./lib/components.mjs'), ...await import('./lib/drivers.mjs') };
const { valuePairs } = await import(pathToFileURL(path.join(root, 'examples/linear_regression/host.mjs')).href);

const COLORS = { point: 0xff8c00, line: 0x00beff, area: 0x141824 };

// host.mjs runs the example from dist/ (its XS bundle, the library): that needs a build.
const hostSkip = builtSkip('dist/node/host.js', 'dist/examples/linear-regression-app.js', 'dist/examples/linear-regression-train.js', 'dist/examples/linear-regression-xs.js');

function runHost(args) {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'linreg-'));
  const r = spawnSync(process.execPath, ['examples/linear_regression/host.mjs', '--out', out, ...args], { cwd: root, encoding: 'utf8', timeout: 60000 });
  assert.equal(r.status, 0, `host.mjs failed:\n${r.stderr}\n${r.stdout.slice(-2000)}`);
  return { out, stdout: r.stdout, lines: r.stdout.split('\n') };
}

/** A float y = w x + b model written directly, for component tests that need no training. */
function lineModel(quantize) {
  const layer = { name: 'dense', inputs: 1, units: 1, weights: Float32Array.of(2), bias: Float32Array.of(-1), activation: 'linear' };
  return convertDense([layer], quantize ? { quantize: 'int8', representativeData: [-1, 0, 1, 2, 3, 4] } : {});
}

let xsRun;
test('npm start: trains, converts, embeds, runs in XS: 100 X/Y pairs on y = 2x - 1 and a plot PNG', { skip: hostSkip }, () => {
  xsRun = runHost(['--seed', '7']);
  const { stdout, lines, out } = xsRun;
  assert.match(stdout, /^Epoch 200\/200$/m);
  assert.match(stdout, /^1\/1 \[=+\] - 0s \d+ms\/step - loss: \d+\.\d{4}$/m);
  const learned = /^Learned weight: (-?[\d.]+), bias: (-?[\d.]+)/m.exec(stdout);
  assert.ok(learned, 'prints the learned weight and bias');
  assert.ok(Math.abs(Number(learned[1]) - 2) < 0.01 && Math.abs(Number(learned[2]) + 1) < 0.01, learned[0]);
  // The seed's shape, exactly: "X Value: 0.14" then "Y Value: -0.52".
  const xLines = lines.filter(l => l.startsWith('X Value'));
  const yLines = lines.filter(l => l.startsWith('Y Value'));
  assert.equal(xLines.length, 100);
  assert.equal(yLines.length, 100);
  for (const l of [...xLines, ...yLines]) assert.match(l, /^[XY] Value: -?\d\.\d\d$/);
  const pairs = valuePairs(lines);
  assert.equal(pairs.length, 100);
  for (const [x, y] of pairs) {
    assert.ok(x >= 0 && x < 1, `x ${x} in [0, 1)`);
    assert.ok(Math.abs(y - (2 * x - 1)) <= 0.05, `y ${y} for x ${x}`);
  }
  assert.ok(new Set(pairs.map(p => p[0])).size > 20, 'the x values vary');
  const pngPath = /^plot: (.+)$/m.exec(stdout)?.[1];
  assert.equal(pngPath, path.join(out, 'plot.png'));
  const png = PNG.sync.read(fs.readFileSync(pngPath));
  assert.deepEqual([png.width, png.height], [240, 320]);
  for (const file of ['model.tflite', 'model_int8.tflite', 'tfjs/model.json', 'tfjs/weights.bin', 'embed/model.tflite', 'embed/model_data.js', 'embed/manifest_model_resource.json']) {
    assert.ok(fs.existsSync(path.join(out, file)), file);
  }
});

test('the plot PNG shows a dot where each printed pair is, and the true line', { skip: hostSkip }, () => {
  const png = PNG.sync.read(fs.readFileSync(path.join(xsRun.out, 'plot.png')));
  const at = (x, y) => {
    const i = 4 * (y * png.width + x);
    return (png.data[i] << 16) | (png.data[i + 1] << 8) | png.data[i + 2];
  };
  // Same frame as the app's plot: the driver maps data to pixels.
  const screen = new PngScreen();
  const plot = new app.PlotDriver({ display: screen, x: app.PLOT_X, y: app.PLOT_Y });
  for (const [x, y] of valuePairs(xsRun.lines)) {
    // Printed values are rounded to 0.01, a pixel or so: look around the spot.
    let found = false;
    for (let dy = -2; dy <= 2 && !found; dy++) for (let dx = -2; dx <= 2 && !found; dx++) found = at(plot.columnOf(x) + dx, plot.rowOf(y) + dy) === COLORS.point;
    assert.ok(found, `a dot near (${x}, ${y})`);
  }
  // The line y = 2x - 1 where no dot covers it: x = -0.1 and x = 1.1 lie outside [0, 1).
  for (const x of [-0.1, 1.1]) {
    let found = false;
    for (let dy = -2; dy <= 2 && !found; dy++) found = at(plot.columnOf(x), plot.rowOf(2 * x - 1) + dy) === COLORS.line;
    assert.ok(found, `the line at x = ${x}`);
  }
  assert.equal(at(plot.columnOf(0.05), plot.rowOf(1.2)), COLORS.area, 'empty plot area away from the line');
});

test('the app gives the same lines in Node as in the XS engine', { skip: hostSkip }, () => {
  const node = runHost(['--seed', '7', '--engine', 'node']);
  const values = lines => lines.filter(l => /^[XY] Value/.test(l));
  assert.deepEqual(values(node.lines), values(xsRun.lines));
  assert.match(node.stdout, /Run the device app in Node/);
});

test('the int8 model runs the same story within 0.05 of the line', { skip: hostSkip }, () => {
  const { lines, stdout } = runHost(['--seed', '3', '--int8', '--count', '40']);
  assert.match(stdout, /^Model: int8, arena \d+ bytes$/m);
  const pairs = valuePairs(lines);
  assert.equal(pairs.length, 40);
  for (const [x, y] of pairs) assert.ok(Math.abs(y - (2 * x - 1)) <= 0.05, `y ${y} for x ${x}`);
});

test('runExample draws as the inferences happen: one small frame per point, each within a Poco display list', async () => {
  const screen = new PngScreen();
  const sink = memorySink();
  const framesAtPoint = [];
  const display = {
    width: screen.width, height: screen.height,
    makeColor: (r, g, b) => screen.makeColor(r, g, b),
    begin: (...a) => screen.begin(...a),
    fillRectangle: (...a) => screen.fillRectangle(...a),
    end: () => screen.end(),
  };
  let xs, ys;
  await new Promise(resolve => {
    const board = app.runExample({
      model: lineModel(false), display, sink: { write: line => { sink.write(line); if (line.startsWith('Y')) framesAtPoint.push(screen.frames); } },
      count: 12, seed: 1, onDone: (a, b) => { xs = a; ys = b; resolve(); },
    });
    assert.equal(board.ready, false, '"ready" comes after the constructor returns');
  });
  assert.equal(sink.lines.filter(l => l.startsWith('X Value')).length, 12);
  for (let i = 0; i < 12; i++) assert.ok(Math.abs(ys[i] - (2 * xs[i] - 1)) < 1e-6);
  // The axes take the first frames (bands of 16 rows); then each logged Y is followed by one frame.
  const bands = Math.ceil(320 / 16);
  assert.equal(screen.frames, bands + 12);
  assert.deepEqual(framesAtPoint, Array.from({ length: 12 }, (_, i) => bands + i));
  // Poco's default display list is 1024 bytes; Moddable's simulator measured 408 bytes for this
  // plot's largest frame, 34 rectangles, so 12 bytes each: 60 leaves room.
  assert.ok(screen.maxCommandsPerFrame <= 60, `${screen.maxCommandsPerFrame} rectangles in one frame`);
});

test('Board: ready after construction; loop with a scheduler stops and emits done; with scheduler null runs at once', async () => {
  const pending = [];
  const scheduler = {
    repeat(callback, interval) { const h = { callback, interval, cleared: false }; pending.push(h); return h; },
    clear(h) { h.cleared = true; },
  };
  const board = new app.Board({ scheduler });
  let readies = 0;
  board.on('ready', () => readies++);
  assert.equal(readies, 0);
  await Promise.resolve();
  assert.equal(readies, 1);
  assert.equal(board.ready, true);
  const turns = [];
  let done = 0;
  board.on('done', () => done++);
  board.loop(25, (stop, turn) => { turns.push(turn); if (turn === 2) stop(); });
  assert.equal(pending.length, 1);
  assert.equal(pending[0].interval, 25);
  for (let i = 0; i < 5 && !pending[0].cleared; i++) pending[0].callback();
  assert.deepEqual(turns, [0, 1, 2]);
  assert.equal(pending[0].cleared, true);
  assert.equal(done, 1);

  const sync = new app.Board({ scheduler: null });
  const seen = [];
  sync.loop(1000, (stop, turn) => { seen.push(turn); if (turn === 4) stop(); });
  assert.deepEqual(seen, [0, 1, 2, 3, 4], 'scheduler null: the loop has run when loop() returns');
  assert.throws(() => new app.Board({ scheduler: {} }), /scheduler needs repeat/);
  assert.throws(() => sync.loop(-1, () => {}), RangeError);
});

test('Board: with no scheduler given, loop(ms) waits ms between turns on the host (setInterval)', async () => {
  const board = new app.Board();
  const times = [];
  const started = performance.now();
  const done = new Promise(resolve => board.on('done', resolve));
  board.loop(40, (stop, turn) => {
    times.push(performance.now() - started);
    if (turn === 2) stop();
  });
  assert.deepEqual(times, [], 'the first turn comes after the interval, not inside loop()');
  await done;
  assert.equal(times.length, 3);
  // Node's timers never fire early by more than a millisecond of rounding.
  for (let i = 0; i < 3; i++) assert.ok(times[i] >= 40 * (i + 1) - 2, `turn ${i} at ${times[i].toFixed(1)} ms`);
  await new Promise(resolve => setTimeout(resolve, 100));
  assert.equal(times.length, 3, 'stop() cleared the interval');
});

test('Model: predict handles float and int8, number and array, and keeps the weights in the model bytes', () => {
  const floatBytes = lineModel(false);
  const model = new app.Model({ model: floatBytes, resolver: allOps() });
  assert.equal(model.quantized, false);
  assert.ok(Math.abs(model.predict(0.25) + 0.5) < 1e-6);
  assert.deepEqual(Array.from(model.predict([0.75])).map(v => Math.round(v * 1e6) / 1e6), [0.5]);
  // Zero copy: the constant tensors view the bytes the model was given.
  const constants = model.interpreter.model.subgraphs[0].tensors.map((_, i) => model.interpreter.tensor(i)).filter(t => t.isConstant);
  assert.ok(constants.length >= 2);
  for (const t of constants) assert.equal(t.bytes.buffer, floatBytes.buffer, `${t.describe()} is a view of the model`);
  // An ArrayBuffer (what the preload module exports) works the same way.
  const buffer = floatBytes.slice().buffer;
  const fromBuffer = new app.Model({ model: buffer, kernels: ALL_KERNELS });
  for (let i = 0; i < fromBuffer.interpreter.model.subgraphs[0].tensors.length; i++) {
    const t = fromBuffer.interpreter.tensor(i);
    if (t.isConstant) assert.equal(t.bytes.buffer, buffer);
  }

  const int8 = new app.Model({ model: lineModel(true), resolver: allOps() });
  assert.equal(int8.quantized, true);
  const input = int8.interpreter.input(0), output = int8.interpreter.output(0);
  for (const x of [0, 0.1, 0.5, 0.9, 1.7, -0.3]) {
    const y = int8.predict(x);
    // Within the output's step plus the input's step through the slope.
    assert.ok(Math.abs(y - (2 * x - 1)) <= output.scale + 2 * input.scale, `int8 ${x} -> ${y}`);
    assert.equal(int8.predict([x])[0], y, "predict(number) and predict([number]) give the same value");
  }
  assert.throws(() => new app.Model({}), /needs the model/);
  assert.throws(() => new app.Model({ model: floatBytes }), /needs the kernels/, 'no default resolver: Model carries no kernel of its own');
  const two = writeModel({ subgraphs: [{ tensors: [{ type: 'float32', shape: [1, 2] }, { type: 'float32', shape: [1, 2] }], inputs: [0], outputs: [1], operators: [{ op: 'RELU', inputs: [0], outputs: [1] }] }] });
  let wide;
  try { wide = new app.Model({ model: two, resolver: allOps() }); } catch { wide = null; }
  if (wide) assert.throws(() => wide.predict(1), /takes 2 values; pass an array/);
});

test('Logger: the seed\'s value lines, levels and tags', () => {
  assert.equal(app.formatValue('X', 0.14), 'X Value: 0.14');
  assert.equal(app.formatValue('Y', -0.5249), 'Y Value: -0.52');
  assert.equal(app.formatValue('Y', -0.001), 'Y Value: 0.00', 'no "-0.00"');
  const sink = memorySink();
  const logger = new app.Logger({ sink, level: 'info' });
  logger.debug('hidden');
  logger.info('a\nb');
  logger.warn('careful');
  logger.value('X', 1 / 3);
  assert.deepEqual(sink.lines, ['a', 'b', '[warn] careful', 'X Value: 0.33']);
  logger.level = 'error';
  logger.warn('dropped');
  assert.equal(sink.lines.length, 4);
  assert.throws(() => new app.Logger({ sink, level: 'loud' }), /unknown log level/);
});

test('Logger: with no sink and no trace(), new Logger() writes to stdout on Node', () => {
  assert.equal(typeof globalThis.trace, 'undefined');
  const script = `const { Logger } = await import(${JSON.stringify(pathToFileURL(path.join(root, 'test-host/lib/components.mjs')).href)});
const log = new Logger(); log.info('hello'); log.warn('two\\nlines'); log.debug('hidden'); log.value('X', 0.5);`;
  const r = spawnSync(process.execPath, ['--import', path.join(root, 'test-host/lib/ts-register.mjs'), '--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'hello\n[warn] two\n[warn] lines\nX Value: 0.50\n');
  assert.equal(r.stderr, '');
});

test('PlotDriver: points outside the frame are not drawn outside the plot area; clear() forgets them', () => {
  const screen = new PngScreen({ width: 240, height: 320 });
  const plot = new app.PlotDriver({ display: screen, x: { min: 0, max: 1 }, y: { min: 0, max: 1 }, capacity: 3 });
  plot.redraw();
  const before = Uint32Array.from(screen.pixels);
  plot.plot(5, 5);
  plot.plot(NaN, 0.5);
  assert.deepEqual(screen.pixels, before, 'far-off and NaN points change nothing');
  for (const v of [0.1, 0.2, 0.3, 0.4]) plot.plot(v, v);
  assert.equal(plot.points, 3, 'capacity bounds what is kept');
  plot.clear();
  assert.equal(plot.points, 0);
  assert.deepEqual(screen.pixels, before, 'clear() redraws the empty plot');
  assert.deepEqual(app.niceTicks({ min: -0.2, max: 1.2 }), [0, 0.5, 1]);
  assert.equal(app.tickLabel(-0.5), '-0.5');
  assert.equal(app.tickLabel(1e-12), '0');
  assert.throws(() => new app.PlotDriver({ display: screen, x: { min: 1, max: 1 }, y: { min: 0, max: 1 } }), /min < max/);
});
