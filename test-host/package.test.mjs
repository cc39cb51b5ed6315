// The lean install: the packed package installed into a fresh app brings no other package and
// runs no install script, and a plain ESM script importing "tflite-xs" and "tflite-xs/kernels"
// and a strict TypeScript app each run a golden case from it. The host features whose packages
// it leaves out say in one line what to install. Needs a build (`npm run build`); works offline (nothing to fetch).
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { casesDir, needsShared, noCases, root } from './lib/cases.mjs';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'tflite-xs-package-'));
const app = path.join(work, 'app');
const built = fs.existsSync(path.join(root, 'dist/node/index.js')) && fs.existsSync(path.join(root, 'dist/types/index.d.ts'));

function run(command, args, options = {}) {
  return spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
}

/** Sizes of every file under `dir`, in bytes (what `du --apparent-size` counts). */
function treeBytes(dir) {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) total += treeBytes(full);
    else if (entry.isFile()) total += fs.statSync(full).size;
  }
  return total;
}

// Packed and installed once; the tests below look at the result. `--ignore-scripts` on pack
// only: "prepare" would rebuild, which the test must not wait for (it runs after a build).
let installed = null;
function install(t) {
  if (installed) return installed;
  const pack = run(npm, ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: root });
  assert.equal(pack.status, 0, pack.stderr);
  const [{ filename, entryCount, size }] = JSON.parse(pack.stdout);
  fs.mkdirSync(app);
  fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'lean-app', version: '1.0.0', private: true, type: 'module' }));
  // --ignore-scripts=false: scripts would run if the package had any; --foreground-scripts
  // would print their output. --offline: a lean install needs nothing from the registry.
  // The log level of an enclosing `npm run -s` would silence the lines checked below.
  const env = { ...process.env };
  delete env.npm_config_loglevel;
  const r = run(npm, ['install', path.join(work, filename), '--ignore-scripts=false', '--foreground-scripts', '--no-audit', '--no-fund', '--offline', '--loglevel=notice'], { cwd: app, env });
  installed = { r, filename, entryCount, size };
  if (r.status !== 0) {
    const why = `${r.stdout}${r.stderr}`.trim().split('\n').slice(-3).join(' | ');
    if (/ENOTCACHED|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|network/i.test(why)) installed.skip = `npm install needs the network here: ${why}`;
  }
  t.diagnostic(`packed ${filename}: ${entryCount} files, ${size} bytes`);
  return installed;
}

const skipBuild = !built && 'needs `npm run build` first';

test('npm install of the packed package adds one package and runs no install script', { skip: skipBuild }, t => {
  const { r, skip } = install(t);
  if (skip) return t.skip(skip);
  assert.equal(r.status, 0, r.stderr);
  const output = `${r.stdout}\n${r.stderr}`;
  assert.match(output, /added 1 package\b/, output);
  // What a script would leave: npm prints "> tflite-xs@x postinstall" lines with --foreground-scripts.
  assert.doesNotMatch(output, /^> .*(preinstall|install|postinstall|prepare)\b/m, output);
  // npm 11 lists every package with a script that could run at install ("prepare" included).
  assert.doesNotMatch(output, /install-scripts/, output);
  const modules = fs.readdirSync(path.join(app, 'node_modules')).filter(n => !n.startsWith('.'));
  assert.deepEqual(modules, ['tflite-xs']);
  assert.deepEqual(fs.readdirSync(path.join(app, 'node_modules/.bin')), ['tflite-xs'], 'only the package\'s own bin link');
  const pkg = JSON.parse(fs.readFileSync(path.join(app, 'node_modules/tflite-xs/package.json'), 'utf8'));
  assert.equal(pkg.dependencies, undefined, 'no runtime dependencies');
  for (const name of ['preinstall', 'install', 'postinstall', 'prepare']) assert.equal(pkg.scripts?.[name], undefined, `no ${name} script`);
  for (const name of Object.keys(pkg.peerDependencies ?? {})) assert.equal(pkg.peerDependenciesMeta?.[name]?.optional, true, `peer ${name} is optional`);
  t.diagnostic(`inference-only install: ${(treeBytes(path.join(app, 'node_modules')) / 1e6).toFixed(1)} MB in node_modules`);
});

/** Every file under `dir`, relative to it. */
function treeFiles(dir, prefix = '') {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => entry.isDirectory()
    ? treeFiles(path.join(dir, entry.name), `${prefix}${entry.name}/`)
    : [`${prefix}${entry.name}`]);
}

test('the package carries no test tooling, and its declarations import no TensorFlow.js type', { skip: skipBuild }, t => {
  const { r, skip } = install(t);
  if (skip) return t.skip(skip);
  assert.equal(r.status, 0, r.stderr);
  const installed = path.join(app, 'node_modules/tflite-xs');
  const files = treeFiles(installed);
  assert.deepEqual(files.filter(f => /(^|\/)dev\//.test(f)), [], 'src/dev, dist/dev and dist/types/dev stay out');
  assert.ok(files.includes('dist/node/host.js') && files.includes('dist/types/host/index.d.ts'), 'the host entry and its types are there');
  const tfjsImports = files.filter(f => f.endsWith('.d.ts') && /from ['"]@tensorflow|import\(['"]@tensorflow/.test(fs.readFileSync(path.join(installed, f), 'utf8')));
  assert.deepEqual(tfjsImports, [], 'declarations importing @tensorflow');
  const exported = run(process.execPath, ['--input-type=module', '-e', 'const host = await import("tflite-xs/host"); console.log(JSON.stringify(Object.keys(host)))'], { cwd: app });
  assert.equal(exported.status, 0, exported.stderr);
  const names = JSON.parse(exported.stdout);
  for (const name of ['generateCase', 'Rng', 'CaseBuilder', 'REFERENCE_DIFFERENCES', 'compareOutputs', 'runOurs', 'withOpTable']) assert.ok(!names.includes(name), `tflite-xs/host exports ${name}`);
  for (const name of ['writeModel', 'convert', 'XsEngine', 'runReference', 'PngScreen']) assert.ok(names.includes(name), `tflite-xs/host lacks ${name}`);
});

const appScript = `
import fs from 'node:fs';
import { Interpreter, OpResolver, readModel } from 'tflite-xs';
import * as kernels from 'tflite-xs/kernels';
import * as host from 'tflite-xs/host';

const [dir] = process.argv.slice(2);
const spec = JSON.parse(fs.readFileSync(dir + '/case.json', 'utf8'));
const model = new Uint8Array(fs.readFileSync(dir + '/' + spec.model));
const ops = [...new Set(readModel(model).subgraphs[0].operators.map(op => op.opName))];
const interpreter = new Interpreter(model, { resolver: new OpResolver(ops.map(name => kernels[name])) });
interpreter.allocateTensors();
spec.inputs.forEach((input, i) => interpreter.setInput(i, new Uint8Array(fs.readFileSync(dir + '/' + input.file))));
interpreter.invoke();
const outputs = spec.outputs.map((o, i) => Buffer.from(interpreter.output(i).bytes).toString('hex'));
console.log(JSON.stringify({ ops, outputs, hostExports: typeof host.writeModel }));
`;

for (const name of ['person_detect_person', 'hello_world_float_0']) {
  const dir = path.join(casesDir, name);
  const skip = skipBuild || needsShared(`cases/${name}`);
  test(`a plain ESM app runs ${name} from the installed package`, { skip }, t => {
    const { r, skip: offline } = install(t);
    if (offline) return t.skip(offline);
    assert.equal(r.status, 0, r.stderr);
    fs.writeFileSync(path.join(app, 'main.mjs'), appScript);
    const result = run(process.execPath, ['main.mjs', dir], { cwd: app });
    assert.equal(result.status, 0, result.stderr);
    const got = JSON.parse(result.stdout);
    const spec = JSON.parse(fs.readFileSync(path.join(dir, 'case.json'), 'utf8'));
    assert.deepEqual(got.outputs, spec.outputs.map(o => fs.readFileSync(path.join(dir, o.file)).toString('hex')));
    assert.equal(got.hostExports, 'function', 'tflite-xs/host loads without its optional packages');
  });
}

// The "fresh app": strict TypeScript against the installed declarations, compiled with
// this repository's tsc (the app installs nothing else), then run on person_detect.
const tsApp = `
import fs from 'node:fs';
import { Interpreter, OpResolver, TensorType, UsageError } from 'tflite-xs';
import { CONV_2D, DEPTHWISE_CONV_2D, AVERAGE_POOL_2D, RESHAPE, SOFTMAX } from 'tflite-xs/kernels';

const [modelFile, inputFile] = process.argv.slice(2);
const model: Uint8Array = new Uint8Array(fs.readFileSync(modelFile));
const interpreter = new Interpreter(model, { resolver: new OpResolver([CONV_2D, DEPTHWISE_CONV_2D, AVERAGE_POOL_2D, RESHAPE, SOFTMAX]) });
interpreter.allocateTensors();
const input = interpreter.input(0);
if (input.type !== TensorType.INT8) throw new Error('expected an int8 input');
const image = fs.readFileSync(inputFile);
input.int8().set(new Int8Array(image.buffer, image.byteOffset, image.length));
interpreter.invoke();
const output = interpreter.output(0);
const scores: Int8Array = output.int8();
let wrongType = '';
try { output.float32(); } catch (e) { if (e instanceof UsageError) wrongType = e.message; }
const real = output.dequantize(new Float32Array(output.elementCount));
console.log(JSON.stringify({ bytes: Buffer.from(scores.buffer, scores.byteOffset, scores.length).toString('hex'), real: Array.from(real), wrongType }));
`;

test('a strict TypeScript app type-checks against the installed package and runs person_detect', { skip: skipBuild || needsShared('cases/person_detect_person') }, t => {
  const { r, skip: offline } = install(t);
  if (offline) return t.skip(offline);
  assert.equal(r.status, 0, r.stderr);
  const dir = path.join(app, 'ts');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'main.ts'), tsApp);
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      strict: true, target: 'es2022', module: 'nodenext', moduleResolution: 'nodenext', outDir: 'out',
      skipLibCheck: false, types: ['node'], typeRoots: [path.join(root, 'node_modules/@types')],
    },
    files: ['main.ts'],
  }));
  const tsc = run(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', dir]);
  assert.equal(tsc.status, 0, `${tsc.stdout}${tsc.stderr}`);
  const caseDir = path.join(casesDir, 'person_detect_person');
  const spec = JSON.parse(fs.readFileSync(path.join(caseDir, 'case.json'), 'utf8'));
  const result = run(process.execPath, [path.join(dir, 'out/main.js'), path.join(caseDir, spec.model), path.join(caseDir, spec.inputs[0].file)], { cwd: app });
  assert.equal(result.status, 0, result.stderr);
  const got = JSON.parse(result.stdout);
  assert.equal(got.bytes, fs.readFileSync(path.join(caseDir, spec.outputs[0].file)).toString('hex'));
  assert.ok(got.real[1] > got.real[0], `person scores higher: ${got.real}`);
  assert.match(got.wrongType, /int8/);
});

test('each host feature whose package is not installed says what to install, in one line', { skip: skipBuild || noCases }, t => {
  const { r, skip } = install(t);
  if (skip) return t.skip(skip);
  assert.equal(r.status, 0, r.stderr);
  const cli = (...args) => run(process.execPath, [path.join(app, 'node_modules/tflite-xs/bin/tflite-xs.js'), ...args], { cwd: app });
  const sine = path.join(casesDir, 'hello_world_float_0');
  const model = path.join(sine, 'model.tflite'), input = path.join(sine, 'input0.bin');

  const plain = cli('run', model, '--input', input);
  assert.equal(plain.status, 0, plain.stderr);

  const xs = cli('run', model, '--input', input, '--engine', 'xs');
  assert.equal(xs.status, 1);
  assert.equal(xs.stderr, 'tflite-xs run: the XS engine needs @agoric/xsnap and @endo/init: npm install @agoric/xsnap @endo/init\n');

  const diff = cli('diff', model, '--input', input);
  assert.equal(diff.status, 1);
  assert.equal(diff.stderr, 'tflite-xs diff: reference TFLite needs @tensorflow/tfjs-tflite: npm install @tensorflow/tfjs-tflite\n');

  const tfjsModel = path.join(work, 'model.json');
  fs.writeFileSync(tfjsModel, JSON.stringify({ modelTopology: {}, weightsManifest: [] }));
  const convert = cli('convert', tfjsModel, '-o', path.join(work, 'out.tflite'));
  assert.equal(convert.status, 1);
  assert.equal(convert.stderr, 'tflite-xs convert: the converter (tfjs models) needs @tensorflow/tfjs: npm install @tensorflow/tfjs\n');
});

test.after(() => fs.rmSync(work, { recursive: true, force: true }));
