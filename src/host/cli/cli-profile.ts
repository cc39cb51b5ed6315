// `tflite-xs profile`: where an invoke's time goes, operator by operator, slowest first. One code
// path for both engines, the interpreter's own Profiler (src/core/profiler.ts, what an app uses
// on a device): on Node its clock is performance.now(); inside the XS engine it is XS's meter,
// so the figures are computrons (deterministic: what a device's interpreter costs).
import { performance } from 'node:perf_hooks';
import { readModel } from '../../core/model.js';
import { Interpreter } from '../../core/interpreter.js';
import { Profiler } from '../../core/profiler.js';
import { allOps } from '../../kernels/all.js';
import { blaming, choiceOption, countOption, expectPositionals, flag, parseCommandArgs } from './args.js';
import { graphParams, inputBytes } from './cli-values.js';
import { INPUT_OPTIONS, inputSources } from './cli-run.js';
import { readBytes } from './files.js';
import { countMacs } from './macs.js';
import { XsEngine } from '../runtime/xs-runner.js';

export const PROFILE_USAGE = `usage: tflite-xs profile MODEL.tflite [INPUTS] [--engine node|xs] [--runs N] [--json]

Runs the model with the interpreter's Profiler (a tick before and after each operator, as an
app's on a device) and prints each operator's cost, slowest first, with its share of the total
and its MACs:
  --engine node   milliseconds per invoke (median over the runs, after 30 warm-up invokes for
                  V8's compilers; the clock is performance.now()), the default
  --engine xs     XS computrons per invoke (the clock is the engine's meter) and computrons per MAC

Options:
  INPUTS          as for run (--input FILE, --values "a,b", --values-file F.json; the first
                  invoke's worth of each); default: every input zero
  --runs N        invokes to measure (default 20 on node, 3 on xs)
  --arena-size N  the arena's size in bytes
  --json          {"engine","runs","operators":[{"index","op","ms"|"computrons","share","macs"}],"total"}
  -h, --help      this text`;

export interface OperatorCost {
  index: number;
  op: string;
  /** ms per invoke (node) or computrons per invoke (xs). */
  cost: number;
  share: number;
  macs: number;
}

/** What measureOperators() runs: the model, then each input's bytes, in `payload`. */
export interface ProfileSpec {
  modelLength: number;
  inputLengths: number[];
  warmups: number;
  runs: number;
  arenaSize?: number;
}

export interface OperatorTicks {
  names: string[];
  /** ticks[op][run]: what the profiler read for each operator at each timed invoke. */
  ticks: number[][];
  /** The clock's own cost (the least of a few back-to-back reads), taken off each figure. */
  bias: number;
  arenaBytes: number;
}

/**
 * Loads the model with a Profiler on `tick`, invokes it `warmups` then `runs` times and returns
 * what the profiler read. Runs on Node and, installed from its source text, inside XS (where
 * `tick` is left out and XS's meter is the clock), so it uses nothing but its arguments and the
 * language: no imports, no helpers outside its body.
 */
export function measureOperators(lib: any, payload: Uint8Array, spec: ProfileSpec, tick?: () => number): OperatorTicks {
  let clock = tick;
  if (!clock) {
    // xsnap's meter as a clock: resetMeter(limit, 0) returns the count so far and restarts it,
    // so every count stays far under the meter's 32 bits, however long the run.
    const g = globalThis as any;
    const resetMeter = g.resetMeter, limit = g.currentMeterLimit();
    let total = 0;
    clock = () => {
      total += resetMeter(limit, 0) >>> 0;
      return total;
    };
  }
  const profiler = new lib.Profiler(clock);
  const options: any = { resolver: lib.allOps(), profiler };
  if (spec.arenaSize !== undefined) options.arenaSize = spec.arenaSize;
  const interpreter = new lib.Interpreter(payload.subarray(0, spec.modelLength), options);
  interpreter.allocateTensors();
  let at = spec.modelLength;
  for (let i = 0; i < spec.inputLengths.length; i++) {
    interpreter.setInput(i, payload.subarray(at, at + spec.inputLengths[i]));
    at += spec.inputLengths[i];
  }
  for (let r = 0; r < spec.warmups; r++) interpreter.invoke();
  let bias = Infinity;
  for (let r = 0; r < 5; r++) {
    const start = clock();
    const ticks = clock() - start;
    if (ticks < bias) bias = ticks;
  }
  const count = profiler.operatorCount;
  const names: string[] = [], ticks: number[][] = [];
  for (let i = 0; i < count; i++) {
    names.push(profiler.operatorName(i));
    ticks.push([]);
  }
  for (let r = 0; r < spec.runs; r++) {
    interpreter.invoke();
    for (let i = 0; i < count; i++) ticks[i].push(profiler.ticks(i));
  }
  return { names, ticks, bias, arenaBytes: interpreter.arenaBytes };
}

function median(samples: number[]): number {
  const sorted = samples.slice().sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const NODE_LIB = Object.freeze({ Interpreter, Profiler, allOps });

async function measure(engine: 'node' | 'xs', payload: Uint8Array, spec: ProfileSpec): Promise<OperatorTicks> {
  if (engine === 'node') return measureOperators(NODE_LIB, payload, spec, () => performance.now());
  const xs = await XsEngine.start();
  try {
    await xs.installProbe(String(measureOperators));
    return (await xs.probe(payload, spec)).result as OperatorTicks;
  } finally {
    await xs.close();
  }
}

/** Each operator's median over the runs, less the clock's own cost; computrons are whole. */
export function operatorCosts(measured: OperatorTicks, engine: 'node' | 'xs'): number[] {
  return measured.ticks.map(samples => {
    const cost = Math.max(0, median(samples) - measured.bias);
    return engine === 'xs' ? Math.round(cost) : cost;
  });
}

export async function profileCommand(argv: string[], print: (text: string) => void): Promise<number> {
  const args = parseCommandArgs('tflite-xs profile', argv, {
    ...INPUT_OPTIONS, engine: { type: 'string' }, runs: { type: 'string' }, 'arena-size': { type: 'string' }, json: { type: 'boolean' },
  });
  if (args.help) { print(PROFILE_USAGE); return 0; }
  const [file] = expectPositionals(args, 'MODEL.tflite');
  const engine = choiceOption(args, 'engine', ['node', 'xs'] as const, 'node');
  const runs = countOption(args, 'runs', engine === 'xs' ? 3 : 20, 1);
  const arenaSize = countOption(args, 'arena-size', undefined);
  const bytes = readBytes(file, 'model');
  const model = await blaming(file, () => readModel(bytes));
  const params = graphParams(model);
  const sources = inputSources(args);
  // One invoke's worth of each input; zeros when none are given.
  const inputs = sources.length
    ? inputBytes(sources, params.inputs).map((b, i) => b.subarray(0, params.inputs[i].byteLength))
    : params.inputs.map(p => new Uint8Array(p.byteLength));
  const payload = new Uint8Array(bytes.byteLength + inputs.reduce((n, b) => n + b.byteLength, 0));
  payload.set(bytes);
  let at = bytes.byteLength;
  for (const b of inputs) { payload.set(b, at); at += b.byteLength; }
  const spec: ProfileSpec = { modelLength: bytes.byteLength, inputLengths: inputs.map(b => b.byteLength), warmups: engine === 'xs' ? 1 : 30, runs, arenaSize };
  const perOp = operatorCosts(await blaming(file, () => measure(engine, payload, spec)), engine);
  const macs = countMacs(model).perOperator;
  const ops = model.subgraphs[0].operators;
  const total = perOp.reduce((a, b) => a + b, 0);
  const rows: OperatorCost[] = perOp.map((cost, i) => ({ index: i, op: ops[i].opName, cost, share: total > 0 ? cost / total : 0, macs: macs[i] ?? 0 }))
    .sort((a, b) => b.cost - a.cost || a.index - b.index);
  const unit = engine === 'xs' ? 'computrons' : 'ms';
  if (flag(args, 'json')) {
    print(JSON.stringify({
      file, engine, runs,
      operators: rows.map(r => ({ index: r.index, op: r.op, [unit]: engine === 'xs' ? r.cost : Number(r.cost.toPrecision(4)), share: Number(r.share.toFixed(4)), macs: r.macs })),
      total: { [unit]: engine === 'xs' ? total : Number(total.toPrecision(4)), macs: macs.reduce((a, b) => a + b, 0) },
    }));
    return 0;
  }
  const fmt = (v: number) => (engine === 'xs' ? String(v) : v.toFixed(v < 0.1 ? 4 : 3));
  const width = Math.max(8, ...rows.map(r => r.op.length));
  const costWidth = Math.max(unit.length, ...rows.map(r => fmt(r.cost).length), fmt(total).length);
  const lines = [
    `${file} on ${engine}: ${engine === 'xs' ? 'computrons' : 'median ms'} per invoke over ${runs} run${runs === 1 ? '' : 's'}, slowest first`,
    `  ${'op'.padStart(4)}  ${'operator'.padEnd(width)}  ${unit.padStart(costWidth)}  ${'share'.padStart(6)}  ${'MACs'.padStart(10)}${engine === 'xs' ? '  per MAC' : ''}`,
  ];
  const perMac = (cost: number, m: number) => (engine === 'xs' && m > 0 ? `  ${(cost / m).toFixed(2).padStart(7)}` : '');
  for (const r of rows) {
    lines.push(`  ${String(r.index).padStart(4)}  ${r.op.padEnd(width)}  ${fmt(r.cost).padStart(costWidth)}  ${(100 * r.share).toFixed(1).padStart(5)}%  ${String(r.macs).padStart(10)}${perMac(r.cost, r.macs)}`);
  }
  const totalMacs = macs.reduce((a, b) => a + b, 0);
  lines.push(`  ${''.padStart(4)}  ${'total'.padEnd(width)}  ${fmt(total).padStart(costWidth)}  ${'100.0'.padStart(5)}%  ${String(totalMacs).padStart(10)}${perMac(total, totalMacs)}`);
  print(lines.join('\n'));
  return 0;
}
