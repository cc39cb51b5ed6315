// The Espruino module (dist/espruino/tflite-xs.js, issue 14). Espruino (2v2x) parses and runs a
// subset of modern JavaScript: this scans the module's syntax tree for every construct Espruino
// cannot run and every library function it lacks that the module's prelude does not supply, then
// runs the golden cases of the models that fit an Espruino board through the module in Node (with
// the engine's own functions, and with those Espruino lacks removed so the prelude's versions run)
// and in XS. A model "fits" when its bytes plus its exact arena are at most 64 KiB: the RAM of
// the smaller Espruino boards that can hold this module in flash (Pico, WiFi: 96 KB; Puck.js,
// Bangle.js: 64 KB) after the interpreter's own variables.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { parseAst } from 'rollup/parseAst';
import { root, haveCases, loadCases, worstDifference } from './lib/cases.mjs';
import { builtSkip } from './lib/build.mjs';
import { writeModel } from './lib/host.mjs';

const BUNDLE = path.join(root, 'dist/espruino/tflite-xs.js');
const PRELUDE = path.join(root, 'tools/espruino-prelude.js');
const FIT_BYTES = 64 * 1024;
// The module is made by `npm run build` (rollup.config.js): without it these tests skip.
const notBuilt = builtSkip('dist/espruino/tflite-xs.js');
const source = notBuilt ? '' : fs.readFileSync(BUNDLE, 'utf8');

function lineOf(text, offset) {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return `${path.relative(root, BUNDLE)}:${line}:${offset - before.lastIndexOf('\n')}`;
}

/** Every node of an ESTree tree, with its parent chain. */
function walk(node, visit, parents = []) {
  if (!node || typeof node.type !== 'string') return;
  visit(node, parents);
  const inner = [node, ...parents];
  for (const key of Object.keys(node)) {
    if (key === 'start' || key === 'end' || key === 'type') continue;
    const value = node[key];
    if (Array.isArray(value)) for (const v of value) walk(v, visit, inner);
    else if (value && typeof value.type === 'string') walk(value, visit, inner);
  }
}

const isFunction = n => n.type === 'FunctionDeclaration' || n.type === 'FunctionExpression' || n.type === 'ArrowFunctionExpression';
const containsFunction = node => { let found = false; walk(node, n => { if (isFunction(n)) found = true; }); return found; };

/** Syntax Espruino cannot run: [name, test(node, parents)]. */
const SYNTAX = [
  ['default parameter', n => isFunction(n) && n.params.some(p => p.type === 'AssignmentPattern')],
  ['destructuring', n => n.type === 'ObjectPattern' || n.type === 'ArrayPattern'],
  ['spread', n => n.type === 'SpreadElement'],
  ['rest parameter', n => n.type === 'RestElement'],
  ['** operator', n => (n.type === 'BinaryExpression' || n.type === 'AssignmentExpression') && (n.operator === '**' || n.operator === '**=')],
  ['optional chaining ?.', n => n.type === 'ChainExpression'],
  ['?? operator', n => (n.type === 'LogicalExpression' && n.operator === '??') || (n.type === 'AssignmentExpression' && ['??=', '||=', '&&='].includes(n.operator))],
  ['computed property key', n => (n.type === 'Property' || n.type === 'MethodDefinition' || n.type === 'PropertyDefinition') && n.computed],
  ['class extends (super(message) on Error, static inheritance)', n => (n.type === 'ClassDeclaration' || n.type === 'ClassExpression') && n.superClass],
  ['private class member', n => n.type === 'PrivateIdentifier'],
  ['labeled statement', n => n.type === 'LabeledStatement'],
  ['tagged template', n => n.type === 'TaggedTemplateExpression'],
  ['generator or async function', n => isFunction(n) && (n.generator || n.async)],
  ['write to an array length', n => (n.type === 'AssignmentExpression' || n.type === 'UpdateExpression') &&
    (n.left ?? n.argument).type === 'MemberExpression' && !(n.left ?? n.argument).computed &&
    (n.left ?? n.argument).property.name === 'length' && (n.left ?? n.argument).object.type !== 'ThisExpression'],
  ['=== between ArrayBuffers (Espruino compares their bytes; lowered to __sameObject)', n => n.type === 'BinaryExpression' && (n.operator === '===' || n.operator === '!==') &&
    [n.left, n.right].some(o => (o.type === 'MemberExpression' && !o.computed && /buffer$/i.test(o.property.name)) || (o.type === 'Identifier' && /buffer$/i.test(o.name)))],
  ['for (let/const) whose body makes a closure', n => (n.type === 'ForStatement' || n.type === 'ForInStatement' || n.type === 'ForOfStatement') &&
    (n.init ?? n.left)?.type === 'VariableDeclaration' && (n.init ?? n.left).kind !== 'var' && containsFunction(n.body)],
];

/** Function declarations after other statements of their body: Espruino does not hoist them. */
function unhoisted(node) {
  const lists = node.type === 'Program' || node.type === 'BlockStatement' || node.type === 'StaticBlock' ? [node.body]
    : node.type === 'SwitchCase' ? [node.consequent] : [];
  const found = [];
  for (const list of lists) {
    let other = false;
    for (const s of list) {
      if (s.type === 'FunctionDeclaration') { if (other) found.push(s); }
      else if (!(s.type === 'ExpressionStatement' && s.directive)) other = true;
    }
  }
  return found;
}

/**
 * Library functions Espruino lacks: [name, used(node), remove (code run in a fresh realm to take
 * it away), present (an expression true once it is back)].
 */
const TYPED = 'Object.getPrototypeOf(Int8Array.prototype)';
const member = (object, property) => n => n.type === 'MemberExpression' && !n.computed && n.property.name === property &&
  (object === null || (n.object.type === 'Identifier' && n.object.name === object));
const global = name => (n, parents) => n.type === 'Identifier' && n.name === name && !(parents[0]?.type === 'MemberExpression' && parents[0].property === n && !parents[0].computed) &&
  !(parents[0]?.type === 'Property' && parents[0].key === n);
const LIBRARY = [
  ['Object.freeze', member('Object', 'freeze'), 'delete Object.freeze', "typeof Object.freeze === 'function'"],
  ['Object.isFrozen', member('Object', 'isFrozen'), 'delete Object.isFrozen', "typeof Object.isFrozen === 'function'"],
  ['ArrayBuffer.isView', member('ArrayBuffer', 'isView'), 'delete ArrayBuffer.isView', "typeof ArrayBuffer.isView === 'function'"],
  ['Number.isInteger', member('Number', 'isInteger'), 'delete Number.isInteger', "typeof Number.isInteger === 'function'"],
  ...['fround', 'imul', 'clz32', 'trunc', 'tanh', 'log2', 'expm1'].map(f =>
    [`Math.${f}`, member('Math', f), `delete Math.${f}`, `typeof Math.${f} === 'function'`]),
  ['Math.round', member('Math', 'round'), 'Math.round = function (x) { return x < 0 ? -Math.floor(0.5 - x) : Math.floor(x + 0.5); }',
    'Math.round(-2.5) === -2 && Math.round(2.5) === 3 && Math.round(0.49999999999999994) === 0'],
  ['Math.pow', member('Math', 'pow'), 'Math.pow = (function (exp, log) { return function (x, y) { if (y >= 0 && y < 10 && y === Math.floor(y)) { var p = 1; for (var i = 0; i < y; i++) p *= x; return p; } return exp(log(x) * y); }; })(Math.exp, Math.log)',
    'Math.pow(2, 23) === 8388608 && Math.pow(2, -20) === 1 / 1048576 && Math.pow(2, 62) === 4611686018427387904'],
  ['Array.from', member('Array', 'from'), 'delete Array.from', "typeof Array.from === 'function'"],
  ['String.fromCodePoint', member('String', 'fromCodePoint'), 'delete String.fromCodePoint', "typeof String.fromCodePoint === 'function'"],
  ['copyWithin', member(null, 'copyWithin'), `delete Array.prototype.copyWithin; delete ${TYPED}.copyWithin`,
    "typeof [].copyWithin === 'function' && typeof new Int32Array(1).copyWithin === 'function'"],
  ['typed-array slice', member(null, 'slice'), `${TYPED}.slice = function (a, b) { return Array.prototype.slice.call(this, a, b); }`,
    'ArrayBuffer.isView(new Int16Array(2).slice(1))'],
  ['Map', global('Map'), 'delete globalThis.Map', "typeof Map === 'function'"],
  ['Set', global('Set'), 'delete globalThis.Set', "typeof Set === 'function'"],
  ['WeakMap', global('WeakMap'), 'delete globalThis.WeakMap', "typeof WeakMap === 'function'"],
  ['Symbol', global('Symbol'), 'delete globalThis.Symbol', "typeof Symbol === 'function'"],
];
/** What Espruino lacks, taken from a fresh realm before the module runs there. */
const ESPRUINO_LACKS = LIBRARY.map(l => l[2]).join(';\n');

test('the Espruino module has none of the syntax Espruino cannot run', { skip: notBuilt }, () => {
  const tree = parseAst(source);
  const problems = [];
  walk(tree, (node, parents) => {
    for (const [name, found] of SYNTAX) if (found(node, parents)) problems.push(`${name} at ${lineOf(source, node.start)}`);
    for (const f of unhoisted(node)) problems.push(`function declaration ${f.id.name} after other statements (not hoisted on Espruino) at ${lineOf(source, f.start)}`);
  });
  assert.deepEqual(problems, []);
  // The scan itself finds each construct (a scan that finds nothing would pass anything).
  const samples = ['function f(a = 1) {}', 'var {a} = b;', 'f(...a);', 'function f(...a) {}', 'a ** 2;', 'a?.b;', 'a ?? b;',
    'x = {[k]: 1};', 'class A extends Error {}', 'class A { #x; }', 'l: for (;;) break l;', 'f`x`;', 'async function f() {}',
    'a.length = 0;', 'a.buffer === b;', 'for (let i = 0; i < 2; i++) g(() => i);'];
  samples.forEach((code, i) => {
    let hit = false;
    walk(parseAst(code), (n, p) => { if (SYNTAX[i][1](n, p)) hit = true; });
    assert.ok(hit, `the scan misses ${SYNTAX[i][0]} in ${code}`);
  });
  assert.equal(unhoisted(parseAst('g(); function g() {}')).length, 1);
});

test('every library function Espruino lacks that the module uses is supplied by its prelude', { skip: notBuilt }, () => {
  const tree = parseAst(source);
  const used = new Map();
  walk(tree, (node, parents) => {
    for (const [name, found] of LIBRARY) if (!used.has(name) && found(node, parents)) used.set(name, lineOf(source, node.start));
  });
  assert.ok(used.has('Math.fround') && used.has('Object.freeze'), 'the scan finds Math.fround and Object.freeze');
  const prelude = fs.readFileSync(PRELUDE, 'utf8');
  const missing = [];
  for (const [name, , remove, present] of LIBRARY) {
    if (!used.has(name)) continue;
    const realm = vm.createContext({});
    vm.runInContext(remove, realm);
    assert.equal(vm.runInContext(present, realm), false, `${name} was not removed`);
    vm.runInContext(prelude, realm);
    if (!vm.runInContext(present, realm)) missing.push(`${name} (used at ${used.get(name)})`);
  }
  assert.deepEqual(missing, []);
});

/** The module evaluated as Espruino evaluates a module file: `module` and `exports` in scope. */
function loadModule(realm) {
  const module = { exports: {} };
  realm.module = module;
  realm.exports = module.exports;
  vm.runInContext(source, realm, { filename: BUNDLE });
  return module.exports;
}

function fittingCases(tf, U8) {
  const fitting = [];
  for (const c of loadCases()) {
    const model = U8.from(c.model);
    let arena;
    try {
      arena = tf.create(model).arenaBytes;
    } catch (error) {
      // A model with an operator the module does not carry (src/espruino/kernels.ts) is left out.
      if (error instanceof tf.OpError && /no kernel|not registered|unsupported operator/i.test(error.message)) continue;
      throw error;
    }
    if (c.model.length + arena <= FIT_BYTES) fitting.push({ ...c, model, inputs: c.inputs.map(i => U8.from(i)) });
  }
  return fitting;
}

function runCase(tf, c) {
  const it = tf.create(c.model);
  const outputs = [];
  for (let o = 0; o < it.outputCount; o++) outputs.push(new Uint8Array(it.output(o).byteLength * c.steps));
  for (let s = 0; s < c.steps; s++) {
    for (let i = 0; i < it.inputCount; i++) {
      const n = it.input(i).byteLength;
      it.setInput(i, c.inputs[i].subarray(s * n, (s + 1) * n));
    }
    it.invoke();
    for (let o = 0; o < it.outputCount; o++) outputs[o].set(it.output(o).bytes, s * it.output(o).byteLength);
  }
  return outputs;
}

function checkCases(tf, U8) {
  const cases = fittingCases(tf, U8);
  const names = cases.map(c => c.name);
  for (const must of ['hello_world_int8_0', 'hello_world_float_0', 'micro_speech_random_0', 'keyword_scrambled_stream']) {
    assert.ok(names.includes(must), `${must} fits in ${FIT_BYTES} bytes`);
  }
  for (const c of cases) {
    const got = runCase(tf, c);
    c.outputs.forEach((o, i) => {
      const worst = worstDifference(o.dtype, got[i], o.bytes);
      assert.ok(worst <= o.tolerance, `${c.name} output ${i}: worst difference ${worst}`);
    });
  }
  return names;
}

test('the Espruino module passes the golden cases that fit a board, in Node', { skip: notBuilt || (!haveCases && 'no shared fixtures') }, () => {
  const realm = vm.createContext({});
  const tf = loadModule(realm);
  checkCases(tf, vm.runInContext('Uint8Array', realm));
});

test('... and with the prelude in place of every function Espruino lacks', { skip: notBuilt || (!haveCases && 'no shared fixtures') }, () => {
  const realm = vm.createContext({});
  vm.runInContext(ESPRUINO_LACKS, realm);
  const tf = loadModule(realm);
  assert.equal(vm.runInContext("typeof Object.freeze === 'function' && Object.freeze.toString().indexOf('[native code]') < 0", realm), true);
  checkCases(tf, vm.runInContext('Uint8Array', realm));
  // Errors keep their class and print as on Error.prototype.toString.
  assert.throws(() => tf.create(new (vm.runInContext('Uint8Array', realm))(8)), e => e instanceof tf.ModelError && e instanceof tf.TfliteError && /^ModelError: /.test(String(e)));
});

test('on Espruino (E present), create() refuses a model or an arena over 64 KiB by name, before Espruino\'s own byteOffset error', { skip: notBuilt }, () => {
  const realm = vm.createContext({});
  // What create() and modelBytes() use of Espruino's E; getAddressOf: the buffer is flat.
  vm.runInContext('var E = { toArrayBuffer: function (s) { var b = new Uint8Array(s.length); for (var i = 0; i < s.length; i++) b[i] = s.charCodeAt(i); return b.buffer; }, toString: function () { return undefined; }, getAddressOf: function () { return 1; } };', realm);
  const tf = loadModule(realm);
  const U8 = vm.runInContext('Uint8Array', realm);
  const add = n => U8.from(writeModel({ subgraphs: [{
    tensors: [{ type: 'float32', shape: [1, n] }, { type: 'float32', shape: [1, n] }, { type: 'float32', shape: [1, n] }],
    inputs: [0, 1], outputs: [2], operators: [{ op: 'ADD', inputs: [0, 1], outputs: [2] }],
  }] }));
  assert.equal(tf.ESPRUINO_MAX_BUFFER, 65536);
  // Three float32 tensors of 8 192 values: 98 304 bytes of arena for a model of a few hundred.
  assert.throws(() => tf.create(add(8192)), e => e instanceof tf.ArenaError && /arena of \d+ bytes: on Espruino an arena may be at most 65536 bytes/.test(e.message) && e.bytesNeeded > 65536);
  assert.ok(tf.create(add(4096)).arenaBytes <= 65536, 'an arena within the limit allocates');
  const big = new U8(70000);
  big.set(add(4));
  assert.throws(() => tf.create(big), e => e instanceof tf.ModelError && /the model is 70000 bytes: on Espruino a model may be at most 65536 bytes/.test(e.message));
  // A String (Storage.read, fs.readFileSync) is measured before any conversion.
  assert.throws(() => tf.create('\0'.repeat(70000)), e => e instanceof tf.ModelError && /the model is 70000 bytes/.test(e.message));
  // In Node (no E) neither limit applies.
  const plain = loadModule(vm.createContext({}));
  assert.ok(plain.create(add(8192)).arenaBytes > 65536);
});

test('create() takes a model as a String of bytes, and its own kernel list', { skip: notBuilt || (!haveCases && 'no shared fixtures') }, () => {
  const realm = vm.createContext({});
  const tf = loadModule(realm);
  const [c] = loadCases('hello_world_int8_0');
  const asString = String.fromCharCode(...c.model);
  const U8 = vm.runInContext('Uint8Array', realm);
  const a = tf.create(asString), b = tf.create(U8.from(c.model), { ops: tf.ESPRUINO_KERNELS.filter(k => k.name === 'FULLY_CONNECTED') });
  for (const it of [a, b]) {
    it.setInput(0, U8.from(c.inputs[0]));
    it.invoke();
    assert.deepEqual([...it.output(0).bytes], [...c.outputs[0].bytes]);
  }
  assert.throws(() => tf.create(U8.from(c.model), { ops: [] }), e => e instanceof tf.OpError && /FULLY_CONNECTED/.test(e.message));
  assert.throws(() => tf.create('\u0100abc'), e => e instanceof tf.UsageError);
});

test('the Espruino module passes the same golden cases in XS', { skip: notBuilt || (!haveCases && 'no shared fixtures') }, async () => {
  const { XsEngine } = await import('./lib/host.mjs');
  const realm = vm.createContext({});
  const names = checkCases(loadModule(realm), vm.runInContext('Uint8Array', realm));
  // The XS driver takes the library from a global `tflite` with allOps(): here the module's kernels.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'espruino-xs-'));
  const script = path.join(dir, 'bundle.js');
  fs.writeFileSync(script, `var tflite = (function () { var module = { exports: {} }, exports = module.exports;\n${source}\n` +
    'var lib = {}; for (var k in module.exports) lib[k] = module.exports[k];\n' +
    'lib.allOps = function () { return new lib.OpResolver(lib.ESPRUINO_KERNELS); }; return lib; })();\n');
  const engine = await XsEngine.start({ bundlePath: script });
  try {
    for (const c of loadCases().filter(c => names.includes(c.name))) {
      const loaded = await engine.load(c.model);
      const run = await engine.run(c.inputs, c.steps, loaded.outputs.map(o => o.byteLength));
      c.outputs.forEach((o, i) => {
        const worst = worstDifference(o.dtype, run.outputs[i], o.bytes);
        assert.ok(worst <= o.tolerance, `${c.name} output ${i} in XS: worst difference ${worst}`);
      });
    }
  } finally {
    await engine.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
