// `tflite-xs diff`: layer by layer against reference TFLite. Agreement on a golden case where both
// agree; on mlperf_ad_int8_0, where reference TFLite's optimized kernels round up to 2 LSB away
// from TFLM's, it names the first operator whose output differs.
import test from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { readModel } from './lib/tflite.mjs';
import { runReference, referenceAvailable } from './lib/host.mjs';
import { runOursByOperator, withOutputs, operatorOutputs } from './lib/testing.mjs';
import { casesDir, noCases, bytesOf } from './lib/cases.mjs';
import { cli } from './lib/cli.mjs';

const haveReference = await referenceAvailable();
const skip = noCases || (!haveReference && 'reference TFLite (@tensorflow/tfjs-tflite) is not installed');
const caseFiles = name => ({ model: path.join(casesDir, name, 'model.tflite'), input: path.join(casesDir, name, 'input0.bin'), output: path.join(casesDir, name, 'output0.bin') });

test('our operator-by-operator run ends in the golden output (TFLM\'s)', { skip: noCases }, () => {
  for (const name of ['mlperf_ad_int8_0', 'micro_speech_random_1']) {
    const f = caseFiles(name);
    const model = readModel(bytesOf(f.model));
    const perOp = runOursByOperator(model, [bytesOf(f.input)]);
    const g = model.subgraphs[0];
    const last = g.operators.length - 1;
    assert.equal(g.operators[last].outputs[0], g.outputs[0]);
    assert.deepEqual(perOp[last][0], bytesOf(f.output), name);
  }
});

test('a model patched to output its intermediates gives reference TFLite\'s same final output', { skip }, async () => {
  const f = caseFiles('mlperf_ad_int8_0');
  const bytes = bytesOf(f.model), input = bytesOf(f.input);
  const model = readModel(bytes);
  const tensors = operatorOutputs(model);
  const patched = withOutputs(bytes, tensors);
  assert.deepEqual(Array.from(readModel(patched).subgraphs[0].outputs), tensors, 'our reader sees the new outputs');
  let changed = 0;
  for (let i = 0; i < bytes.length; i++) if (patched[i] !== bytes[i]) changed++;
  assert.ok(changed <= 4, `only the outputs field's offset changes, not ${changed} bytes`);
  const [plain] = await runReference(bytes, [input]);
  const all = await runReference(patched, [input]);
  assert.equal(all.length, tensors.length);
  assert.deepEqual(all[tensors.indexOf(model.subgraphs[0].outputs[0])], plain);
});

test('diff: agreement on micro_speech and hello_world is exit 0 and says so', { skip }, () => {
  const exact = caseFiles('micro_speech_random_1');
  const r = cli('diff', exact.model, '--input', exact.input);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  const model = readModel(bytesOf(exact.model));
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines.length, model.subgraphs[0].operators.length + 1);
  model.subgraphs[0].operators.forEach((op, i) => assert.match(lines[i], new RegExp(`^${i}\\s+${op.opName}\\s+max diff 0 LSB`)));
  assert.match(lines.at(-1), /^identical: 4 tensors of 4 operators agree with reference TFLite bit for bit$/);

  // Float: XNNPACK sums in another order; within the default relative tolerance it agrees,
  // with none it does not.
  const float = caseFiles('hello_world_float_0');
  const json = JSON.parse(cli('diff', float.model, '--input', float.input, '--json').stdout);
  assert.equal(json.agree, true);
  assert.equal(json.firstDifference, null);
  assert.ok(json.operators.every(o => o.outputs.every(d => d.maxDiff < 1e-5)));
  const strict = cli('diff', float.model, '--input', float.input, '--float-tolerance', '0', '--json');
  const strictJson = JSON.parse(strict.stdout);
  assert.equal(strict.status, strictJson.exact ? 0 : 1);
});

test('diff: on mlperf_ad_int8_0 it names the first differing tensor and by how much (exit 1)', { skip }, async () => {
  const f = caseFiles('mlperf_ad_int8_0');
  const r = cli('diff', f.model, '--input', f.input, '--json');
  assert.equal(r.status, 1, r.stderr);
  const json = JSON.parse(r.stdout);
  assert.equal(json.agree, false);
  const first = json.firstDifference;
  // Every operator before it agrees; its own output differs; the final output differs from
  // TFLM's golden output by what reference TFLite's plain run says.
  const at = json.operators.findIndex(o => o.outputs.some(d => d.differing > 0));
  assert.equal(first.operator, at);
  assert.ok(json.operators.slice(0, at).every(o => o.outputs.every(d => d.maxDiff === 0)));
  assert.ok(first.maxDiff >= 1 && first.unit === 'LSB' && first.differing > 0);
  const model = readModel(bytesOf(f.model));
  assert.equal(first.tensor, model.subgraphs[0].operators[at].outputs[0]);
  assert.equal(first.name, model.subgraphs[0].tensors[first.tensor].name);
  const [reference] = await runReference(bytesOf(f.model), [bytesOf(f.input)]);
  const golden = new Int8Array(bytesOf(f.output).buffer);
  const finalMax = Math.max(...Array.from(golden, (v, i) => Math.abs(v - reference[i])));
  assert.ok(finalMax > 0 && finalMax <= 2, `reference vs TFLM: ${finalMax} LSB`);
  assert.equal(json.operators.at(-1).outputs[0].maxDiff, finalMax);

  const text = cli('diff', f.model, '--input', f.input);
  assert.equal(text.status, 1);
  assert.match(text.stdout, new RegExp(`^first difference: operator ${at} FULLY_CONNECTED, output tensor ${first.tensor} ".*" int8 \\[1, 128\\]: ${first.differing} of 128 values differ, by up to ${first.maxDiff} LSB \\(`, 'm'));
  // --tolerance 2 accepts TFLite's rounding.
  assert.equal(cli('diff', f.model, '--input', f.input, '--tolerance', '2').status, 0);
});

test('diff: usage and input mistakes', () => {
  const help = cli('diff', '--help');
  assert.equal(help.status, 0);
  assert.match(help.stdout, /^usage: tflite-xs diff MODEL.tflite/);
  const missing = cli('diff', path.join(casesDir, 'no-such.tflite'));
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /^tflite-xs diff: cannot read model .*no-such\.tflite: no such file\n$/);
  const bad = cli('diff', 'm.tflite', '--float-tolerance', '-1');
  assert.equal(bad.status, 2);
  assert.equal(bad.stderr, 'tflite-xs diff: --float-tolerance takes a number of at least 0, not "-1"\n');
  assert.match(cli('--help').stdout, /tflite-xs diff MODEL\.tflite/);
});

test('diff without inputs feeds seeded pseudo-random ones', { skip }, () => {
  const f = caseFiles('hello_world_int8_0');
  const a = cli('diff', f.model, '--json', '--seed', '3'), b = cli('diff', f.model, '--json', '--seed', '3');
  assert.equal(a.status, 0, a.stderr);
  assert.equal(a.stdout, b.stdout);
  assert.equal(JSON.parse(a.stdout).agree, true);
});
