// The person_detection example (examples/person_detection): TFLM's verdicts on its two test
// images in XS and in Node, bit-exact scores where TFLM's test input is the app's input, the
// screen it draws, the camera and image readers it is built from, and its generated resolver.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PNG } from 'pngjs';
import { builtSkip } from './lib/build.mjs';
import { fixturesDir, needsShared } from './lib/cases.mjs';
import { PngScreen, memorySink, readGrayImage, decodeGrayImage, fitGrayImage, resolverFiles } from './lib/host.mjs';
import { RecordedCamera, bmpFrame, grayFrame, FrameView } from './lib/components.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = path.join(root, 'examples/person_detection');
const fixtures = fixturesDir;
// TFLM's golden cases and test images (../shared/fixtures): the tests comparing against them skip without it.
const noFixtures = needsShared('cases') || needsShared('images');
const app = await import('../examples/person_detection/app.ts');
const { detections } = await import(pathToFileURL(path.join(dir, 'host.mjs')).href);
const model = new Uint8Array(fs.readFileSync(path.join(dir, 'model.tflite')));
const caseFile = (name, file) => new Uint8Array(fs.readFileSync(path.join(fixtures, 'cases', name, file)));
/** TFLM's verdict in a golden case: the class with the higher int8 score (0 no person, 1 person). */
const tflmVerdict = name => { const o = new Int8Array(caseFile(name, 'output0.bin').buffer); return o[1] > o[0] ? 'person' : 'no person'; };

// host.mjs runs the example from dist/ (its XS bundle, the library): that needs a build.
const hostSkip = builtSkip('dist/node/host.js', 'dist/node/components.js', 'dist/examples/person-detection-app.js', 'dist/examples/person-detection-xs.js');

function runHost(args) {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'person-'));
  const r = spawnSync(process.execPath, ['examples/person_detection/host.mjs', '--out', out, ...args], { cwd: root, encoding: 'utf8', timeout: 120000 });
  assert.equal(r.status, 0, `host.mjs failed:\n${r.stderr}\n${r.stdout.slice(-2000)}`);
  const lines = r.stdout.trimEnd().split('\n');
  return { out, stdout: r.stdout, lines, found: detections(lines) };
}

test('the example\'s files are TFLM\'s: the model, no_person.bmp as is, person.bmp with the int8 bytes turned back into pixels', { skip: noFixtures }, () => {
  assert.deepEqual(model, caseFile('person_detect_person', 'model.tflite'));
  assert.deepEqual(fs.readFileSync(path.join(dir, 'no_person.bmp')), fs.readFileSync(path.join(fixtures, 'images/no_person.bmp')));
  const ours = fs.readFileSync(path.join(dir, 'person.bmp')), theirs = fs.readFileSync(path.join(fixtures, 'images/person.bmp'));
  const offset = theirs.readUInt32LE(10);
  assert.deepEqual(ours.subarray(0, offset), theirs.subarray(0, offset), 'same header and palette');
  for (let i = offset; i < theirs.length; i++) assert.equal(ours[i], theirs[i] ^ 0x80, `byte ${i}`);
});

let xsRun;
test('host.mjs in XS: person.bmp -> person, no_person.bmp -> no person (TFLM\'s verdicts); the last line is the verdict', { skip: noFixtures || hostSkip }, () => {
  xsRun = runHost([]);
  const { found, lines, stdout, out } = xsRun;
  assert.deepEqual(found.map(f => f.verdict), [tflmVerdict('person_detect_person'), tflmVerdict('person_detect_no_person')]);
  assert.deepEqual(found.map(f => f.verdict), ['person', 'no person']);
  for (const f of found) {
    assert.ok(Math.abs(f.person + f.noPerson - 1) <= 0.011, `scores sum to 1: ${f.person} + ${f.noPerson}`);
    assert.ok(f.verdict === 'person' ? f.person > f.noPerson : f.noPerson > f.person);
  }
  assert.equal(lines[lines.length - 1], 'no person');
  assert.match(stdout, /^person_detect: int8 1x96x96x1 in, arena \d+ bytes$/m);
  assert.match(stdout, /^computrons per frame \(camera copy, inference, drawing, log\): \d+, \d+$/m);
  for (const name of ['person.png', 'no_person.png']) assert.ok(fs.existsSync(path.join(out, name)), name);
});

test('host.mjs: the same log on Node as in XS; the fixture images named on the command line give TFLM\'s verdicts', { skip: noFixtures || hostSkip }, () => {
  const node = runHost(['--engine', 'node']);
  const appLines = r => r.lines.filter(l => /score: |^(no )?person$|^person_detect:/.test(l));
  assert.deepEqual(appLines(node).slice(0, -1), appLines(xsRun).slice(0, -1));
  const single = runHost([path.join(fixtures, 'images/no_person.bmp'), '--engine', 'node']);
  assert.equal(single.lines[single.lines.length - 1], tflmVerdict('person_detect_no_person'));
});

test('the person frame goes into the model as TFLM\'s test input, and the scores are TFLM\'s, bit for bit', { skip: noFixtures }, () => {
  const camera = new RecordedCamera({ frames: [bmpFrame(fs.readFileSync(path.join(dir, 'person.bmp'))), bmpFrame(fs.readFileSync(path.join(dir, 'no_person.bmp')))] });
  // What the camera writes into the input tensor (the plan reuses that memory during invoke).
  const seen = new Int8Array(96 * 96);
  new RecordedCamera({ frames: [bmpFrame(fs.readFileSync(path.join(dir, 'person.bmp')))] }).read(seen);
  assert.deepEqual(new Uint8Array(seen.buffer), caseFile('person_detect_person', 'input0.bin'));
  const sink = memorySink();
  const detector = new app.PersonDetector({ model, camera, display: new PngScreen(), sink });
  assert.equal(detector.detect(), app.PERSON);
  const interpreter = detector.model.interpreter;
  assert.deepEqual(interpreter.output(0).bytes, caseFile('person_detect_person', 'output0.bin'));
  assert.equal(detector.detect(), app.NO_PERSON);
  // TFLM's test feeds no_person.bmp's bytes as int8 without the - 128 (its person.bmp holds them
  // already shifted), so only the verdict compares there.
  assert.equal(app.CLASSES[app.NO_PERSON], tflmVerdict('person_detect_no_person'));
  assert.deepEqual(sink.lines.slice(1), ['person score: 0.94', 'no person score: 0.06', 'person', `person score: ${detector.scores[1].toFixed(2)}`, `no person score: ${detector.scores[0].toFixed(2)}`, 'no person']);
});

test('the screen PNG shows the frame in 32 gray levels, the verdict in the class\'s color, and every Poco frame fits a display list', { skip: noFixtures || hostSkip }, () => {
  const png = PNG.sync.read(fs.readFileSync(path.join(xsRun.out, 'person.png')));
  assert.deepEqual([png.width, png.height], [240, 320]);
  const at = (x, y) => { const i = 4 * (y * png.width + x); return (png.data[i] << 16) | (png.data[i + 1] << 8) | png.data[i + 2]; };
  const screen = new PngScreen();
  const view = new FrameView({ display: screen, frameWidth: 96, frameHeight: 96, classes: app.CLASSES, positive: app.PERSON, title: 'person detection' });
  const { frameX, frameY, scale, panelY } = view.driver;
  assert.equal(scale, 2);
  const image = readGrayImage(path.join(dir, 'person.bmp'));
  for (let y = 0; y < 96; y++) for (let x = 0; x < 96; x++) {
    const level = image.pixels[y * 96 + x] >> 3, v = (level << 3) | (level >> 2);
    for (const [dx, dy] of [[0, 0], [1, 1]]) assert.equal(at(frameX + x * scale + dx, frameY + y * scale + dy), (v << 16) | (v << 8) | v, `pixel (${x}, ${y})`);
  }
  // The verdict's letters in green (person) somewhere in the rows under the frame.
  let green = 0;
  for (let y = panelY; y < panelY + 15; y++) for (let x = 0; x < 240; x++) if (at(x, y) === 0x30d060) green++;
  assert.ok(green > 50, `${green} green pixels of "PERSON"`);
  const other = PNG.sync.read(fs.readFileSync(path.join(xsRun.out, 'no_person.png')));
  let amber = 0;
  for (let y = panelY; y < panelY + 15; y++) for (let x = 0; x < 240; x++) { const i = 4 * (y * 240 + x); if (other.data[i] === 0xff && other.data[i + 1] === 0xa0) amber++; }
  assert.ok(amber > 50, `${amber} amber pixels of "NO PERSON"`);
  // The same drawing here, counted: Poco's default display list holds about 80 rectangles.
  view.frame(image.pixels);
  view.result([0.06, 0.94]);
  assert.ok(screen.maxCommandsPerFrame <= 60, `${screen.maxCommandsPerFrame} rectangles in one frame`);
});

test('runExample: two recorded frames on a board without a scheduler give person, then no person', async () => {
  const verdicts = [];
  await new Promise((resolve, reject) => {
    const board = app.runExample({
      model, display: new PngScreen(), sink: memorySink(), count: 2,
      camera: new RecordedCamera({ frames: ['person.bmp', 'no_person.bmp'].map(f => bmpFrame(fs.readFileSync(path.join(dir, f)))) }),
      onFrame: verdict => verdicts.push(app.CLASSES[verdict]), onDone: resolve,
    });
    board.on('error', reject);
  });
  assert.deepEqual(verdicts, ['person', 'no person']);
});

test('images: a color PNG of another size is turned gray and fitted, and still gives person; gray PNG and BMP read alike', { skip: hostSkip }, () => {
  const image = readGrayImage(path.join(dir, 'person.bmp'));
  // 192 x 240, tinted: luma keeps the picture, the fit crops the middle 192 x 192 and halves it.
  const png = new PNG({ width: 192, height: 240 });
  for (let y = 0; y < 240; y++) for (let x = 0; x < 192; x++) {
    const inside = y >= 24 && y < 216;
    const v = inside ? image.pixels[((y - 24) >> 1) * 96 + (x >> 1)] : 255;
    const i = 4 * (y * 192 + x);
    png.data[i] = v; png.data[i + 1] = v; png.data[i + 2] = v; png.data[i + 3] = 255;
  }
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'person-png-')), 'big.png');
  fs.writeFileSync(file, PNG.sync.write(png));
  const fitted = fitGrayImage(readGrayImage(file), 96, 96);
  assert.deepEqual(fitted.pixels, image.pixels);
  const run = runHost([file, '--engine', 'node']);
  assert.equal(run.lines[run.lines.length - 1], 'person');
  const gray = new PNG({ width: 96, height: 96, colorType: 0, inputColorType: 0 });
  for (let i = 0; i < 96 * 96; i++) gray.data[4 * i] = gray.data[4 * i + 1] = gray.data[4 * i + 2] = image.pixels[i], gray.data[4 * i + 3] = 255;
  assert.deepEqual(decodeGrayImage(PNG.sync.write(gray, { colorType: 0 })).pixels, image.pixels);
  assert.throws(() => decodeGrayImage(new Uint8Array([1, 2, 3])), /neither a PNG nor a BMP/);
});

test('camera: RecordedCamera cycles, writes pixels or pixel - 128, refuses a wrong size; bmpFrame refuses what it cannot read in place', () => {
  const a = grayFrame(Uint8Array.of(0, 128, 255, 7), 2, 2), b = grayFrame(Uint8Array.of(1, 2, 3, 4), 2, 2);
  const camera = new RecordedCamera({ frames: [a, b] });
  const pixels = new Uint8Array(4), input = new Int8Array(4);
  camera.read(pixels);
  assert.deepEqual([...pixels], [0, 128, 255, 7]);
  camera.read(input);
  assert.deepEqual([...input], [-127, -126, -125, -124]);
  assert.equal(camera.position, 0);
  assert.throws(() => camera.read(new Int8Array(5)), /2x2 frame fills 4 elements, not 5/);
  assert.throws(() => new RecordedCamera({ frames: [a, grayFrame(new Uint8Array(6), 3, 2)] }), /frame 1 is 3x2/);
  assert.throws(() => new RecordedCamera({ frames: [] }), /at least one frame/);
  const bmp = fs.readFileSync(path.join(dir, 'person.bmp'));
  assert.throws(() => bmpFrame(bmp.subarray(0, 2000)), /need \d+ bytes, the file has 2000/);
  const rgb = Buffer.from(bmp);
  rgb.writeUInt16LE(24, 28);
  assert.throws(() => bmpFrame(rgb), /only uncompressed 8-bit BMPs/);
  assert.throws(() => bmpFrame(new Uint8Array(100)), /not a BMP/);
  // Read in place: the frame views the file's bytes; rows come out top first.
  const frame = bmpFrame(bmp);
  assert.equal(frame.bytes.buffer, bmp.buffer);
  const top = new Uint8Array(96 * 96);
  new RecordedCamera({ frames: [frame] }).read(top);
  assert.deepEqual(top, readGrayImage(path.join(dir, 'person.bmp')).pixels);
});

test('the committed resolver and manifest fragment are what `tflite-xs resolver model.tflite` writes now', () => {
  const { files, ops } = resolverFiles([model], dir);
  assert.deepEqual(ops, ['AVERAGE_POOL_2D', 'CONV_2D', 'DEPTHWISE_CONV_2D', 'RESHAPE', 'SOFTMAX']);
  for (const [name, text] of Object.entries(files)) assert.equal(fs.readFileSync(path.join(dir, name), 'utf8'), text, name);
});
