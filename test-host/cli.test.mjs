// The command line: outputs, --json, N-step inputs, and one clear stderr line for each mistake.
import test from 'node:test';
import { allOps, ALL_KERNELS } from './lib/kernels-all.mjs';
import * as kernelsByName from './lib/kernels.mjs';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { casesDir, haveCases, noCases } from './lib/cases.mjs';
import { cli } from './lib/cli.mjs';

const skip = noCases;
const sine = haveCases ? path.join(casesDir, 'hello_world_int8_0') : '';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tflite-xs-cli-'));

test('run writes the outputs and --json describes them', { skip }, () => {
  const out = path.join(tmp, 'out.bin');
  const r = cli('run', path.join(sine, 'model.tflite'), '--input', path.join(sine, 'input0.bin'), '--output', out, '--json');
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(fs.readFileSync(out), fs.readFileSync(path.join(sine, 'output0.bin')));
  const json = JSON.parse(r.stdout);
  assert.equal(json.outputs.length, 1);
  assert.deepEqual(Object.keys(json.outputs[0]), ['name', 'type', 'shape', 'scale', 'zeroPoint', 'data', 'values']);
  assert.equal(json.outputs[0].type, 'int8');
  assert.deepEqual(json.outputs[0].data, Array.from(new Int8Array(fs.readFileSync(path.join(sine, 'output0.bin')))));
  assert.ok(json.arenaBytes > 0);
});

test('an input of N times the tensor size runs N invokes', { skip }, () => {
  const both = path.join(tmp, 'two.bin'), out = path.join(tmp, 'two-out.bin');
  const one = fs.readFileSync(path.join(sine, 'input0.bin'));
  fs.writeFileSync(both, Buffer.concat([one, one]));
  const r = cli('run', path.join(sine, 'model.tflite'), '--input', both, '--output', out);
  assert.equal(r.status, 0, r.stderr);
  const want = fs.readFileSync(path.join(sine, 'output0.bin'));
  assert.deepEqual(fs.readFileSync(out), Buffer.concat([want, want]));
});

test('mistakes are one line on stderr and a non-zero exit', { skip }, () => {
  const wrong = path.join(tmp, 'wrong.bin');
  fs.writeFileSync(wrong, Buffer.alloc(3));
  const cases = [
    [['run', path.join(casesDir, 'simple_add', 'model.tflite'), '--input', wrong, '--input', wrong], /input 0 .*takes 16384 bytes \(or a multiple, one per invoke\), got 3/],
    [['run', path.join(sine, 'model.tflite')], /the model has 1 input, got 0 \(one --input, --values or --values-file per input/],
    [['run', path.join(tmp, 'missing.tflite')], /cannot read model .*missing\.tflite: no such file$/m],
    [['run', path.join(sine, 'input0.bin')], /ModelError/],
    [['run', path.join(sine, 'model.tflite'), '--input', path.join(sine, 'input0.bin'), '--engine', 'gpu'], /--engine is node or xs/],
    [['run', path.join(sine, 'model.tflite'), '--input', path.join(sine, 'input0.bin'), '--arena-size', '8'], /ArenaError: arena too small: the model needs \d+ bytes, the arena has 8/],
    [['frobnicate'], /unknown command frobnicate/],
  ];
  for (const [args, message] of cases) {
    const r = cli(...args);
    assert.notEqual(r.status, 0, args.join(' '));
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, message);
  }
});

test('--engine xs gives the same bytes and reports computrons', { skip }, () => {
  const r = cli('run', path.join(sine, 'model.tflite'), '--input', path.join(sine, 'input0.bin'), '--engine', 'xs', '--json');
  assert.equal(r.status, 0, r.stderr);
  const json = JSON.parse(r.stdout);
  assert.deepEqual(json.outputs[0].data, Array.from(new Int8Array(fs.readFileSync(path.join(sine, 'output0.bin')))));
  assert.ok(json.computrons.run > 0);
});

// ---- the CLI as a user meets it: help, version, exit codes, real values, labels, inspect, profile
const micro = haveCases ? path.join(casesDir, 'micro_speech_random_0') : '';
const lib = await import('./lib/tflite.mjs');
const { countMacs } = await import('./lib/host.mjs');
const pkg = JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

/** Runs `model` in-process on real values through the library's own Tensor.quantize. */
function libraryRun(modelFile, valuesPerStep) {
  const it = new lib.Interpreter(new Uint8Array(fs.readFileSync(modelFile)), { resolver: allOps() });
  it.allocateTensors();
  return valuesPerStep.map(values => {
    it.input(0).quantize(values);
    const inputBytes = Array.from(it.input(0).data);
    it.invoke();
    return { inputBytes, data: Array.from(it.output(0).data), values: Array.from(it.output(0).dequantize()) };
  });
}

/** A NumPy .npy (version 1.0) holding float32 `values` with `shape`. */
function npyFloat32(values, shape) {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  while ((10 + header.length + 1) % 64) header += ' ';
  header += '\n';
  const head = Buffer.alloc(10);
  Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]).copy(head);
  head.writeUInt16LE(header.length, 8);
  return Buffer.concat([head, Buffer.from(header, 'latin1'), Buffer.from(Float32Array.from(values).buffer)]);
}

test('--help for the tool and for every command, --version from package.json', () => {
  for (const args of [['--help'], ['-h'], ['help']]) {
    const r = cli(...args);
    assert.equal(r.status, 0, args.join(' '));
    for (const command of ['run', 'inspect', 'profile', 'convert', 'embed']) assert.match(r.stdout, new RegExp(`tflite-xs ${command} `));
  }
  for (const command of ['run', 'inspect', 'profile', 'convert', 'embed']) {
    for (const h of ['--help', '-h']) {
      const r = cli(command, h);
      assert.equal(r.status, 0, `${command} ${h}: ${r.stderr}`);
      assert.match(r.stdout, new RegExp(`^usage: tflite-xs ${command} `), `${command} ${h}`);
      assert.equal(r.stderr, '');
    }
  }
  assert.equal(cli('help', 'profile').stdout, cli('profile', '--help').stdout);
  const v = cli('--version');
  assert.equal(v.status, 0);
  assert.equal(v.stdout.trim(), pkg.version);
  const none = cli();
  assert.equal(none.status, 2, 'no command is bad usage');
  assert.match(none.stderr, /usage: tflite-xs COMMAND/);
});

test('exit codes: 0 success, 1 failed model or input, 2 bad usage; errors name the file and the problem in one line', { skip }, () => {
  const model = path.join(sine, 'model.tflite'), input = path.join(sine, 'input0.bin');
  const missingDir = path.join(tmp, 'no-such-folder');
  const cases = [
    [['run', model, `--input=${input}`], 0, null],
    [['run', model, '--input', input, '--bogus'], 2, /^tflite-xs run: unknown option --bogus \(see tflite-xs run --help\)$/],
    [['run', model, '--input'], 2, /^tflite-xs run: --input needs a value$/],
    [['run', model, '--input', '--json'], 2, /^tflite-xs run: --input needs a value$/],
    [['run', model, '--input', input, '--json=yes'], 2, /^tflite-xs run: --json takes no value$/],
    [['run'], 2, /^tflite-xs run: expected one MODEL\.tflite, got none$/],
    [['run', model, model, '--input', input], 2, /expected one MODEL\.tflite, got /],
    [['run', model, '--input', input, '--engine=gpu'], 2, /--engine is node or xs, not gpu/],
    [['run', model, '--input', input, '--arena-size', 'lots'], 2, /--arena-size takes a whole number, not "lots"/],
    [['run', model, '--input', input, '--top', '0'], 2, /--top takes a whole number of at least 1/],
    [['inspect', model, '--input', input], 2, /^tflite-xs inspect: unknown option --input/],
    [['profile', model, '--runs', '-3'], 2, /^tflite-xs profile: --runs takes a whole number/],
    [['convert', 'm.json'], 2, /^tflite-xs convert: needs -o OUT\.tflite$/],
    [['frobnicate'], 2, /^tflite-xs: unknown command frobnicate; try tflite-xs --help$/],
    [['--frob'], 2, /^tflite-xs: unknown option --frob/],
    [['run', path.join(tmp, 'missing.tflite')], 1, /^tflite-xs run: cannot read model .*missing\.tflite: no such file$/],
    [['inspect', tmp], 1, /^tflite-xs inspect: cannot read model .*: it is a folder$/],
    [['run', model, '--input', path.join(tmp, 'nope.bin')], 1, /^tflite-xs run: cannot read input .*nope\.bin: no such file$/],
    [['run', input, '--input', input], 1, /^tflite-xs run: .*input0\.bin: ModelError: /],
    [['profile', input], 1, /^tflite-xs profile: .*input0\.bin: ModelError: /],
    [['run', model, '--input', input, '--output', path.join(missingDir, 'out.bin')], 1, new RegExp(`^tflite-xs run: cannot write output 0 .*out\\.bin: the folder .*no-such-folder does not exist$`)],
    [['run', model, '--values', '1,x'], 1, /^tflite-xs run: --values "1,x": value 1 is "x", not a number$/],
    [['run', model, '--values', '1', '--labels', path.join(tmp, 'none.txt')], 1, /^tflite-xs run: cannot read labels .*none\.txt: no such file$/],
    [['embed', path.join(tmp, 'missing.tflite')], 1, /^tflite-xs embed: cannot read model .*missing\.tflite: no such file$/],
    [['embed', input], 1, /^tflite-xs embed: .*input0\.bin is not a \.tflite model/],
  ];
  for (const [args, status, message] of cases) {
    const r = cli(...args);
    assert.equal(r.status, status, `${args.join(' ')}\n${r.stderr}`);
    if (!message) continue;
    assert.equal(r.stderr.split('\n').filter(Boolean).length, 1, r.stderr);
    assert.match(r.stderr.trim(), message);
    assert.doesNotMatch(r.stderr, /ENOENT|EISDIR|internal error|(\w+): \1:/, 'no errno, no internal error, no doubled prefix');
  }
});

test('run --values, --values-file and a .npy are quantized with the input\'s scale and zero point, as Tensor.quantize does', { skip }, () => {
  const model = path.join(sine, 'model.tflite');
  const xs = [0.5, 1.5, -2, 6.3];
  const want = libraryRun(model, xs.map(x => [x]));
  const jsonFile = path.join(tmp, 'values.json'), npyFile = path.join(tmp, 'values.npy');
  fs.writeFileSync(jsonFile, JSON.stringify(xs.map(x => [x])));
  fs.writeFileSync(npyFile, npyFloat32(xs, [4, 1]));
  const raw = path.join(tmp, 'quantized.bin');
  fs.writeFileSync(raw, Int8Array.from(want.flatMap(w => w.inputBytes)));
  for (const source of [['--values', xs.join(',')], ['--values-file', jsonFile], ['--input', npyFile], ['--input', raw]]) {
    const r = cli('run', model, ...source, '--json');
    assert.equal(r.status, 0, `${source.join(' ')}: ${r.stderr}`);
    const json = JSON.parse(r.stdout);
    assert.equal(json.steps, 4, 'four values for a one-value input: four invokes');
    const out = json.outputs[0];
    assert.equal(out.type, 'int8');
    assert.deepEqual(out.data, want.flatMap(w => w.data), source[0]);
    assert.deepEqual(out.values, want.flatMap(w => w.values), 'dequantized as Tensor.dequantize does');
    assert.ok(out.scale > 0);
    assert.ok(out.values.every((v, i) => Math.abs(v - (out.data[i] - out.zeroPoint) * out.scale) < 1e-6));
  }
  // Text: the output named, typed, shaped, with its quantization and its real values.
  const text = cli('run', model, '--values', '1.5');
  assert.equal(text.status, 0, text.stderr);
  const [header, values] = text.stdout.split('\n');
  assert.match(header, /^output 0 "StatefulPartitionedCall:0" int8 \[1, 1\] scale 0\.00829\d* zero point 5$/);
  assert.equal(Number(values.trim().slice(1, -1)), Number(want[1].values[0].toPrecision(6)));
  assert.match(text.stdout, /1 invoke on node, arena \d+ bytes/);
});

test('run --labels prints the top k classes, highest first, in text and JSON', { skip }, () => {
  const model = path.join(micro, 'model.tflite'), input = path.join(micro, 'input0.bin');
  const labels = path.join(tmp, 'labels.txt');
  fs.writeFileSync(labels, 'silence\nunknown\nyes\nno\n');
  const plain = JSON.parse(cli('run', model, '--input', input, '--json').stdout).outputs[0].values;
  const order = [0, 1, 2, 3].sort((a, b) => plain[b] - plain[a] || a - b);
  const names = ['silence', 'unknown', 'yes', 'no'];
  const r = cli('run', model, '--input', input, '--labels', labels, '--top', '3', '--json');
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout).outputs[0].top, order.slice(0, 3).map(i => ({ index: i, label: names[i], value: plain[i] })));
  const text = cli('run', model, '--input', input, '--labels', labels, '--top', '2');
  const rows = text.stdout.split('\n').slice(1, 3).map(l => l.trim().split(/\s+/));
  assert.deepEqual(rows.map(r => r[0]), order.slice(0, 2).map(i => names[i]));
  assert.equal(text.stdout.split('\n')[3].startsWith('1 invoke'), true, 'exactly --top rows');
  fs.writeFileSync(labels, 'a\nb\nc\n');
  const wrong = cli('run', model, '--input', input, '--labels', labels);
  assert.equal(wrong.status, 1);
  assert.match(wrong.stderr, /labels .* has 3 lines, but no output has 3 values per invoke \(4\)/);
});

test('inspect: inputs, outputs, operators, MACs, weights, arena and the resolver line, with type names in JSON', { skip }, () => {
  const modelFile = path.join(micro, 'model.tflite');
  const bytes = new Uint8Array(fs.readFileSync(modelFile));
  const r = cli('inspect', modelFile, '--json');
  assert.equal(r.status, 0, r.stderr);
  const s = JSON.parse(r.stdout);
  const it = new lib.Interpreter(bytes, { resolver: allOps() });
  it.allocateTensors();
  const input = it.input(0), output = it.output(0);
  assert.deepEqual(s.inputs.map(p => [p.name, p.type, p.shape, p.scale, p.zeroPoint]), [[input.name, 'int8', Array.from(input.shape), input.scale, input.zeroPoint]]);
  assert.deepEqual(s.outputs.map(p => [p.name, p.type, p.shape, p.scale, p.zeroPoint]), [[output.name, 'int8', Array.from(output.shape), output.scale, output.zeroPoint]]);
  const model = lib.readModel(bytes);
  const ops = model.subgraphs[0].operators.map(o => o.opName);
  assert.deepEqual(s.operators.map(o => o.op).sort(), [...new Set(ops)].sort());
  for (const o of s.operators) {
    assert.equal(o.count, ops.filter(n => n === o.op).length);
    const kernel = ALL_KERNELS.find(k => k.name === o.op);
    assert.equal(kernelsByName[o.kernel], kernel, `${o.kernel} is the export of the ${o.op} kernel`);
    assert.deepEqual(o.types, Array.from(kernel.types));
  }
  assert.equal(s.macs, countMacs(model).total);
  assert.ok(s.weightBytes > 0 && s.weightBytes < bytes.length);
  assert.deepEqual(s.arena, { plannedBytes: it.plannedArenaBytes, totalBytes: it.arenaBytes });
  // The resolver line is enough: the model allocates and runs with exactly those kernels.
  const names = /^new OpResolver\(\[(.*)\]\)$/.exec(s.resolver)[1].split(', ');
  const lean = new lib.Interpreter(bytes, { resolver: new lib.OpResolver(names.map(n => kernelsByName[n])) });
  lean.allocateTensors();
  lean.invoke();
  assert.match(s.import, new RegExp(`^import \\{ OpResolver \\} from 'tflite-xs'; import \\{ ${names.join(', ')} \\} from 'tflite-xs/kernels';$`));
  const text = cli('inspect', modelFile, '--ops');
  assert.equal(text.status, 0);
  for (const want of [/\(int8 \[1, 1960\]\)\s+scale [\d.]+\s+zero point -128/, /1 x DEPTHWISE_CONV_2D\s+runs \(/, /^MACs: /m, /^weights: /m, /^arena: /m, /^resolver: new OpResolver\(\[/m, /operators in order/]) {
    assert.match(text.stdout, want);
  }
  assert.doesNotMatch(r.stdout, /"type":\d/, 'no numeric type codes in JSON');
});

test('profile: every operator once, slowest first, with totals, on node (ms) and xs (computrons)', { skip }, () => {
  const modelFile = path.join(micro, 'model.tflite');
  const ops = lib.readModel(new Uint8Array(fs.readFileSync(modelFile))).subgraphs[0].operators.map(o => o.opName);
  for (const engine of ['node', 'xs']) {
    const unit = engine === 'xs' ? 'computrons' : 'ms';
    const r = cli('profile', modelFile, '--engine', engine, '--runs', engine === 'xs' ? '2' : '5', '--input', path.join(micro, 'input0.bin'), '--json');
    assert.equal(r.status, 0, r.stderr);
    const p = JSON.parse(r.stdout);
    assert.deepEqual(p.operators.map(o => o.index).sort((a, b) => a - b), ops.map((_, i) => i));
    for (const o of p.operators) assert.equal(o.op, ops[o.index]);
    for (let i = 1; i < p.operators.length; i++) assert.ok(p.operators[i - 1][unit] >= p.operators[i][unit], `${engine}: slowest first`);
    const sum = p.operators.reduce((a, o) => a + o[unit], 0);
    assert.ok(Math.abs(sum - p.total[unit]) <= 0.01 * p.total[unit] + 1e-3, `${engine}: total ${p.total[unit]} vs sum ${sum}`);
    if (engine === 'xs') {
      // Computrons are deterministic (wall time on a shared machine is not).
      assert.equal(p.operators[0].op, 'DEPTHWISE_CONV_2D', 'the 320 000-MAC operator costs most');
      // The per-operator computrons add up to a whole invoke's (which also copies the input in).
      const run = JSON.parse(cli('run', modelFile, '--input', path.join(micro, 'input0.bin'), '--engine', 'xs', '--json').stdout).computrons.run;
      assert.ok(Math.abs(p.total.computrons - run) < 0.05 * run, `profile total ${p.total.computrons} vs run ${run}`);
    }
  }
  const text = cli('profile', modelFile);
  assert.equal(text.status, 0, text.stderr);
  const lines = text.stdout.trim().split('\n');
  assert.match(lines[0], /on node: median ms per invoke over 20 runs, slowest first/);
  assert.match(lines[lines.length - 1], /^\s+total\s+[\d.]+\s+100\.0%\s+336000$/);
});
