// `tflite-xs inspect`: what a model is and what it needs: its inputs and outputs, its operators
// (and whether tflite-xs has a kernel for each), MACs, weight bytes, the arena, and the
// OpResolver line an app registers.
import { readModel, type Model } from '../../core/model.js';
import { Interpreter } from '../../core/interpreter.js';
import type { Kernel } from '../../core/kernel.js';
import { allOps } from '../../kernels/all.js';
import * as kernelExports from '../../kernels/index.js';
import { blaming, flag, parseCommandArgs, expectPositionals } from './args.js';
import { describeParams, graphParams, type TensorParams } from './cli-values.js';
import { readBytes } from './files.js';
import { countMacs } from './macs.js';

export const INSPECT_USAGE = `usage: tflite-xs inspect MODEL.tflite [--ops] [--json]

Prints the model's inputs and outputs (name, type, shape, scale, zero point), its operators with
their counts, whether tflite-xs has a kernel for each and the types that kernel takes, the
multiply-accumulates per inference, the bytes of weights, the arena (planned tensors, and in
total with what kernels keep), and the resolver an app needs:
  new OpResolver([CONV_2D, SOFTMAX])  with  import { CONV_2D, SOFTMAX } from 'tflite-xs/kernels'

Options:
  --ops        also list every operator in order, with its tensors and MACs
  --json       the same as one JSON object (type names as in \`run --json\`: "int8", "float32")
  -h, --help   this text`;

export interface OperatorUse {
  op: string;
  count: number;
  /** The kernel's export name in 'tflite-xs' (null: no kernel). */
  kernel: string | null;
  types: string[];
}

export interface ModelSummary {
  file: string;
  bytes: number;
  description: string;
  subgraphs: number;
  inputs: TensorParams[];
  outputs: TensorParams[];
  operators: OperatorUse[];
  operatorList: { index: number; op: string; inputs: number[]; outputs: number[]; macs: number }[];
  macs: number;
  weightBytes: number;
  arena: { plannedBytes: number; totalBytes: number } | { error: string };
  resolver: string | null;
  import: string | null;
}

/** Export name in 'tflite-xs' of every kernel object. */
function kernelNames(): Map<Kernel, string> {
  const names = new Map<Kernel, string>();
  for (const [name, value] of Object.entries(kernelExports)) names.set(value as Kernel, name);
  return names;
}

/** Every operator the model's subgraphs use, in order of first use, with the kernel for it. */
export function operatorUses(model: Model): OperatorUse[] {
  const resolver = allOps();
  const names = kernelNames();
  const uses = new Map<string, OperatorUse>();
  for (const g of model.subgraphs) {
    for (const op of g.operators) {
      let use = uses.get(op.opName);
      if (!use) {
        const kernel = resolver.find(op.builtinCode, op.opName);
        use = { op: op.opName, count: 0, kernel: kernel ? names.get(kernel) ?? kernel.name : null, types: kernel ? Array.from(kernel.types) : [] };
        uses.set(op.opName, use);
      }
      use.count++;
    }
  }
  return Array.from(uses.values());
}

/** Bytes of constant data the model's tensors refer to (each buffer counted once). */
export function weightBytes(model: Model): number {
  const seen = new Set<number>();
  let total = 0;
  for (const g of model.subgraphs) {
    for (const t of g.tensors) {
      if (t.buffer <= 0 || seen.has(t.buffer)) continue;
      seen.add(t.buffer);
      total += model.buffers[t.buffer]?.byteLength ?? 0;
    }
  }
  return total;
}

export function summarize(file: string, bytes: Uint8Array): ModelSummary {
  const model = readModel(bytes);
  const main = model.subgraphs[0];
  let arena: ModelSummary['arena'];
  try {
    const interpreter = new Interpreter(bytes, { resolver: allOps() });
    interpreter.allocateTensors();
    arena = { plannedBytes: interpreter.plannedArenaBytes, totalBytes: interpreter.arenaBytes };
  } catch (error) {
    arena = { error: `${(error as Error).name}: ${(error as Error).message}` };
  }
  const macs = countMacs(model);
  const operators = operatorUses(model);
  const kernels = operators.every(o => o.kernel) ? operators.map(o => o.kernel!).sort() : null;
  const { inputs, outputs } = graphParams(model);
  return {
    file, bytes: bytes.byteLength, description: model.description, subgraphs: model.subgraphs.length,
    inputs, outputs, operators,
    operatorList: main.operators.map((op, i) => ({ index: op.index, op: op.opName, inputs: Array.from(op.inputs), outputs: Array.from(op.outputs), macs: macs.perOperator[i] })),
    macs: macs.total, weightBytes: weightBytes(model), arena,
    resolver: kernels && `new OpResolver([${kernels.join(', ')}])`,
    import: kernels && `import { OpResolver } from 'tflite-xs'; import { ${kernels.join(', ')} } from 'tflite-xs/kernels';`,
  };
}

const group = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');

function tensorLine(p: TensorParams, i: number): string {
  const quant = p.scale ? `  scale ${Number(p.scale.toPrecision(6))}  zero point ${p.zeroPoint}` : '';
  return `  ${i}  ${describeParams(p)}${quant}`;
}

export function formatSummary(s: ModelSummary, withOps: boolean): string {
  const ops = s.operators.reduce((a, o) => a + o.count, 0);
  const lines = [`${s.file}: ${group(s.bytes)} bytes, ${s.subgraphs} subgraph${s.subgraphs === 1 ? '' : 's'}, ${ops} operator${ops === 1 ? '' : 's'}`];
  if (s.description) lines.push(`description: ${s.description}`);
  lines.push('inputs:', ...s.inputs.map(tensorLine), 'outputs:', ...s.outputs.map(tensorLine));
  const width = Math.max(8, ...s.operators.map(o => o.op.length));
  lines.push('operators:');
  for (const o of s.operators) {
    const status = o.kernel ? `runs (${o.types.join(', ')})` : 'NO KERNEL in tflite-xs';
    lines.push(`  ${String(o.count).padStart(4)} x ${o.op.padEnd(width)}  ${status}`);
  }
  lines.push(`MACs: ${group(s.macs)} per inference`);
  lines.push(`weights: ${group(s.weightBytes)} bytes`);
  lines.push('error' in s.arena
    ? `arena: not allocatable: ${s.arena.error}`
    : `arena: ${group(s.arena.totalBytes)} bytes: ${group(s.arena.plannedBytes)} planned for tensors, ${group(s.arena.totalBytes - s.arena.plannedBytes)} kept by kernels`);
  if (s.resolver) lines.push(`resolver: ${s.resolver}`, `  ${s.import}`);
  else lines.push(`resolver: none can run this model (missing: ${s.operators.filter(o => !o.kernel).map(o => o.op).join(', ')})`);
  if (withOps) {
    lines.push('operators in order (subgraph 0):');
    for (const o of s.operatorList) {
      lines.push(`  ${String(o.index).padStart(3)} ${o.op.padEnd(width)} in [${o.inputs.join(', ')}] out [${o.outputs.join(', ')}]${o.macs ? `  ${group(o.macs)} MACs` : ''}`);
    }
  }
  return lines.join('\n');
}

export async function inspectCommand(argv: string[], print: (text: string) => void): Promise<number> {
  const args = parseCommandArgs('tflite-xs inspect', argv, { json: { type: 'boolean' }, ops: { type: 'boolean' } });
  if (args.help) { print(INSPECT_USAGE); return 0; }
  const [file] = expectPositionals(args, 'MODEL.tflite');
  const bytes = readBytes(file, 'model');
  const summary = await blaming(file, () => summarize(file, bytes));
  print(flag(args, 'json') ? JSON.stringify(summary) : formatSummary(summary, flag(args, 'ops')));
  return 0;
}
