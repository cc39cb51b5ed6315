// CONV_2D's path per shape: chooseConvPath (src/kernels/internal/conv-path.ts) is a pure function
// of types, grouping, window length, output positions, the packed field, whether the folded
// offsets fit int32 and whether the weight cache granted the packed copy. The path numbers are
// read from conv-path.ts's const enum (erased from the build), so a renumbering cannot pass
// unnoticed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { chooseConvPath, positionGroup, windowGroup, wantsPackedWeights, fieldFor, MAX_PACKED_TERMS } from './lib/testing.mjs';
import { root } from './lib/cases.mjs';

const FLOAT32 = 0, INT32 = 2, INT8 = 9, INT64 = 4, INT16 = 7;

const enumSource = fs.readFileSync(path.join(root, 'src/kernels/internal/conv-path.ts'), 'utf8')
  .match(/export const enum ConvPath \{([^}]*)\}/)[1];
const Path = Object.fromEntries([...enumSource.matchAll(/(\w+)\s*=\s*(\d+)/g)].map(m => [m[1], Number(m[2])]));
const nameOf = p => Object.keys(Path).find(k => Path[k] === p) ?? `path ${p}`;

/** The chooser's view of a conv: input [b, h, w, inDepth], filter [outDepth, fH, fW, inDepth / groups]. */
function shape({ type = INT8, bias = INT32, batches = 1, outH, outW, fH, fW, inDepth, groups = 1, maxWeight = 127, offsetsFit = true, weightsFinite = type === FLOAT32 }) {
  const windowSize = fH * fW * (inDepth / groups);
  return {
    inputType: type, biasType: bias, groups, windowSize, positions: batches * outH * outW,
    field: type === INT8 && groups === 1 && windowSize <= MAX_PACKED_TERMS ? fieldFor(windowSize, maxWeight) : 0,
    offsetsFit, weightsFinite, convolve: false,
  };
}

function expectPath(s, granted, expected, what) {
  assert.equal(nameOf(chooseConvPath(s, granted)), expected, what);
}

test('the enum read from conv-path.ts names every path', () => {
  assert.deepEqual(Object.keys(Path).sort(), ['CONVOLVE', 'FLOAT', 'FLOAT_WINDOW', 'INT16_ACC32', 'INT16_ACC64', 'INT16_WINDOW_ACC32', 'INT16_WINDOW_ACC64', 'INT8', 'INT8_PACKED', 'INT8_QUAD']);
});

test('int8 1x1 without padding and 3x3 with padding take the quad path, with or without a cache grant', () => {
  // person_detect's pointwise layers: 1x1 over 32..256 channels, many positions.
  const pointwise = shape({ outH: 48, outW: 48, fH: 1, fW: 1, inDepth: 32 });
  const padded = shape({ outH: 96, outW: 96, fH: 3, fW: 3, inDepth: 8 });
  for (const [s, what] of [[pointwise, '1x1'], [padded, '3x3 SAME']]) {
    assert.equal(wantsPackedWeights(s), false, `${what}: many positions want no packed copy`);
    expectPath(s, false, 'INT8_QUAD', what);
    expectPath(s, true, 'INT8_QUAD', `${what}, cache granted`);
  }
  // Positions taken at a time: four for short windows, six or eight for longer ones.
  assert.equal(positionGroup(8, 2304), 4);
  assert.equal(positionGroup(72, 9216), 8);
  assert.equal(positionGroup(72, 6), 6);
  assert.equal(positionGroup(72, 16), 8);
});

test('int8 with few positions takes the packed path only when the weight cache grants it', () => {
  // A 1x1 output (the last conv of a classifier): one position, no shared weight read.
  const s = shape({ outH: 1, outW: 1, fH: 3, fW: 3, inDepth: 64 });
  assert.equal(wantsPackedWeights(s), true);
  expectPath(s, true, 'INT8_PACKED', 'granted');
  expectPath(s, false, 'INT8_QUAD', 'refused');
  const three = shape({ outH: 1, outW: 3, fH: 1, fW: 1, inDepth: 16 });
  expectPath(three, true, 'INT8_PACKED', 'three positions, granted');
  const four = shape({ outH: 2, outW: 2, fH: 1, fW: 1, inDepth: 16 });
  assert.equal(wantsPackedWeights(four), false);
  expectPath(four, true, 'INT8_QUAD', 'four positions: quad even when granted');
});

test('int8 falls back to the reference loops for grouped filters, long windows and offsets beyond int32', () => {
  const grouped = shape({ outH: 8, outW: 8, fH: 3, fW: 3, inDepth: 16, groups: 2 });
  expectPath(grouped, false, 'INT8', 'grouped');
  expectPath(grouped, true, 'INT8', 'grouped, granted');
  assert.equal(wantsPackedWeights(shape({ outH: 1, outW: 1, fH: 3, fW: 3, inDepth: 16, groups: 2 })), false);
  // The longest window the fields hold, and one value more.
  const longest = shape({ outH: 1, outW: 8, fH: 1, fW: 1, inDepth: MAX_PACKED_TERMS });
  assert.notEqual(longest.field, 0);
  expectPath(longest, false, 'INT8_QUAD', `${MAX_PACKED_TERMS} values`);
  expectPath(shape({ outH: 1, outW: 8, fH: 1, fW: 1, inDepth: MAX_PACKED_TERMS + 1 }), false, 'INT8', `${MAX_PACKED_TERMS + 1} values`);
  expectPath(shape({ outH: 1, outW: 1, fH: 1, fW: 1, inDepth: MAX_PACKED_TERMS + 1 }), true, 'INT8', 'too long, granted');
  const far = shape({ outH: 8, outW: 8, fH: 3, fW: 3, inDepth: 8, offsetsFit: false });
  expectPath(far, false, 'INT8', 'offsets beyond int32');
  expectPath({ ...far, positions: 1 }, true, 'INT8', 'offsets beyond int32, one position, granted');
});

test('float32 and 16x8 take the window paths when ungrouped (float: finite constant weights), else the reference, whatever the grant', () => {
  for (const granted of [false, true]) {
    expectPath(shape({ type: FLOAT32, bias: FLOAT32, outH: 1, outW: 1, fH: 1, fW: 1, inDepth: 4 }), granted, 'FLOAT_WINDOW', 'float 1x1');
    expectPath(shape({ type: FLOAT32, bias: FLOAT32, outH: 32, outW: 32, fH: 3, fW: 3, inDepth: 16 }), granted, 'FLOAT_WINDOW', 'float 3x3');
    expectPath(shape({ type: FLOAT32, bias: FLOAT32, outH: 8, outW: 8, fH: 3, fW: 3, inDepth: 8, weightsFinite: false }), granted, 'FLOAT', 'float, weights not constant or not finite');
    expectPath(shape({ type: FLOAT32, bias: FLOAT32, outH: 8, outW: 8, fH: 3, fW: 3, inDepth: 8, groups: 2 }), granted, 'FLOAT', 'float grouped');
    expectPath(shape({ type: INT16, bias: INT64, outH: 1, outW: 1, fH: 3, fW: 3, inDepth: 8 }), granted, 'INT16_WINDOW_ACC64', '16x8, int64 bias');
    expectPath(shape({ type: INT16, bias: INT32, outH: 2, outW: 160, fH: 7, fW: 7, inDepth: 2 }), granted, 'INT16_WINDOW_ACC32', '16x8, int32 bias');
    expectPath(shape({ type: INT16, bias: INT64, outH: 8, outW: 8, fH: 1, fW: 1, inDepth: 8, groups: 4 }), granted, 'INT16_ACC64', '16x8 grouped, int64 bias');
    expectPath(shape({ type: INT16, bias: INT32, outH: 8, outW: 8, fH: 1, fW: 1, inDepth: 8, groups: 4 }), granted, 'INT16_ACC32', '16x8 grouped, int32 bias');
  }
  // Positions at a time on the window paths: eight when there are eight and their windows fit 8 KB, else four (the rest repeat the first).
  assert.equal(windowGroup(320, 98 * 2), 8, 'seanet 7x7x2 int16 windows');
  assert.equal(windowGroup(8, 0), 8, 'read in place');
  assert.equal(windowGroup(7, 0), 4);
  assert.equal(windowGroup(1, 0), 4);
  assert.equal(windowGroup(1024, 1024), 8, '8 KB of windows');
  assert.equal(windowGroup(1024, 3 * 3 * 64 * 4), 4, 'float 3x3x64 windows: 18 KB for eight');
  for (const s of [shape({ type: FLOAT32, outH: 1, outW: 1, fH: 1, fW: 1, inDepth: 4 }), shape({ type: INT16, outH: 1, outW: 1, fH: 1, fW: 1, inDepth: 4 })]) {
    assert.equal(wantsPackedWeights(s), false, 'only int8 asks for the weight cache');
  }
});
