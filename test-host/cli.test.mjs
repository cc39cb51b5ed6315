// The command line: outputs, --json, N-step inputs, and one clear stderr line for each mistake.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { casesDir, haveCases } from './lib/cases.mjs';

const bin = new URL('../bin/tflite-xs.js', import.meta.url).pathname;
const cli = (...args) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
const skip = !haveCases && 'no shared fixtures';
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
