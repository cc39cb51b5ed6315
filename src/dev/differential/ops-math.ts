// Differential generators of the math group (issue 11): random single-op models of ABS, NEG,
// CEIL, FLOOR, ROUND, SQRT, RSQRT, SQUARE, EXP, LOG, SIN, COS, LOGICAL_*, the comparisons,
// FLOOR_DIV, FLOOR_MOD, POW, SELECT_V2, ZEROS_LIKE, FILL, ADD_N and L2_NORMALIZATION, in the
// types TFLM's kernels take, with inputs inside each operator's domain.
import { act, CaseBuilder, count, quantFor, randomData, randomRange, type DataArray, type DiffCase, type QuantParams } from './build.js';
import type { Rng } from './rng.js';

type Generator = (rng: Rng) => DiffCase;

// Types TFLM runs and reference TFLite refuses: those cases run in tflite-xs (and XS) alone.
const NO_REFERENCE: Record<string, string> = {
  'ADD_N int8': 'reference TFLite\'s ADD_N takes float32 and int32 only',
  'GREATER int16': 'reference TFLite\'s GREATER has no int16',
  'ZEROS_LIKE int8': 'reference TFLite\'s ZEROS_LIKE has no int8',
};

function finish(op: string, type: string, params: Record<string, unknown>, b: CaseBuilder): DiffCase {
  const c: DiffCase = { op, type, params, model: b.model(`differential ${op} ${type}`), inputs: b.inputData, steps: 1, lsbTolerance: 0 };
  const skip = NO_REFERENCE[`${op} ${type}`];
  return skip ? { ...c, skipReference: skip } : c;
}

const shapeOf = (rng: Rng, rank: number, maxDim = 5) => Array.from({ length: rank }, () => rng.int(1, maxDim));

/** Two or three shapes that broadcast (rank <= 4, the reference's and TFLM's limit) and the output's. */
function broadcastShapes(rng: Rng, operands: number): { shapes: number[][]; out: number[] } {
  const rank = rng.int(1, 4);
  const out = shapeOf(rng, rank);
  const shapes: number[][] = [];
  for (let j = 0; j < operands; j++) {
    const pattern = rng.pick(['same', 'same', 'scalar', 'ones', 'lower-rank']);
    if (pattern === 'scalar') shapes.push(rng.bool() ? [] : [1]);
    else if (pattern === 'ones') shapes.push(out.map(d => (rng.bool(0.5) ? 1 : d)));
    else if (pattern === 'lower-rank') shapes.push(out.slice(rng.int(1, rank)));
    else shapes.push(out.slice());
  }
  // The output is the broadcast of the operands (a dimension all operands have as 1 stays 1).
  const r = Math.max(...shapes.map(s => s.length));
  const result: number[] = [];
  for (let i = 0; i < r; i++) {
    let d = 1;
    for (const s of shapes) {
      const k = s.length - r + i;
      if (k >= 0 && s[k] !== 1) d = s[k];
    }
    result.push(d);
  }
  return { shapes, out: result };
}

function floatData(rng: Rng, n: number, lo: number, hi: number): Float32Array {
  return randomData(rng, 'float32', n, lo, hi) as Float32Array;
}

// ---- one input

const FLOAT_DOMAINS: Record<string, [number, number]> = {
  ABS: [-10, 10], NEG: [-10, 10], CEIL: [-10, 10], FLOOR: [-10, 10], ROUND: [-10, 10], SQUARE: [-30, 30],
  SQRT: [0, 100], RSQRT: [0.01, 100], EXP: [-20, 20], LOG: [0.001, 1000], SIN: [-10, 10], COS: [-10, 10],
};

function floatUnary(op: string, quantized: string[] = []): Generator {
  return rng => {
    const type = rng.pick(['float32', 'float32', ...quantized]);
    const shape = shapeOf(rng, rng.int(1, 4), 6);
    const b = new CaseBuilder();
    const [lo, hi] = FLOAT_DOMAINS[op];
    if (type === 'float32') {
      const data = floatData(rng, count(shape), lo, hi);
      // Halves for ROUND's ties.
      if (op === 'ROUND') for (let i = 0; i < data.length; i++) if (rng.bool(0.3)) data[i] = Math.round(data[i]) + 0.5;
      b.input(act(type, shape), data);
      b.op({ op, inputs: [0], outputs: [b.output(act(type, shape))] });
      return finish(op, type, { shape }, b);
    }
    let inQ: QuantParams, outQ: QuantParams;
    if (op === 'RSQRT') {
      // Non-negative reals only (TFLM refuses values below the zero point).
      const top = rng.logFloat(0.5, 50);
      inQ = type === 'int16' ? { scale: top / 32767, zeroPoint: 0 } : { scale: top / 255, zeroPoint: -128 };
      const outTop = 1 / Math.sqrt(inQ.scale) * rng.float(0.3, 1.2);
      outQ = type === 'int16' ? { scale: outTop / 32767, zeroPoint: 0 } : quantFor(type, 0, outTop);
    } else {
      const range = randomRange(rng, rng.logFloat(0.5, 20));
      inQ = quantFor(type, range[0], range[1]);
      const m = Math.max(-range[0], range[1]) * rng.float(0.6, 1.3);
      outQ = rng.bool(0.2) ? inQ : quantFor(type, 0, m);
    }
    const raw = randomData(rng, type, count(shape));
    if (op === 'RSQRT') for (let i = 0; i < raw.length; i++) if ((raw[i] as number) < inQ.zeroPoint) raw[i] = inQ.zeroPoint + rng.int(0, 20);
    b.input(act(type, shape, inQ), raw);
    b.op({ op, inputs: [0], outputs: [b.output(act(type, shape, outQ))] });
    return finish(op, type, { shape, inQ, outQ }, b);
  };
}

const logicalNot: Generator = rng => {
  const shape = shapeOf(rng, rng.int(1, 4), 6);
  const b = new CaseBuilder();
  b.input(act('bool', shape), randomData(rng, 'bool', count(shape)));
  b.op({ op: 'LOGICAL_NOT', inputs: [0], outputs: [b.output(act('bool', shape))] });
  return finish('LOGICAL_NOT', 'bool', { shape }, b);
};

// ---- comparisons and logical

function comparison(op: string, types: string[]): Generator {
  return rng => {
    const type = rng.pick(types);
    const { shapes, out } = broadcastShapes(rng, 2);
    const b = new CaseBuilder();
    const inputs: number[] = [];
    let q: QuantParams | undefined;
    for (const shape of shapes) {
      const n = count(shape);
      let data: DataArray;
      if (type === 'float32') {
        // Few distinct values, so that equal pairs occur.
        data = Float32Array.from({ length: n }, () => rng.int(-4, 4) * 0.5);
      } else if (type === 'int32' || type === 'int64') {
        data = randomData(rng, type, n, -3, 3);
      } else if (type === 'bool') {
        data = randomData(rng, type, n);
      } else {
        // Quantized: each input its own scale below 1.
        q = { scale: rng.logFloat(0.001, 0.9), zeroPoint: type === 'int16' ? 0 : rng.int(-20, 20) };
        data = randomData(rng, type, n);
        for (let i = 0; i < data.length; i++) if (rng.bool(0.3)) data[i] = (data[i] as number) >> 4;
      }
      inputs.push(b.input(act(type, shape, q), data));
    }
    b.op({ op, inputs, outputs: [b.output(act('bool', out))] });
    return finish(op, type, { shapes, out }, b);
  };
}

function logical(op: string): Generator {
  return rng => {
    const { shapes, out } = broadcastShapes(rng, 2);
    const b = new CaseBuilder();
    const inputs = shapes.map(shape => b.input(act('bool', shape), randomData(rng, 'bool', count(shape))));
    b.op({ op, inputs, outputs: [b.output(act('bool', out))] });
    return finish(op, 'bool', { shapes, out }, b);
  };
}

function floatBinary(op: string): Generator {
  return rng => {
    const type = op === 'POW' ? rng.pick(['float32', 'float32', 'int32']) : 'float32';
    const { shapes, out } = broadcastShapes(rng, 2);
    const b = new CaseBuilder();
    const n1 = count(shapes[0]), n2 = count(shapes[1]);
    let x: DataArray, y: DataArray;
    if (op === 'POW') {
      x = type === 'int32' ? randomData(rng, type, n1, -6, 6) : floatData(rng, n1, 0.01, 5);
      y = type === 'int32' ? randomData(rng, type, n2, 0, 5) : floatData(rng, n2, -3, 3);
    } else {
      x = floatData(rng, n1, -20, 20);
      // Divisors away from zero.
      y = Float32Array.from({ length: n2 }, () => (rng.bool() ? 1 : -1) * rng.float(0.25, 6));
    }
    const inputs = [b.input(act(type, shapes[0]), x), b.input(act(type, shapes[1]), y)];
    b.op({ op, inputs, outputs: [b.output(act(type, out))] });
    return finish(op, type, { shapes, out }, b);
  };
}

const selectV2: Generator = rng => {
  const type = rng.pick(['float32', 'int8', 'int16']);
  const { shapes, out } = broadcastShapes(rng, 3);
  const b = new CaseBuilder();
  const q = type === 'float32' ? undefined : quantFor(type, -3, 3);
  const inputs = [b.input(act('bool', shapes[0]), randomData(rng, 'bool', count(shapes[0])))];
  for (const shape of shapes.slice(1)) inputs.push(b.input(act(type, shape, q), randomData(rng, type, count(shape), -5, 5)));
  b.op({ op: 'SELECT_V2', inputs, outputs: [b.output(act(type, out, q))] });
  return finish('SELECT_V2', type, { shapes, out }, b);
};

// ---- whole-tensor ops

const zerosLike: Generator = rng => {
  const type = rng.pick(['float32', 'int8', 'int32']);
  const shape = shapeOf(rng, rng.int(1, 4), 6);
  const b = new CaseBuilder();
  const q = type === 'int8' ? quantFor(type, -2, 2) : undefined;
  b.input(act(type, shape, q), randomData(rng, type, count(shape), -9, 9));
  b.op({ op: 'ZEROS_LIKE', inputs: [0], outputs: [b.output(act(type, shape, q))] });
  return finish('ZEROS_LIKE', type, { shape }, b);
};

const fill: Generator = rng => {
  const type = rng.pick(['float32', 'int32', 'int8']);
  const shape = shapeOf(rng, rng.int(1, 4), 6);
  const b = new CaseBuilder();
  const dims = b.constant({ type: 'int32', shape: [shape.length] }, Int32Array.from(shape));
  const value = randomData(rng, type, 1, -50, 50);
  const q = type === 'int8' ? quantFor(type, -2, 2) : undefined;
  const v = b.input(act(type, [], q), value);
  b.op({ op: 'FILL', inputs: [dims, v], outputs: [b.output(act(type, shape, q))] });
  return finish('FILL', type, { shape }, b);
};

const addN: Generator = rng => {
  const type = rng.pick(['float32', 'int8']);
  const shape = shapeOf(rng, rng.int(1, 4), 5);
  const k = rng.int(2, 5);
  const b = new CaseBuilder();
  const range = randomRange(rng, rng.logFloat(0.5, 8));
  const q = type === 'int8' ? quantFor(type, range[0], range[1]) : undefined;
  const inputs: number[] = [];
  for (let j = 0; j < k; j++) inputs.push(b.input(act(type, shape, q), type === 'float32' ? floatData(rng, count(shape), range[0], range[1]) : randomData(rng, type, count(shape))));
  const outQ = type === 'int8' ? quantFor(type, range[0] * k * rng.float(0.4, 1), range[1] * k * rng.float(0.4, 1)) : undefined;
  b.op({ op: 'ADD_N', inputs, outputs: [b.output(act(type, shape, outQ))] });
  return finish('ADD_N', type, { shape, k, q, outQ }, b);
};

const l2Norm: Generator = rng => {
  const type = rng.pick(['float32', 'int8']);
  const shape = shapeOf(rng, rng.int(1, 4), 8);
  const b = new CaseBuilder();
  const range = randomRange(rng, rng.logFloat(0.5, 8));
  const q = type === 'int8' ? quantFor(type, range[0], range[1]) : undefined;
  b.input(act(type, shape, q), type === 'float32' ? floatData(rng, count(shape), range[0], range[1]) : randomData(rng, type, count(shape)));
  b.op({ op: 'L2_NORMALIZATION', inputs: [0], outputs: [b.output(act(type, shape, type === 'int8' ? { scale: 1 / 128, zeroPoint: 0 } : undefined))] });
  return finish('L2_NORMALIZATION', type, { shape, q }, b);
};

const EQ_TYPES = ['bool', 'float32', 'int32', 'int8', 'int8'];
const ORDER_TYPES = ['float32', 'int32', 'int8', 'int8'];

export const MATH_GENERATORS: Record<string, Generator> = {
  ABS: floatUnary('ABS', ['int8', 'int16']),
  NEG: floatUnary('NEG'),
  CEIL: floatUnary('CEIL'),
  FLOOR: floatUnary('FLOOR'),
  ROUND: floatUnary('ROUND'),
  SQRT: floatUnary('SQRT'),
  RSQRT: floatUnary('RSQRT', ['int8']),
  SQUARE: floatUnary('SQUARE'),
  EXP: floatUnary('EXP'),
  LOG: floatUnary('LOG'),
  SIN: floatUnary('SIN'),
  COS: floatUnary('COS'),
  LOGICAL_NOT: logicalNot,
  LOGICAL_AND: logical('LOGICAL_AND'),
  LOGICAL_OR: logical('LOGICAL_OR'),
  EQUAL: comparison('EQUAL', EQ_TYPES),
  NOT_EQUAL: comparison('NOT_EQUAL', EQ_TYPES),
  GREATER: comparison('GREATER', [...ORDER_TYPES, 'int16']),
  GREATER_EQUAL: comparison('GREATER_EQUAL', ORDER_TYPES),
  LESS: comparison('LESS', ORDER_TYPES),
  LESS_EQUAL: comparison('LESS_EQUAL', ORDER_TYPES),
  FLOOR_DIV: floatBinary('FLOOR_DIV'),
  FLOOR_MOD: floatBinary('FLOOR_MOD'),
  POW: floatBinary('POW'),
  SELECT_V2: selectV2,
  ZEROS_LIKE: zerosLike,
  FILL: fill,
  ADD_N: addN,
  L2_NORMALIZATION: l2Norm,
};
