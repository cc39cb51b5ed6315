// chooseDepthwisePath (src/kernels/internal/depthwise-path.ts): the path DEPTHWISE_CONV_2D takes
// per shape, type, constant operands and weight cache budget. The module is not part of the
// public bundles, so it is transpiled here (with its imports) on its own.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FILES = ['core/schema.ts', 'core/types.ts', 'kernels/internal/packed-dot.ts', 'kernels/internal/convolve.ts', 'kernels/internal/depthwise-path.ts'];

async function loadChooser() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'depthwise-path-'));
  for (const file of FILES) {
    const source = fs.readFileSync(path.join(root, 'src', file), 'utf8');
    const out = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.ES2020, target: ts.ScriptTarget.ES2020, preserveConstEnums: true },
    }).outputText;
    const target = path.join(dir, file.replace(/\.ts$/, '.js'));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, out);
  }
  return import(pathToFileURL(path.join(dir, 'kernels/internal/depthwise-path.js')).href);
}

const { chooseDepthwisePath, DEPTHWISE_PATH_NAMES } = await loadChooser();
const FLOAT32 = 0, INT16 = 7, INT8 = 9;

/** An int8, constant, quick 3x3 depthwise layer with depth multiplier 1 (MobileNet's), changed by `o`. */
function shape(o = {}) {
  return {
    type: INT8, filterHeight: 3, filterWidth: 3, inputDepth: 16, depthMultiplier: 1, strideWidth: 1, dilationWidth: 1,
    weightsConstant: true, biasConstant: true, maxAbsWeight: 127, quick: true, weightCacheBytes: 0, convolve: false, ...o,
  };
}

function pathOf(o) {
  return DEPTHWISE_PATH_NAMES[chooseDepthwisePath(shape(o)).path];
}

test('float32 3x3 with finite constant weights takes the ring of padded rows, other float32 the window loops; 16x8 has one path', () => {
  assert.equal(pathOf({ type: FLOAT32 }), 'FLOAT', 'finiteness not established');
  assert.equal(pathOf({ type: FLOAT32, weightsFinite: true }), 'FLOAT_3X3');
  assert.equal(pathOf({ type: FLOAT32, weightsFinite: true, strideWidth: 2, dilationWidth: 2, depthMultiplier: 3 }), 'FLOAT_3X3');
  assert.equal(pathOf({ type: FLOAT32, weightsFinite: true, weightsConstant: false }), 'FLOAT', 'weights computed by the graph');
  assert.equal(pathOf({ type: FLOAT32, weightsFinite: false }), 'FLOAT', 'an infinite or NaN weight');
  assert.equal(pathOf({ type: FLOAT32, weightsFinite: true, filterHeight: 5, filterWidth: 5 }), 'FLOAT', '5x5');
  assert.equal(pathOf({ type: FLOAT32, filterHeight: 10, filterWidth: 8, depthMultiplier: 8, weightCacheBytes: 1 << 24 }), 'FLOAT');
  assert.equal(pathOf({ type: INT16 }), 'INT16');
  assert.equal(pathOf({ type: INT16, filterHeight: 2, filterWidth: 3, depthMultiplier: 4, weightCacheBytes: 1 << 24 }), 'INT16');
});

test('int8 3x3: rows slid in place when constant, quick, stride 1 or 2 across and no dilation across; else the ring', () => {
  assert.equal(pathOf({}), 'INT8_SLIDE');                                  // person_detect, kws, vww
  assert.equal(pathOf({ strideWidth: 2 }), 'INT8_SLIDE');
  assert.equal(pathOf({ depthMultiplier: 8, inputDepth: 1, strideWidth: 2 }), 'INT8_SLIDE'); // person_detect's first layer
  assert.equal(pathOf({ quick: false }), 'INT8_3X3');
  assert.equal(pathOf({ strideWidth: 3 }), 'INT8_3X3');
  assert.equal(pathOf({ dilationWidth: 2 }), 'INT8_3X3');
  assert.equal(pathOf({ weightsConstant: false }), 'INT8_3X3');
  assert.equal(pathOf({ biasConstant: false }), 'INT8_3X3');
  // A 3x3 filter with a multiplier never takes the pair paths, even with a cache.
  assert.equal(pathOf({ depthMultiplier: 4, weightCacheBytes: 1 << 24 }), 'INT8_SLIDE');
});

test('int8 depth multiplier 1 with other filters, or windows too long to pack: window loops', () => {
  assert.equal(pathOf({ filterHeight: 5, filterWidth: 5 }), 'INT8');
  assert.equal(pathOf({ filterHeight: 1, filterWidth: 3, weightCacheBytes: 1 << 24 }), 'INT8');
  assert.equal(pathOf({ filterHeight: 1, filterWidth: 2048, depthMultiplier: 2, weightCacheBytes: 1 << 30 }), 'INT8');
  assert.equal(pathOf({ filterHeight: 45, filterWidth: 46, depthMultiplier: 2, inputDepth: 1 }), 'INT8');
  assert.equal(pathOf({ filterHeight: 45, filterWidth: 45, depthMultiplier: 2, inputDepth: 1 }), 'INT8_QUAD');
});

test('int8 multiplier 2 or more: four positions at a time in place, packed pairs only within the weight cache', () => {
  const gathered = { filterHeight: 2, filterWidth: 3, depthMultiplier: 4, inputDepth: 3 };
  const inPlace = chooseDepthwisePath(shape(gathered));
  assert.equal(DEPTHWISE_PATH_NAMES[inPlace.path], 'INT8_QUAD');
  assert.equal(inPlace.field, 8388608);
  assert.equal(inPlace.packedBytes, 0);
  const wanted = chooseDepthwisePath(shape({ ...gathered, weightCacheBytes: Infinity }));
  assert.equal(DEPTHWISE_PATH_NAMES[wanted.path], 'INT8_PACKED');
  assert.equal(wanted.rowMode, false);
  // 4 channels: 2 pairs padded to a group of 4; 6 taps in one chunk of 8; per input channel.
  assert.equal(wanted.packedLength, 3 * 4 * 8);
  assert.equal(wanted.packedBytes, 4 * wanted.packedLength);
  assert.equal(pathOf({ ...gathered, weightCacheBytes: wanted.packedBytes }), 'INT8_PACKED');
  assert.equal(pathOf({ ...gathered, weightCacheBytes: wanted.packedBytes - 1 }), 'INT8_QUAD');
  // Rows of 16 in place from a ring (input depth 1).
  const rows = chooseDepthwisePath(shape({ filterHeight: 2, filterWidth: 16, depthMultiplier: 3, inputDepth: 1, weightCacheBytes: Infinity }));
  assert.equal(DEPTHWISE_PATH_NAMES[rows.path], 'INT8_PACKED');
  assert.equal(rows.rowMode, true);
  // Wide field: 400 taps of |w| <= 127 need 2^26 fields, held as doubles.
  const wide = chooseDepthwisePath(shape({ filterHeight: 20, filterWidth: 20, depthMultiplier: 2, inputDepth: 1, weightCacheBytes: Infinity }));
  assert.equal(wide.field, 67108864);
  assert.equal(wide.packedBytes, 8 * wide.packedLength);
  // Weights computed by the graph: the field assumes |w| up to 128.
  assert.equal(chooseDepthwisePath(shape({ filterHeight: 16, filterWidth: 16, depthMultiplier: 2, maxAbsWeight: 1, weightsConstant: false })).field, 67108864);
  assert.equal(chooseDepthwisePath(shape({ filterHeight: 16, filterWidth: 16, depthMultiplier: 2, maxAbsWeight: 1 })).field, 8388608);
});

test('int8 rows of 8 taps or more and multipliers of 8: in place even with a weight cache (micro_speech)', () => {
  assert.equal(pathOf({ filterHeight: 10, filterWidth: 8, depthMultiplier: 8, inputDepth: 1, strideWidth: 2, weightCacheBytes: Infinity }), 'INT8_QUAD');
  assert.equal(pathOf({ filterHeight: 4, filterWidth: 8, depthMultiplier: 16, inputDepth: 2, weightCacheBytes: Infinity }), 'INT8_QUAD');
  assert.equal(pathOf({ filterHeight: 4, filterWidth: 8, depthMultiplier: 12, inputDepth: 2, weightCacheBytes: Infinity }), 'INT8_PACKED');
});
