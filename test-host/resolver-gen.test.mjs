// `tflite-xs resolver MODEL... -o DIR`: the resolver module and the Moddable manifest fragment it
// writes name exactly the kernels the models use and the internal modules those import, and the
// resolver runs the model in Node bit for bit as allOps() does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Interpreter, UsageError } from './lib/tflite.mjs';
import { allOps } from './lib/kernels-all.mjs';
import { generateResolver, resolverFiles, runtimeImports, ResolverError } from './lib/host.mjs';
import { root, casesDir, noCases, loadCases, worstDifference, bytesOf } from './lib/cases.mjs';
import { cli } from './lib/cli.mjs';

const HELLO = path.join(casesDir, 'hello_world_int8_0/model.tflite');
const EXAMPLE_DIR = path.join(root, 'examples/linear_regression');

/** A folder inside this package, so that the generated module's "tflite-xs" imports resolve to this package (self-reference). */
function packageTmpDir(name) {
  const dir = path.join(root, 'out', `${name}-${process.pid}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** Library modules under src/kernels that `file` needs, found independently of the generator. */
function kernelModulesNeeded(rel, seen = new Set()) {
  if (seen.has(rel)) return seen;
  seen.add(rel);
  for (const spec of runtimeImports(fs.readFileSync(path.join(root, 'src', `${rel}.ts`), 'utf8'))) {
    const target = path.posix.join(path.posix.dirname(rel), spec.replace(/\.js$/, ''));
    if (target.startsWith('kernels/')) kernelModulesNeeded(target, seen);
  }
  return seen;
}

test('hello_world: the fragment compiles and preloads FULLY_CONNECTED and its internal modules, and no other kernel', { skip: noCases }, () => {
  const dir = packageTmpDir('resolver-hello');
  const result = generateResolver([HELLO], dir);
  assert.deepEqual(result.ops, ['FULLY_CONNECTED']);
  const fragment = JSON.parse(fs.readFileSync(path.join(dir, 'manifest_resolver.json'), 'utf8'));
  const named = Object.keys(fragment.modules).filter(k => k !== '*').sort();
  const expected = [...kernelModulesNeeded('kernels/fully_connected')].map(rel => `tflite-xs/${rel}`).sort();
  assert.ok(expected.some(n => n.includes('/internal/')), 'FULLY_CONNECTED imports internal modules');
  assert.deepEqual(named, expected);
  assert.ok(!named.includes('tflite-xs/kernels/conv_2d') && !named.some(n => /^tflite-xs\/kernels\/[^/]*(conv|pool|softmax)/.test(n)), named.join(', '));
  assert.deepEqual(fragment.modules['*'], ['./resolver']);
  assert.deepEqual(fragment.preload, ['resolver', ...expected]);
  // Every path is relative to the fragment and names a library source file.
  for (const name of named) {
    const source = fragment.modules[name];
    assert.ok(source.startsWith('.'), source);
    assert.equal(path.resolve(dir, `${source}.ts`), path.join(root, 'src', `${name.slice('tflite-xs/'.length)}.ts`));
    assert.ok(fs.existsSync(path.resolve(dir, `${source}.ts`)), source);
  }
  const text = fs.readFileSync(path.join(dir, 'resolver.js'), 'utf8');
  assert.deepEqual(runtimeImports(text), ['tflite-xs', 'tflite-xs/kernels/fully_connected']);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('the generated resolver runs the models in Node, bit-exact with allOps(), frozen, and finds no other kernel', { skip: noCases }, async () => {
  const cases = [...loadCases('hello_world_int8_0'), ...loadCases('person_detect_person')];
  assert.equal(cases.length, 2);
  const dir = packageTmpDir('resolver-run');
  const result = generateResolver(cases.map(c => path.join(casesDir, c.name, 'model.tflite')), dir);
  assert.deepEqual(result.ops, ['AVERAGE_POOL_2D', 'CONV_2D', 'DEPTHWISE_CONV_2D', 'FULLY_CONNECTED', 'RESHAPE', 'SOFTMAX']);
  const generated = await import(pathToFileURL(path.join(dir, 'resolver.js')).href);
  const { resolver, KERNELS } = generated;
  assert.deepEqual(KERNELS.map(k => k.name).sort(), result.ops);
  for (const c of cases) {
    const ours = new Interpreter(c.model, { resolver }).allocateTensors();
    const all = new Interpreter(c.model, { resolver: allOps() }).allocateTensors();
    for (const interpreter of [ours, all]) {
      c.inputs.forEach((bytes, i) => interpreter.input(i).bytes.set(bytes));
      interpreter.invoke();
    }
    c.outputs.forEach((o, i) => {
      assert.deepEqual(ours.output(i).bytes, all.output(i).bytes, `${c.name} output ${i}`);
      assert.ok(worstDifference(o.dtype, ours.output(i).bytes, o.bytes) <= o.tolerance, `${c.name} output ${i} against the golden`);
    });
  }
  // Nothing the models do not use: ADD (0) and LOGISTIC (14) are not there.
  assert.equal(resolver.find(0, ''), undefined);
  assert.equal(resolver.find(14, ''), undefined);
  assert.ok(Object.isFrozen(resolver) && Object.isFrozen(KERNELS));
  assert.throws(() => resolver.add(allOps().find(0, '')), UsageError);
  // A model with an op the resolver lacks is refused at allocation, naming the op.
  const add = loadCases('simple_add')[0];
  if (add) assert.throws(() => new Interpreter(add.model, { resolver }).allocateTensors(), /ADD/);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('the example\'s committed resolver and fragment are what the generator writes for its model', () => {
  const model = bytesOf(path.join(EXAMPLE_DIR, 'model.tflite'));
  const { files } = resolverFiles([model], EXAMPLE_DIR);
  for (const [name, text] of Object.entries(files)) {
    assert.equal(fs.readFileSync(path.join(EXAMPLE_DIR, name), 'utf8'), text, `${name} is current (run: node bin/tflite-xs.js resolver examples/linear_regression/model.tflite -o examples/linear_regression)`);
  }
});

test('an operator no kernel module exports is a ResolverError naming it', { skip: noCases }, () => {
  // A library whose kernel index lacks FULLY_CONNECTED: the generator reads the index, not a list of its own.
  const src = packageTmpDir('resolver-src');
  fs.mkdirSync(path.join(src, 'kernels'));
  fs.writeFileSync(path.join(src, 'kernels/index.ts'), "export { SOFTMAX } from './softmax.js';\n");
  assert.throws(() => resolverFiles([bytesOf(HELLO)], src, { srcDir: src }), e => e instanceof ResolverError && /no kernel for FULLY_CONNECTED/.test(e.message));
  fs.rmSync(src, { recursive: true, force: true });
});

test('the CLI: tflite-xs resolver MODEL -o DIR writes the three files; without -o it fails with one line', { skip: noCases }, () => {
  const dir = packageTmpDir('resolver-cli');
  const ok = cli('resolver', HELLO, '-o', dir);
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /1 operator\(s\) \(FULLY_CONNECTED\)/);
  assert.deepEqual(fs.readdirSync(dir).sort(), ['manifest_resolver.json', 'resolver.d.ts', 'resolver.js']);
  const bad = cli('resolver', HELLO);
  assert.equal(bad.status, 2, 'a missing -o is a usage error');
  assert.match(bad.stderr, /-o DIR is required/);
  assert.equal(bad.stderr.trim().split('\n').length, 1);
  fs.rmSync(dir, { recursive: true, force: true });
});
