// Hostile fuzz families (issue 10): whole models and call sequences an attacker would craft,
// which one-field mutations of the golden models never reach. Each case is a model and a
// probe (interpreter options and a misuse sequence) that fuzz-probe.ts runs on Node or in XS.
import type { Probe, Misuse } from './fuzz-probe.js';
import type { Rng } from './fuzz-mutate.js';
import { writeModel, type WriterModel, type WriterTensor } from '../host/authoring/tflite-writer.js';

export interface FamilyCase {
  /** "family:NAME". */
  name: string;
  bytes: Uint8Array;
  steps: string[];
  probe: Probe;
}

export const FAMILIES = ['zero-dims', 'offset-buffers', 'subgraphs', 'long-strings', 'io-aliasing', 'options', 'misuse'] as const;
export type Family = typeof FAMILIES[number];

const HUGE_DIMS = [1024, 65536, 1 << 20, 1 << 24, 0x7fffffff];

/** Zero dimensions beside huge ones, on the ops that loop over or size tables by the others. */
function zeroDims(rng: Rng, steps: string[]): WriterModel {
  const shape = (): number[] => {
    const s = [1, rng.pick(HUGE_DIMS), rng.pick([...HUGE_DIMS, 3]), rng.pick([0, 0, 1, 4])];
    s[rng.below(4)] = 0;
    return s;
  };
  const op = rng.pick(['MAX_POOL_2D', 'AVERAGE_POOL_2D', 'RESIZE_NEAREST_NEIGHBOR', 'RESIZE_BILINEAR', 'ADD', 'SOFTMAX', 'CONCATENATION', 'MEAN', 'FULLY_CONNECTED', 'TRANSPOSE']);
  const input = shape(), output = rng.chance(0.5) ? input.slice() : shape();
  steps.push(`${op} [${input}] -> [${output}]`);
  const tensors: WriterTensor[] = [{ type: 'float32', shape: input }];
  const inputs = [0];
  if (op.startsWith('RESIZE')) tensors.push({ type: 'int32', shape: [2], data: [rng.pick(HUGE_DIMS), rng.pick(HUGE_DIMS)] });
  else if (op === 'ADD' || op === 'CONCATENATION') { tensors.push({ type: 'float32', shape: shape() }); inputs.push(1); }
  else if (op === 'MEAN' || op === 'TRANSPOSE') tensors.push({ type: 'int32', shape: [op === 'MEAN' ? 2 : 4], data: op === 'MEAN' ? [1, 2] : [0, 2, 1, 3] });
  else if (op === 'FULLY_CONNECTED') tensors.push({ type: 'float32', shape: [rng.pick([0, 1, 4]), input[3]] });
  const out = tensors.length;
  tensors.push({ type: 'float32', shape: output });
  const options = op.includes('POOL') ? { padding: rng.pick(['SAME', 'VALID']), strideW: rng.pick([1, 2, 0x7fffffff]), strideH: 1, filterWidth: rng.pick([1, 3, 0x7fffffff]), filterHeight: 1 } : undefined;
  const opInputs = tensors.slice(0, out).map((_, i) => i);
  return { subgraphs: [{ tensors, inputs, outputs: [out], operators: [{ op, inputs: opInputs, outputs: [out], options }] }] };
}

/** Constants in the offset/size form: aliased, misaligned, overlapping the flatbuffer's own tables. */
function offsetBuffers(rng: Rng, steps: string[]): WriterModel {
  const n = rng.pick([4, 16, 64, 256]);
  const tail = new Uint8Array(n * 4 + 64);
  for (let i = 0; i < tail.length; i++) tail[i] = rng.below(256);
  const place = (size: number): WriterTensor['location'] => {
    const kind = rng.below(5);
    if (kind === 0) return { offset: 0, size, inTail: true };
    if (kind === 1) return { offset: 1 + rng.below(15), size, inTail: true }; // misaligned
    if (kind === 2) return { offset: rng.pick([2, 4, 8, 16, 24]), size }; // inside the flatbuffer's tables
    if (kind === 3) return { offset: rng.pick([0, 1, 0x7fffffff, 2 ** 40]), size: rng.pick([size, 0, 2 ** 33]) };
    return { offset: tail.length - size + rng.below(8), size, inTail: true }; // runs past the end
  };
  const shared = place(n * 4);
  steps.push(`${n} floats at ${JSON.stringify(shared)}`);
  const weights: WriterTensor = { type: 'float32', shape: [n], location: shared };
  // A second constant at the same offset with another size (breach 2), or its own place.
  const other: WriterTensor = rng.chance(0.6)
    ? { type: 'float32', shape: [n / 2], location: { ...shared!, size: n * 2 } }
    : { type: 'float32', shape: [n], location: place(n * 4) };
  steps.push(`then ${JSON.stringify(other.location)}`);
  // A variable tensor lives in the arena beside the copies of misaligned constants (breach 2).
  const half = other.shape[0];
  const tensors: WriterTensor[] = [
    { type: 'float32', shape: [n] }, weights, other, { type: 'float32', shape: [n] },
    { type: 'float32', shape: [n], isVariable: true }, { type: 'float32', shape: [n] }, { type: 'float32', shape: [n] },
    { type: 'float32', shape: [half] }, { type: 'float32', shape: [half] },
  ];
  const operators = [
    { op: 'MUL', inputs: [0, 1], outputs: [3] }, { op: 'ADD', inputs: [3, 4], outputs: [5] },
    { op: 'ADD', inputs: [5, 1], outputs: [6] }, { op: 'ADD', inputs: [7, 2], outputs: [8] },
  ];
  return { subgraphs: [{ tensors, inputs: [0, 7], outputs: [6, 8], operators }], tail };
}

/** CALL_ONCE chains (deep) and trees (each subgraph calling the next twice: exponential if not shared), or a cycle. */
function subgraphs(rng: Rng, steps: string[]): WriterModel {
  const kind = rng.pick(['chain', 'chain', 'tree', 'cycle']);
  const depth = kind === 'tree' ? rng.pick([8, 16, 24, 30]) : rng.pick([2, 10, 50, 100, 200, 1000, 2000]);
  steps.push(`${kind} of ${depth}`);
  const list = [];
  for (let i = 0; i < depth; i++) {
    const callee = i + 1 < depth ? i + 1 : kind === 'cycle' ? 0 : -1;
    const calls = callee < 0 ? 0 : kind === 'tree' ? 2 : 1;
    const operators = Array.from({ length: calls }, () => ({ op: 'CALL_ONCE', inputs: [], outputs: [], options: { initSubgraphIndex: callee } }));
    if (i === 0) operators.push({ op: 'ADD', inputs: [0, 0], outputs: [1] } as never);
    list.push(i === 0
      ? { tensors: [{ type: 'float32' as const, shape: [2] }, { type: 'float32' as const, shape: [2] }], inputs: [0], outputs: [1], operators }
      : { tensors: [], inputs: [], outputs: [], operators });
  }
  return { subgraphs: list };
}

/** Names of every length around the bound, up to 900 KB, multibyte and invalid UTF-8. */
function longStrings(rng: Rng, steps: string[]): WriterModel {
  const length = rng.pick([100, 4095, 4096, 4097, 65536, 200 * 1024, 900 * 1024]);
  const unit = rng.pick(['n', 'é', '€', '😀', '\ufffd']);
  const text = unit.repeat(Math.ceil(length / new TextEncoder().encode(unit).length)).slice(0, length);
  const where = rng.pick(['tensor', 'subgraph', 'custom', 'description']);
  steps.push(`${where} name of ${text.length} × "${unit}"`);
  const model: WriterModel = {
    description: where === 'description' ? text : undefined,
    subgraphs: [{
      name: where === 'subgraph' ? text : undefined,
      tensors: [{ type: 'float32', shape: [2], name: where === 'tensor' ? text : 'in' }, { type: 'float32', shape: [2], name: 'out' }],
      inputs: [0], outputs: [1],
      operators: [{ op: where === 'custom' ? { custom: text } : 'RELU', inputs: [0], outputs: [1] }],
    }],
  };
  return model;
}

/** Constant graph inputs (own buffer, or buffer 0 carrying data), and inputs and outputs aliased. */
function ioAliasing(rng: Rng, steps: string[]): WriterModel {
  const kind = rng.pick(['constant-input', 'buffer0-input', 'input-is-output', 'input-twice', 'output-twice', 'constant-output']);
  steps.push(kind);
  const tensors: WriterTensor[] = [{ type: 'float32', shape: [4] }, { type: 'float32', shape: [4] }, { type: 'float32', shape: [4] }];
  let inputs = [0, 1], outputs = [2];
  const buffer0 = kind === 'buffer0-input' ? new Uint8Array(16).fill(7) : undefined;
  if (kind === 'constant-input') tensors[1] = { type: 'float32', shape: [4], data: [1, 2, 3, 4] };
  if (kind === 'buffer0-input') tensors[1] = { type: 'float32', shape: [4], bufferIndex: 0 };
  if (kind === 'input-is-output') outputs = [2, 0];
  if (kind === 'input-twice') inputs = [0, 1, 0];
  if (kind === 'output-twice') outputs = [2, 2];
  if (kind === 'constant-output') { tensors[1] = { type: 'float32', shape: [4], data: [1, 2, 3, 4] }; outputs = [2, 1]; inputs = [0]; }
  return { buffer0, subgraphs: [{ tensors, inputs, outputs, operators: [{ op: 'ADD', inputs: [0, 1], outputs: [2] }] }] };
}

/** Extreme interpreter options. */
function options(rng: Rng, steps: string[]): Probe {
  const probe: Probe = { misuse: 'none' };
  const which = rng.below(3);
  if (which === 0) probe.arenaSize = rng.pick([0, 1, 15, 1.5, -1, NaN, Infinity, 2 ** 31, 2 ** 40, 2 ** 53 + 2, 1 << 30]);
  else if (which === 1) probe.weightCacheBytes = rng.pick([2 ** 40, 1e308, Infinity, -0.5, 0.5, NaN, 2 ** 31]);
  else probe.arenaBytes = rng.pick([0, 1, 15, 17, 64, 4096]);
  for (const key of ['arenaSize', 'weightCacheBytes'] as const) {
    const v = probe[key];
    if (typeof v === 'number' && !Number.isFinite(v)) probe[key] = String(v);
  }
  steps.push(JSON.stringify(probe));
  return probe;
}

const MISUSES: Misuse[] = ['detach-model', 'detach-arena', 'shrink-arena', 'share-arena', 'allocate-twice', 'invoke-first', 'reenter'];

/**
 * Case of family `family` (or a random one): on a model of its own, or on `golden` (a golden
 * model's bytes) for the options and misuse families. Null when the writer refused the model.
 */
export function familyCase(rng: Rng, golden: Uint8Array, chosen?: Family): FamilyCase | null {
  const family = chosen ?? rng.pick(FAMILIES);
  const steps: string[] = [];
  let probe: Probe = { misuse: 'none' };
  let model: WriterModel | null = null;
  let bytes: Uint8Array | null = null;
  switch (family) {
    case 'zero-dims': model = zeroDims(rng, steps); break;
    case 'offset-buffers': model = offsetBuffers(rng, steps); break;
    case 'subgraphs': model = subgraphs(rng, steps); break;
    case 'long-strings': model = longStrings(rng, steps); break;
    case 'io-aliasing': model = ioAliasing(rng, steps); probe = { misuse: 'write-inputs' }; break;
    case 'options': probe = options(rng, steps); bytes = golden.slice(); break;
    case 'misuse': {
      probe = { misuse: rng.pick(MISUSES) };
      // An arena of our own, or the one the interpreter plans.
      if (probe.misuse === 'shrink-arena' || rng.chance(0.5)) probe.arenaBytes = 1 << 20;
      steps.push(probe.misuse + (probe.arenaBytes ? ' (arena given)' : ''));
      bytes = golden.slice();
      break;
    }
  }
  if (model) {
    try {
      bytes = writeModel(model);
    } catch {
      return null;
    }
  }
  return { name: `family:${family}`, bytes: bytes!, steps, probe };
}
