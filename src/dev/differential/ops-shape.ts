// Differential generators of the "shape" group (issue 11): random single-op models of the ops
// reference TFLite also runs, each with the types TFLM's kernel accepts. Merged into GENERATORS
// (ops.ts) with one spread line.
import { act, CaseBuilder, count, quantFor, randomData, randomRange, type DiffCase, type QuantParams } from './build.js';
import type { Rng } from './rng.js';

type Generator = (rng: Rng) => DiffCase;

function finish(op: string, type: string, params: Record<string, unknown>, b: CaseBuilder, extra: Partial<DiffCase> = {}): DiffCase {
  return { op, type, params, model: b.model(`differential ${op} ${type}`), inputs: b.inputData, steps: 1, lsbTolerance: 0, ...extra };
}

function randomShape(rng: Rng, rank: number, maxDim = 5): number[] {
  return Array.from({ length: rank }, () => rng.int(1, maxDim));
}

function withQuant(rng: Rng, type: string): QuantParams | undefined {
  if (type === 'int8' || type === 'int16' || type === 'uint8') return quantFor(type, ...randomRange(rng, 3));
  return undefined;
}

function dataInput(b: CaseBuilder, rng: Rng, type: string, shape: number[], q?: QuantParams): number {
  const data = type === 'int32' ? randomData(rng, type, count(shape), -100000, 100000) : randomData(rng, type, count(shape), -5, 5);
  return b.input(act(type, shape, q), data);
}

const reverseV2: Generator = rng => {
  const type = rng.pick(['float32', 'int8', 'int16', 'int32', 'uint8', 'bool']);
  const rank = rng.int(1, 5);
  const shape = randomShape(rng, rank, 4);
  const first = rng.int(0, rank - 1), n = rng.int(1, rank - first);
  const axes = Array.from({ length: n }, (_, i) => first + i).map(a => (rng.bool(0.3) ? a - rank : a));
  if (rng.bool()) axes.reverse();
  const q = withQuant(rng, type);
  const b = new CaseBuilder();
  const input = dataInput(b, rng, type, shape, q);
  const axis = b.constant({ type: 'int32', shape: [n] }, Int32Array.from(axes));
  const output = b.output(act(type, shape, q));
  b.op({ op: 'REVERSE_V2', inputs: [input, axis], outputs: [output] });
  // The reference build reverses along the first axis only (TFLite's older one-axis kernel).
  return finish('REVERSE_V2', type, { shape, axes }, b, n > 1 ? { skipReference: 'reference TFLite reverses along its first axis only' } : {});
};

const batchToSpace: Generator = rng => {
  const type = rng.pick(['float32', 'int8']);
  const four = rng.bool(0.7);
  const bh = rng.int(1, 3), bw = four ? rng.int(1, 3) : 1;
  const batch = rng.int(1, 2), h = rng.int(1, 4), w = four ? rng.int(1, 4) : 1, c = rng.int(1, 3);
  const crops = [rng.int(0, Math.min(2, h * bh - 1)), 0, four ? rng.int(0, Math.min(2, w * bw - 1)) : 0, 0];
  crops[1] = rng.int(0, Math.min(2, h * bh - 1 - crops[0]));
  if (four) crops[3] = rng.int(0, Math.min(2, w * bw - 1 - crops[2]));
  const inShape = four ? [batch * bh * bw, h, w, c] : [batch * bh, h, c];
  const outShape = four ? [batch, h * bh - crops[0] - crops[1], w * bw - crops[2] - crops[3], c] : [batch, h * bh - crops[0] - crops[1], c];
  const q = withQuant(rng, type);
  const b = new CaseBuilder();
  const input = dataInput(b, rng, type, inShape, q);
  const block = b.constant({ type: 'int32', shape: [four ? 2 : 1] }, four ? Int32Array.of(bh, bw) : Int32Array.of(bh));
  const cropT = b.constant({ type: 'int32', shape: [four ? 2 : 1, 2] }, Int32Array.from(four ? crops : crops.slice(0, 2)));
  const output = b.output(act(type, outShape, q));
  b.op({ op: 'BATCH_TO_SPACE_ND', inputs: [input, block, cropT], outputs: [output] });
  return finish('BATCH_TO_SPACE_ND', type, { inShape, block: [bh, bw], crops }, b);
};

const spaceToBatch: Generator = rng => {
  const type = rng.pick(['float32', 'int8']);
  const four = rng.bool(0.7);
  const bh = rng.int(1, 3), bw = four ? rng.int(1, 3) : 1;
  const batch = rng.int(1, 2), h = rng.int(1, 5), w = four ? rng.int(1, 5) : 1, c = rng.int(1, 3);
  const pad = (size: number, block: number): [number, number] => {
    const before = rng.int(0, 2);
    let after = rng.int(0, 2);
    while ((size + before + after) % block !== 0) after++;
    return [before, after];
  };
  const [pt, pb] = pad(h, bh), [pl, pr] = four ? pad(w, bw) : [0, 0];
  const inShape = four ? [batch, h, w, c] : [batch, h, c];
  const oh = (h + pt + pb) / bh, ow = (w + pl + pr) / bw;
  const outShape = four ? [batch * bh * bw, oh, ow, c] : [batch * bh, oh, c];
  // TFLM pads int8 with a raw 0 (its output_offset is never set); reference TFLite pads with the
  // zero point: zero point 0 keeps both the same.
  const q = type === 'int8' ? { scale: rng.logFloat(0.01, 0.1), zeroPoint: 0 } : undefined;
  const b = new CaseBuilder();
  const input = dataInput(b, rng, type, inShape, q);
  const block = b.constant({ type: 'int32', shape: [four ? 2 : 1] }, four ? Int32Array.of(bh, bw) : Int32Array.of(bh));
  const padT = b.constant({ type: 'int32', shape: [four ? 2 : 1, 2] }, Int32Array.from(four ? [pt, pb, pl, pr] : [pt, pb]));
  const output = b.output(act(type, outShape, q));
  b.op({ op: 'SPACE_TO_BATCH_ND', inputs: [input, block, padT], outputs: [output] });
  return finish('SPACE_TO_BATCH_ND', type, { inShape, block: [bh, bw], paddings: [pt, pb, pl, pr] }, b);
};

function depthSpace(op: 'DEPTH_TO_SPACE' | 'SPACE_TO_DEPTH'): Generator {
  return rng => {
    const type = rng.pick(['float32', 'int8']);
    const bs = rng.int(1, 3);
    const n = rng.int(1, 2), h = rng.int(1, 3), w = rng.int(1, 3), c = rng.int(1, 3);
    const inShape = op === 'DEPTH_TO_SPACE' ? [n, h, w, c * bs * bs] : [n, h * bs, w * bs, c];
    const outShape = op === 'DEPTH_TO_SPACE' ? [n, h * bs, w * bs, c] : [n, h, w, c * bs * bs];
    const q = withQuant(rng, type);
    const b = new CaseBuilder();
    const input = dataInput(b, rng, type, inShape, q);
    const output = b.output(act(type, outShape, q));
    b.op({ op, inputs: [input], outputs: [output], options: { blockSize: bs } });
    return finish(op, type, { inShape, blockSize: bs }, b);
  };
}

const gatherNd: Generator = rng => {
  const type = rng.pick(['float32', 'int8']);
  const pRank = rng.int(1, 4);
  const params = randomShape(rng, pRank, 4);
  const nd = rng.int(1, pRank);
  const indexShape = [...randomShape(rng, rng.int(0, 2), 3), nd];
  const rows = count(indexShape) / nd;
  const indices = new Int32Array(rows * nd);
  for (let r = 0; r < rows; r++) for (let j = 0; j < nd; j++) indices[r * nd + j] = rng.int(0, params[j] - 1);
  const q = withQuant(rng, type);
  const b = new CaseBuilder();
  const input = dataInput(b, rng, type, params, q);
  const index = rng.bool() ? b.constant({ type: 'int32', shape: indexShape }, indices) : b.input({ type: 'int32', shape: indexShape }, indices);
  const output = b.output(act(type, [...indexShape.slice(0, -1), ...params.slice(nd)], q));
  b.op({ op: 'GATHER_ND', inputs: [input, index], outputs: [output] });
  return finish('GATHER_ND', type, { params, indexShape }, b);
};

const mirrorPad: Generator = rng => {
  const type = rng.pick(['float32', 'int8']);
  const mode = rng.int(0, 1);
  const rank = rng.int(1, 4);
  const shape = randomShape(rng, rank, 4);
  const pads = shape.flatMap(d => [rng.int(0, d - (mode === 0 ? 1 : 0)), rng.int(0, d - (mode === 0 ? 1 : 0))]);
  const out = shape.map((d, i) => d + pads[2 * i] + pads[2 * i + 1]);
  const q = withQuant(rng, type);
  const b = new CaseBuilder();
  const input = dataInput(b, rng, type, shape, q);
  const padT = b.constant({ type: 'int32', shape: [rank, 2] }, Int32Array.from(pads));
  const output = b.output(act(type, out, q));
  b.op({ op: 'MIRROR_PAD', inputs: [input, padT], outputs: [output], options: { mode } });
  return finish('MIRROR_PAD', type, { shape, pads, mode }, b);
};

const batchMatMul: Generator = rng => {
  const type = rng.pick(['float32', 'int8', 'int8', 'int16']);
  const m = rng.int(1, 5), k = rng.int(1, 8), n = rng.int(1, 5);
  const batchRank = rng.int(0, 2);
  const batches = randomShape(rng, batchRank, 3);
  const lBatch = batches.map(d => (rng.bool(0.25) ? 1 : d)), rBatch = batches.map(d => (rng.bool(0.25) ? 1 : d));
  // Sometimes one operand has fewer batch dimensions (broadcast from the left).
  const rDrop = batchRank > 0 && rng.bool(0.3) ? rng.int(1, batchRank) : 0;
  const adjX = rng.bool(0.3), adjY = rng.bool(0.3);
  const lShape = [...lBatch, ...(adjX ? [k, m] : [m, k])];
  const rShape = [...rBatch.slice(rDrop), ...(adjY ? [n, k] : [k, n])];
  const outShape = [...batches.map((_, i) => Math.max(lBatch[i], i >= rDrop ? rBatch[i] : 1)), m, n];
  const b = new CaseBuilder();
  let lq: QuantParams | undefined, rq: QuantParams | undefined, oq: QuantParams | undefined;
  if (type === 'int8') {
    lq = quantFor('int8', ...randomRange(rng, 2));
    rq = quantFor('int8', ...randomRange(rng, 2));
    const spread = 2 * 2 * Math.sqrt(k);
    oq = quantFor('int8', -spread, spread);
  } else if (type === 'int16') {
    lq = { scale: rng.logFloat(1e-4, 1e-3), zeroPoint: 0 };
    rq = { scale: rng.logFloat(1e-4, 1e-3), zeroPoint: 0 };
    oq = { scale: rng.logFloat(1e-3, 1e-1), zeroPoint: 0 };
  }
  const lhs = b.input(act(type, lShape, lq), randomData(rng, type, count(lShape), -2, 2));
  const rData = randomData(rng, type, count(rShape), -2, 2);
  const rhs = rng.bool(0.4) ? b.constant(act(type, rShape, rq), rData) : b.input(act(type, rShape, rq), rData);
  const output = b.output(act(type, outShape, oq));
  b.op({ op: 'BATCH_MATMUL', inputs: [lhs, rhs], outputs: [output], options: { adjX, adjY } });
  // TFLM requantizes with two roundings (SaturatingRoundingDoublingHighMul, then a rounding shift),
  // reference TFLite's build with one: 1 LSB apart now and then, as for FULLY_CONNECTED.
  return finish('BATCH_MATMUL', type, { lShape, rShape, adjX, adjY }, b, type === 'float32' ? {} : {
    lsbTolerance: 1, toleranceReason: 'reference TFLite requantizes with one rounding where TFLM rounds twice',
  });
};

const embeddingLookup: Generator = rng => {
  const type = rng.pick(['float32', 'int8']);
  const valueShape = [rng.int(1, 6), ...randomShape(rng, rng.int(1, 3), 4)];
  const n = rng.int(1, 6);
  const rows = Int32Array.from({ length: n }, () => rng.int(0, valueShape[0] - 1));
  const q = withQuant(rng, type);
  const b = new CaseBuilder();
  const lookup = b.input({ type: 'int32', shape: [n] }, rows);
  const value = rng.bool() ? b.constant(act(type, valueShape, q), randomData(rng, type, count(valueShape), -5, 5)) : dataInput(b, rng, type, valueShape, q);
  const output = b.output(act(type, [n, ...valueShape.slice(1)], q));
  b.op({ op: 'EMBEDDING_LOOKUP', inputs: [lookup, value], outputs: [output] });
  return finish('EMBEDDING_LOOKUP', type, { valueShape, rows: Array.from(rows) }, b);
};

// -- BROADCAST_TO, BROADCAST_ARGS, CUMSUM, DYNAMIC_UPDATE_SLICE, L2_POOL_2D

const broadcastTo: Generator = rng => {
  const type = rng.pick(['float32', 'int8', 'int16', 'int32', 'uint8', 'bool']);
  const rank = rng.int(1, 5);
  const outShape = randomShape(rng, rank, 3);
  const inRank = rng.int(0, rank);
  const inShape = outShape.slice(rank - inRank).map(d => (rng.bool(0.4) ? 1 : d));
  const q = withQuant(rng, type);
  const b = new CaseBuilder();
  const input = dataInput(b, rng, type, inShape, q);
  const int64 = rng.bool(0.3);
  const shape = int64
    ? b.constant({ type: 'int64', shape: [rank] }, BigInt64Array.from(outShape, v => BigInt(v)))
    : b.constant({ type: 'int32', shape: [rank] }, Int32Array.from(outShape));
  const output = b.output(act(type, outShape, q));
  b.op({ op: 'BROADCAST_TO', inputs: [input, shape], outputs: [output] });
  return finish('BROADCAST_TO', type, { inShape, outShape, int64 }, b, { skipReference: 'the reference TFLite build has no BROADCAST_TO kernel' });
};

const broadcastArgs: Generator = rng => {
  const rank = rng.int(1, 5);
  const full = randomShape(rng, rank, 5);
  const part = (n: number) => full.slice(rank - n).map(d => (rng.bool(0.4) ? 1 : d));
  const aLen = rng.int(0, rank), bLen = rank;
  const a = part(aLen), bShape = part(bLen);
  if (rng.bool()) bShape.forEach((_, i) => { if (i >= rank - aLen && a[i - (rank - aLen)] === 1) bShape[i] = full[i]; });
  const b = new CaseBuilder();
  const x = b.input({ type: 'int32', shape: [aLen] }, Int32Array.from(a));
  const y = b.input({ type: 'int32', shape: [bLen] }, Int32Array.from(bShape));
  const output = b.output({ type: 'int32', shape: [rank] });
  const swap = rng.bool();
  b.op({ op: 'BROADCAST_ARGS', inputs: swap ? [y, x] : [x, y], outputs: [output] });
  return finish('BROADCAST_ARGS', 'int32', { a, b: bShape, swap }, b);
};

const cumsum: Generator = rng => {
  const type = rng.pick(['float32', 'int8']);
  const rank = rng.int(1, 4);
  const shape = randomShape(rng, rank, 5);
  const axis = rng.int(-rank, rank - 1);
  const exclusive = rng.bool(), reverse = rng.bool();
  const b = new CaseBuilder();
  let qi: QuantParams | undefined, qo: QuantParams | undefined;
  if (type === 'int8') {
    qi = quantFor('int8', ...randomRange(rng, 2));
    const depth = shape[axis < 0 ? axis + rank : axis];
    qo = quantFor('int8', -2 * depth - 1, 2 * depth + 1);
  }
  const input = dataInput(b, rng, type, shape, qi);
  const axisT = rng.bool() ? b.constant({ type: 'int32', shape: [1] }, Int32Array.of(axis)) : b.input({ type: 'int32', shape: [1] }, Int32Array.of(axis));
  const output = b.output(act(type, shape, qo));
  b.op({ op: 'CUMSUM', inputs: [input, axisT], outputs: [output], options: { exclusive, reverse } });
  // TFLM's int8 CUMSUM starts its sums from the input offset (reference/cumsum.h) and requantizes
  // through a 2^20 shift: a different computation from any float reference.
  return finish('CUMSUM', type, { shape, axis, exclusive, reverse }, b,
    type === 'int8' ? { skipReference: 'reference TFLite has no int8 CUMSUM (TFLM-only integer path, checked in ops-shape2.test.mjs)' } : {});
};

const dynamicUpdateSlice: Generator = rng => {
  const type = rng.pick(['float32', 'int8', 'int16', 'int32']);
  const rank = rng.int(1, 4);
  const shape = randomShape(rng, rank, 5);
  const upShape = shape.map(d => rng.int(0, d));
  if (!upShape.every(d => d > 0) && rng.bool(0.8)) upShape.forEach((d, i) => { if (d === 0) upShape[i] = 1; });
  const starts = shape.map((d, i) => rng.int(-2, d - upShape[i] + 2));
  const q = withQuant(rng, type);
  const b = new CaseBuilder();
  const operand = dataInput(b, rng, type, shape, q);
  const update = dataInput(b, rng, type, upShape, q);
  const idx = rng.bool() ? b.constant({ type: 'int32', shape: [rank] }, Int32Array.from(starts)) : b.input({ type: 'int32', shape: [rank] }, Int32Array.from(starts));
  const output = b.output(act(type, shape, q));
  b.op({ op: 'DYNAMIC_UPDATE_SLICE', inputs: [operand, update, idx], outputs: [output] });
  return finish('DYNAMIC_UPDATE_SLICE', type, { shape, upShape, starts }, b,
    upShape.some(d => d === 0) ? { skipReference: 'reference TFLite is not run on an empty update' }
      : type === 'int16' ? { skipReference: 'reference TFLite has no int16 DYNAMIC_UPDATE_SLICE' } : {});
};

const l2Pool: Generator = rng => {
  const n = rng.int(1, 2), h = rng.int(1, 7), w = rng.int(1, 7), c = rng.int(1, 4);
  const fh = rng.int(1, 3), fw = rng.int(1, 3), sh = rng.int(1, 3), sw = rng.int(1, 3);
  let padding = rng.int(0, 1);
  if (padding === 1 && (h < fh || w < fw)) padding = 0;
  const out = (size: number, f: number, s: number) => (padding === 0 ? Math.ceil(size / s) : Math.floor((size - f) / s) + 1);
  const outShape = [n, out(h, fh, sh), out(w, fw, sw), c];
  const activation = rng.pick([0, 1, 2, 3]);
  const b = new CaseBuilder();
  const input = dataInput(b, rng, 'float32', [n, h, w, c]);
  const output = b.output(act('float32', outShape));
  b.op({ op: 'L2_POOL_2D', inputs: [input], outputs: [output], options: { padding, strideW: sw, strideH: sh, filterWidth: fw, filterHeight: fh, fusedActivationFunction: activation } });
  return finish('L2_POOL_2D', 'float32', { shape: [n, h, w, c], filter: [fh, fw], stride: [sh, sw], padding, activation }, b);
};

export const SHAPE_GENERATORS: Record<string, Generator> = {
  REVERSE_V2: reverseV2,
  BATCH_TO_SPACE_ND: batchToSpace,
  SPACE_TO_BATCH_ND: spaceToBatch,
  DEPTH_TO_SPACE: depthSpace('DEPTH_TO_SPACE'),
  SPACE_TO_DEPTH: depthSpace('SPACE_TO_DEPTH'),
  GATHER_ND: gatherNd,
  MIRROR_PAD: mirrorPad,
  BATCH_MATMUL: batchMatMul,
  EMBEDDING_LOOKUP: embeddingLookup,
  BROADCAST_TO: broadcastTo,
  BROADCAST_ARGS: broadcastArgs,
  CUMSUM: cumsum,
  DYNAMIC_UPDATE_SLICE: dynamicUpdateSlice,
  L2_POOL_2D: l2Pool,
};
