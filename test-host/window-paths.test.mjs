// The fast paths against the reference loops, bit for bit, in tflite-xs itself: each seeded
// random case (the differential generators) runs once with constant weights, as converters
// write them (the choosers' fast paths: conv/depthwise window and ring paths, 16x8 transpose
// conv's window path; FC's float path takes either form), and once
// with the weights as a graph input, which the choosers send to the reference loops. Float
// outputs must match to the bit, not within a tolerance: the fast paths keep TFLM's order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateCase, caseSeed, caseBytes, referenceForm, runOurs } from './lib/testing.mjs';

const PER_OP = Number(process.env.WINDOW_CASES ?? 150);

for (const op of ['CONV_2D', 'DEPTHWISE_CONV_2D', 'FULLY_CONNECTED', 'TRANSPOSE_CONV']) {
  test(`${op}: constant weights (fast paths) equal weights as input (reference loops) bit for bit`, () => {
    let compared = 0;
    for (let i = 0; i < PER_OP; i++) {
      const seed = caseSeed(20261207, i);
      const c = generateCase(op, seed);
      const ref = referenceForm(c);
      if (ref.inputs.length === c.inputs.length) continue; // no constant weights to move
      const fast = runOurs(caseBytes(c), c.inputs, c.steps);
      const slow = runOurs(ref.bytes, ref.inputs, c.steps);
      assert.equal(fast.length, slow.length);
      for (let k = 0; k < fast.length; k++) {
        const a = new Uint8Array(fast[k].buffer, fast[k].byteOffset, fast[k].byteLength);
        const b = new Uint8Array(slow[k].buffer, slow[k].byteOffset, slow[k].byteLength);
        assert.deepEqual(a, b, `${op} case ${seed} (DIFF_REPLAY=${op}:${seed}), output ${k}`);
      }
      compared++;
    }
    assert.ok(compared > PER_OP / 2, `${compared} cases compared`);
  });
}

test('multiplyByQuantizedMultiplier64Quick equals multiplyByQuantizedMultiplier64 (random and edge accumulators, multipliers, shifts)', async () => {
  const { multiplyByQuantizedMultiplier64: exact, multiplyByQuantizedMultiplier64Quick: quick } = await import('./lib/testing.mjs');
  let seed = 12345;
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const edges = [0, 1, -1, 2 ** 37 - 1, -(2 ** 37) + 1, 2 ** 37, -(2 ** 37), 2 ** 40 + 3, -(2 ** 45) - 7, 2 ** 31, -(2 ** 31), 12345678901];
  for (let i = 0; i < 20000; i++) {
    const x = i < edges.length ? edges[i] : Math.round((next() - 0.5) * 2 ** (1 + Math.floor(next() * 44)));
    const m = i % 7 === 0 ? 0x7fffffff : 0x40000000 + Math.floor(next() * 0x3fffffff);
    const shift = -Math.floor(next() * 34) + (i % 11 === 0 ? 16 : 0);
    assert.equal(quick(x, m, shift), exact(x, m, shift), `x ${x} multiplier ${m} shift ${shift}`);
  }
});
