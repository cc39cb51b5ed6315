// `tflite-xs profile`: where an invoke's time goes, operator by operator, slowest first: wall time
// on Node (performance.now around invokeOperator) or computrons inside the XS engine (its
// meter: deterministic, what a device's interpreter costs).
import { performance } from 'node:perf_hooks';
import { readModel } from '../../core/model.js';
import { Interpreter } from '../../core/interpreter.js';
import { allOps } from '../../kernels/all.js';
import { blaming, choiceOption, countOption, expectPositionals, flag, parseCommandArgs } from './args.js';
import { graphParams, inputBytes } from './cli-values.js';
import { INPUT_OPTIONS, inputSources } from './cli-run.js';
import { readBytes } from './files.js';
import { countMacs } from './macs.js';
import { XsEngine } from '../runtime/xs-runner.js';

export const PROFILE_USAGE = `usage: tflite-xs profile MODEL.tflite [INPUTS] [--engine node|xs] [--runs N] [--json]

Runs the model operator by operator and prints each operator's cost, slowest first, with its
share of the total and its MACs:
  --engine node   milliseconds per invoke (median over the runs of performance.now() around
                  each operator), the default
  --engine xs     XS computrons per invoke (the engine's meter, net of the command's own cost)
                  and computrons per MAC

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

function median(samples: number[]): number {
  const sorted = samples.slice().sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function profileNode(bytes: Uint8Array, inputs: Uint8Array[], runs: number, arenaSize?: number): number[] {
  const interpreter = new Interpreter(bytes, { resolver: allOps(), arenaSize });
  interpreter.allocateTensors();
  for (let i = 0; i < inputs.length; i++) {
    const data = interpreter.input(i).data;
    new Uint8Array(data.buffer, data.byteOffset, data.byteLength).set(inputs[i]);
  }
  const count = interpreter.operatorCount;
  // Warm up: the first invokes carry V8's compilation.
  for (let r = 0; r < 3; r++) interpreter.invoke();
  const samples: number[][] = Array.from({ length: count }, () => []);
  for (let r = 0; r < runs; r++) {
    for (let i = 0; i < count; i++) {
      const t0 = performance.now();
      interpreter.invokeOperator(i);
      samples[i].push(performance.now() - t0);
    }
  }
  return samples.map(median);
}

async function profileXs(bytes: Uint8Array, inputs: Uint8Array[], runs: number, arenaSize?: number): Promise<number[]> {
  const engine = await XsEngine.start();
  try {
    const loaded = await engine.load(bytes, { arenaSize });
    await engine.setInputs(inputs);
    await engine.invoke(1);
    // What the command costs with no operator run: taken off every figure.
    const overhead = (await engine.invokeOperator(0, 0)).computrons;
    const costs: number[] = [];
    for (let i = 0; i < loaded.operators.length; i++) {
      const { computrons } = await engine.invokeOperator(i, runs);
      costs.push(Math.max(0, Math.round((computrons - overhead) / runs)));
    }
    return costs;
  } finally {
    await engine.close();
  }
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
  const perOp = await blaming(file, () => (engine === 'xs' ? profileXs(bytes, inputs, runs, arenaSize) : profileNode(bytes, inputs, runs, arenaSize)));
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
