// `tflite-xs diff`: the layer-by-layer debugger. Runs the model here with every tensor kept
// (the interpreter's preserveAllTensors, as TFLM's preserve_all_tensors: no tensor's bytes are
// reused, so each operator's outputs are still there after the invoke), and in reference TFLite (WebAssembly) with every operator output made a model output; compares them
// operator by operator and names the first tensor that differs, and by how much.
import { Interpreter } from '../../core/interpreter.js';
import { readModel, type Model, type TensorInfo } from '../../core/model.js';
import { viewOf } from '../../core/tensor.js';
import type { TensorData } from '../../core/types.js';
import { allOps } from '../../kernels/all.js';
import { blaming, countOption, expectPositionals, flag, parseCommandArgs, stringOption, UsageProblem, type OptionSpecs } from './args.js';
import { graphParams, inputBytes, tensorParams, type TensorParams } from './cli-values.js';
import { INPUT_OPTIONS, inputSources } from './cli-run.js';
import { readBytes } from './files.js';
import { withOutputs } from './model-outputs.js';
import { runReference } from '../runtime/reference-tflite.js';

export const DIFF_USAGE = `usage: tflite-xs diff MODEL.tflite [INPUTS] [--tolerance N] [--float-tolerance R] [--seed N] [--json]

Runs the model here with every tensor kept (the interpreter's preserveAllTensors) and in
reference TFLite (the WebAssembly build in @tensorflow/tfjs-tflite, with every operator's output
made a model output), and prints for each operator the
largest difference of its outputs: in steps of the stored integer (LSB) for integer tensors,
with the real value it means when the tensor is quantized; as a number for float tensors. Then
it names the first tensor that differs. Reference TFLite uses TFLite's optimized kernels, not
TFLM's reference ones; a quantized op may round one or two steps apart.

Inputs, one per model input in model order (as for tflite-xs run):
  --input FILE          raw little-endian bytes (a FILE.npy array is quantized)
  --values "0.5,1.5"    real values, quantized with the input's scale and zero point
  --values-file F.json  a JSON array of real values
Without inputs, each input gets seeded pseudo-random values (its whole integer range, or
[-1, 1] for floats).

Options:
  --tolerance N         integer tensors: differences up to N LSB count as equal (default 0)
  --float-tolerance R   float tensors: |ours - reference| up to R * max(1, |reference|) counts
                        as equal (default 1e-5: XNNPACK sums in another order)
  --seed N              seed of the pseudo-random inputs (default 1)
  --json                print {"agree","exact","operators":[{"index","op","outputs":[{"tensor",
                        "name","type","shape","maxDiff","unit","realMaxDiff","differing",
                        "count"}]}],"firstDifference"} instead ("agree": within the tolerance,
                        "exact": bit for bit)
  -h, --help            this text

Exit code 0 when every tensor agrees (within the tolerance), 1 when one differs (or the model or an input fails),
2 for a wrong command line.`;

const DIFF_OPTIONS: OptionSpecs = {
  ...INPUT_OPTIONS,
  tolerance: { type: 'string' },
  'float-tolerance': { type: 'string' },
  seed: { type: 'string' },
  json: { type: 'boolean' },
};

export interface TensorDiff {
  tensor: number;
  name: string;
  type: string;
  shape: number[];
  /** Largest |ours - reference| (NaN against a number counts as Infinity). */
  maxDiff: number;
  /** 'LSB' for integer tensors, '' for floats. */
  unit: string;
  /** maxDiff times the scale, for a quantized tensor; otherwise null. */
  realMaxDiff: number | null;
  /** Values differing by more than the tolerance, of `count`. */
  differing: number;
  count: number;
  /** The first value differing by maxDiff: its flat index and both values. */
  worst: { index: number; ours: number; reference: number } | null;
}

export interface OperatorDiff {
  index: number;
  op: string;
  outputs: TensorDiff[];
}

export interface DiffResult {
  operators: OperatorDiff[];
  first: { operator: OperatorDiff; tensor: TensorDiff } | null;
}

function isFloat(type: string): boolean {
  return type === 'float32' || type === 'float16' || type === 'float64';
}

export interface Tolerance {
  /** Integer tensors: LSB. */
  lsb: number;
  /** Float tensors: relative to max(1, |reference|). */
  float: number;
}

export const DEFAULT_TOLERANCE: Readonly<Tolerance> = Object.freeze({ lsb: 0, float: 1e-5 });

function compareTensor(info: TensorInfo, ours: Uint8Array, reference: Uint8Array, tolerance: Tolerance): TensorDiff {
  const p: TensorParams = tensorParams(info);
  const float = isFloat(p.type);
  const a = viewOf(info.type, ours) as TensorData, b = viewOf(info.type, reference) as TensorData;
  let maxDiff = 0, differing = 0;
  let worst: TensorDiff['worst'] = null;
  for (let i = 0; i < a.length; i++) {
    const x = Number(a[i]), y = Number(b[i]);
    const d = Number.isNaN(x) || Number.isNaN(y) ? (Number.isNaN(x) && Number.isNaN(y) ? 0 : Infinity) : Math.abs(x - y);
    if (d > (float ? tolerance.float * Math.max(1, Math.abs(y)) : tolerance.lsb)) differing++;
    if (d > maxDiff) {
      maxDiff = d;
      worst = { index: i, ours: x, reference: y };
    }
  }
  return {
    tensor: info.index, name: info.name, type: p.type, shape: p.shape, maxDiff, unit: float ? '' : 'LSB',
    realMaxDiff: !float && p.scale ? maxDiff * p.scale : null, differing, count: a.length, worst,
  };
}

/** Our side: every operator's outputs after one invoke with every tensor kept (views into the arena). */
export function runOursByOperator(model: Model, inputs: readonly Uint8Array[]): Uint8Array[][] {
  const interpreter = new Interpreter(model, { resolver: allOps(), preserveAllTensors: true });
  interpreter.allocateTensors();
  inputs.forEach((bytes, i) => interpreter.setInput(i, bytes));
  interpreter.invoke();
  return model.subgraphs[0].operators.map(op => Array.from(op.outputs, t => (t < 0 ? new Uint8Array(0) : interpreter.tensor(t).bytes)));
}

/** Every operator output of the main subgraph, once each, in the order the operators write them. */
export function operatorOutputs(model: Model): number[] {
  const seen = new Set<number>();
  for (const op of model.subgraphs[0].operators) for (const t of op.outputs) if (t >= 0) seen.add(t);
  return [...seen];
}

/** Reference TFLite's value of every operator output, by tensor index. */
export async function runReferenceByTensor(model: Model, inputs: readonly Uint8Array[]): Promise<Map<number, Uint8Array>> {
  const tensors = operatorOutputs(model);
  const outputs = await runReference(withOutputs(model.bytes, tensors), inputs);
  const byTensor = new Map<number, Uint8Array>();
  tensors.forEach((t, k) => byTensor.set(t, new Uint8Array(outputs[k].buffer, outputs[k].byteOffset, outputs[k].byteLength)));
  return byTensor;
}

export async function diffModel(model: Model, inputs: readonly Uint8Array[], tolerance: Tolerance = DEFAULT_TOLERANCE): Promise<DiffResult> {
  const ours = runOursByOperator(model, inputs);
  const reference = await runReferenceByTensor(model, inputs);
  const g = model.subgraphs[0];
  const operators: OperatorDiff[] = [];
  let first: DiffResult['first'] = null;
  g.operators.forEach((op, i) => {
    const outputs: TensorDiff[] = [];
    op.outputs.forEach((t, k) => {
      if (t < 0) return;
      const diff = compareTensor(g.tensors[t], ours[i][k], reference.get(t)!, tolerance);
      outputs.push(diff);
    });
    const entry = { index: i, op: op.opName, outputs };
    operators.push(entry);
    const differs = outputs.find(o => o.differing > 0);
    if (!first && differs) first = { operator: entry, tensor: differs };
  });
  return { operators, first };
}

/** Seeded pseudo-random bytes for an input: the type's whole range, or [-1, 1] for floats. */
export function randomInput(p: TensorParams, seed: number): Uint8Array {
  let state = (seed * 0x9e3779b1 + p.index + 1) >>> 0 || 1;
  const next = (): number => {
    state ^= state << 13; state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5; state >>>= 0;
    return state / 0x100000000;
  };
  const bytes = new Uint8Array(p.byteLength);
  if (p.type === 'float32') {
    const f = new Float32Array(bytes.buffer);
    for (let i = 0; i < f.length; i++) f[i] = next() * 2 - 1;
  } else if (p.type === 'bool') {
    for (let i = 0; i < bytes.length; i++) bytes[i] = next() < 0.5 ? 0 : 1;
  } else {
    for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(next() * 256);
  }
  return bytes;
}

function formatNumber(v: number): string {
  return Number.isInteger(v) || !Number.isFinite(v) ? String(v) : String(Number(v.toPrecision(4)));
}

function amount(d: TensorDiff): string {
  const real = d.realMaxDiff !== null && d.maxDiff > 0 ? ` (${formatNumber(d.realMaxDiff)} real)` : '';
  return `${formatNumber(d.maxDiff)}${d.unit ? ` ${d.unit}` : ''}${real}`;
}

// Converter names join every fused op ("a/MatMul;a/Relu;a/BiasAdd;..."): the text keeps the
// start, --json the whole name.
const NAME_SHOWN = 48;

function tensorLabel(d: TensorDiff): string {
  const name = d.name.length > NAME_SHOWN ? `${d.name.slice(0, NAME_SHOWN - 3)}...` : d.name;
  return `tensor ${d.tensor}${name ? ` "${name}"` : ''} ${d.type} [${d.shape.join(', ')}]`;
}

function plural(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}

export function formatDiff(result: DiffResult): string {
  const lines: string[] = [];
  const width = Math.max(2, ...result.operators.map(o => o.op.length));
  const indexWidth = String(Math.max(0, result.operators.length - 1)).length;
  for (const o of result.operators) {
    const worst = o.outputs.reduce<TensorDiff | null>((w, d) => (!w || d.maxDiff > w.maxDiff ? d : w), null);
    const mark = o.outputs.some(d => d.differing > 0) ? '  <-' : '';
    lines.push(`${String(o.index).padStart(indexWidth)}  ${o.op.padEnd(width)}  ${worst ? `max diff ${amount(worst).padEnd(4)}  ${tensorLabel(worst)}` : 'no outputs'}${mark}`);
  }
  if (result.first) {
    const { operator, tensor: d } = result.first;
    const at = d.worst ? `; largest at element ${d.worst.index}: ${formatNumber(d.worst.ours)} here, ${formatNumber(d.worst.reference)} in reference TFLite` : '';
    lines.push(`first difference: operator ${operator.index} ${operator.op}, output ${tensorLabel(d)}: ${d.differing} of ${d.count} values differ, by up to ${amount(d)}${at}`);
  } else {
    const all = result.operators.flatMap(o => o.outputs);
    const exact = all.every(d => d.maxDiff === 0);
    lines.push(`${exact ? 'identical' : 'agree'}: ${plural(all.length, 'tensor')} of ${plural(result.operators.length, 'operator')} agree with reference TFLite${exact ? ' bit for bit' : ' within the tolerance'}`);
  }
  return lines.join('\n');
}

export async function diffCommand(argv: string[], print: (text: string) => void): Promise<number> {
  const args = parseCommandArgs('tflite-xs diff', argv, DIFF_OPTIONS);
  if (args.help) { print(DIFF_USAGE); return 0; }
  const [modelFile] = expectPositionals(args, 'MODEL.tflite');
  const tolerance: Tolerance = {
    lsb: countOption(args, 'tolerance', DEFAULT_TOLERANCE.lsb),
    float: numberOption(stringOption(args, 'float-tolerance'), 'float-tolerance', DEFAULT_TOLERANCE.float),
  };
  const seed = countOption(args, 'seed', 1);
  const bytes = readBytes(modelFile, 'model');
  const model = await blaming(modelFile, () => readModel(bytes));
  const params = graphParams(model);
  const sources = inputSources(args);
  const inputs = sources.length ? inputBytes(sources, params.inputs) : params.inputs.map(p => randomInput(p, seed));
  const result = await blaming(modelFile, () => diffModel(model, inputs, tolerance));
  if (flag(args, 'json')) {
    const first = result.first && { operator: result.first.operator.index, op: result.first.operator.op, ...withoutWorst(result.first.tensor) };
    print(JSON.stringify({
      agree: !result.first,
      exact: result.operators.every(o => o.outputs.every(d => d.maxDiff === 0)),
      operators: result.operators.map(o => ({ index: o.index, op: o.op, outputs: o.outputs.map(withoutWorst) })),
      firstDifference: first,
    }));
  } else {
    print(formatDiff(result));
  }
  return result.first ? 1 : 0;
}

function numberOption(text: string | undefined, name: string, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (text.trim() === '' || !(n >= 0) || !Number.isFinite(n)) throw new UsageProblem(`--${name} takes a number of at least 0, not "${text}"`);
  return n;
}

function withoutWorst(d: TensorDiff): Omit<TensorDiff, 'worst'> {
  const { worst: _, ...rest } = d;
  return rest;
}
