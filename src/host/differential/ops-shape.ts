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

export const SHAPE_GENERATORS: Record<string, Generator> = {
  REVERSE_V2: reverseV2,
};
