// `tflite-xs inspect`: what a model is and what it needs: its inputs and outputs, its operators
// (and whether tflite-xs has a kernel for each), MACs, weight bytes, the arena and its plan (which
// tensor lives where and when, the bytes in use at each operator, the peak), the RAM a loaded
// model holds (arena + 16 B per XS slot, measured inside XS as `npm run bench` does), and the
// OpResolver line an app registers.
import { readModel, type Model } from '../../core/model.js';
import { Interpreter } from '../../core/interpreter.js';
import type { MemoryPlan } from '../../core/allocator.js';
import type { Kernel } from '../../core/kernel.js';
import { allOps } from '../../kernels/all.js';
import * as kernelExports from '../../kernels/index.js';
import { blaming, flag, parseCommandArgs, expectPositionals } from './args.js';
import { describeParams, graphParams, type TensorParams } from './cli-values.js';
import { readBytes } from './files.js';
import { countMacs } from './macs.js';
import { XsEngine } from '../runtime/xs-runner.js';

export const INSPECT_USAGE = `usage: tflite-xs inspect MODEL.tflite [--ops] [--plan] [--no-xs] [--json]

Prints the model's inputs and outputs (name, type, shape, scale, zero point), its operators with
their counts, whether tflite-xs has a kernel for each and the types that kernel takes, the
multiply-accumulates per inference, the bytes of weights, the arena (the planned head, where
tensors reuse bytes, and the persistent tail) with its peak operator, the RAM a loaded model
holds, and the resolver an app needs:
  new OpResolver([CONV_2D, SOFTMAX])  with  import { CONV_2D, SOFTMAX } from 'tflite-xs/kernels'

RAM is the device-fit figure of \`npm run bench\`: arena bytes + 16 B for every XS heap slot the
loaded model holds after allocateTensors(), counted inside the XS engine (@agoric/xsnap) when it
is installed; without it (or with --no-xs) only the arena part is shown, and says so.

Options:
  --ops        also list every operator in order, with its tensors and MACs
  --plan       also print the arena plan: every planned tensor's offset, size and first and
               last operator, then operator by operator the tensors alive and the bytes in use
  --no-xs      do not start the XS engine (RAM shows the arena part only)
  --json       the same as one JSON object, the plan always included (type names as in
               \`run --json\`: "int8", "float32")
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
  /** The arena's layout (Interpreter.memoryLayout()); null when the model cannot be allocated. */
  plan: MemoryPlan | null;
  /** RAM a loaded model holds: arena + 16 B × XS slots (null until measured in XS; see `source`). */
  ram: RamFigure | null;
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

export interface RamFigure {
  arenaBytes: number;
  /** XS heap slots the loaded, allocated model holds after a collection; null when not measured. */
  slots: number | null;
  /** arenaBytes + 16 × slots; null when the slots were not measured. */
  ramBytes: number | null;
  /** 'xs' when measured inside the XS engine; otherwise why not. */
  source: string;
}

/** Bytes an XS slot takes (xsSlot on a 32-bit device; what `npm run bench` counts). */
export const SLOT_BYTES = 16;

/**
 * The slots part of the RAM figure, as bench.ts measureRam: the heap's slot count after a
 * collection, before and after loading and allocating the model (with weights read in place).
 */
export async function measureRam(bytes: Uint8Array, arenaBytes: number): Promise<RamFigure> {
  let engine: XsEngine;
  try {
    engine = await XsEngine.start();
  } catch (error) {
    return { arenaBytes, slots: null, ramBytes: null, source: `not measured: ${(error as Error).message.split('\n')[0]}` };
  }
  try {
    // Load once first, as bench's measurement follows its speed runs: what the first load creates
    // once for the engine's life is not the model's (2 slots on micro_speech; bench's figure then agrees).
    await engine.load(bytes);
    await engine.unload();
    const before = await engine.gc();
    const loaded = await engine.load(bytes);
    const slots = (await engine.gc()) - before;
    return { arenaBytes: loaded.arenaBytes, slots, ramBytes: loaded.arenaBytes + SLOT_BYTES * slots, source: 'xs' };
  } catch (error) {
    // The rest of what inspect prints still holds: say why there is no slot count.
    return { arenaBytes, slots: null, ramBytes: null, source: `not measured: XS refused the model: ${(error as Error).name}: ${(error as Error).message}` };
  } finally {
    await engine.close();
  }
}

export function summarize(file: string, bytes: Uint8Array): ModelSummary {
  const model = readModel(bytes);
  const main = model.subgraphs[0];
  let arena: ModelSummary['arena'];
  let plan: MemoryPlan | null = null;
  try {
    const interpreter = new Interpreter(bytes, { resolver: allOps() });
    interpreter.allocateTensors();
    arena = { plannedBytes: interpreter.plannedArenaBytes, totalBytes: interpreter.arenaBytes };
    plan = interpreter.memoryLayout();
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
    macs: macs.total, weightBytes: weightBytes(model), arena, plan,
    ram: 'error' in arena ? null : { arenaBytes: arena.totalBytes, slots: null, ramBytes: null, source: 'not measured' },
    resolver: kernels && `new OpResolver([${kernels.join(', ')}])`,
    import: kernels && `import { OpResolver } from 'tflite-xs'; import { ${kernels.join(', ')} } from 'tflite-xs/kernels';`,
  };
}

const group = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');

function tensorLine(p: TensorParams, i: number): string {
  const quant = p.scale ? `  scale ${Number(p.scale.toPrecision(6))}  zero point ${p.zeroPoint}` : '';
  return `  ${i}  ${describeParams(p)}${quant}`;
}

function ramLine(r: RamFigure): string {
  if (r.ramBytes !== null) return `RAM: ${group(r.ramBytes)} bytes held by the loaded model = arena ${group(r.arenaBytes)} + ${SLOT_BYTES} x ${group(r.slots!)} XS slots (measured in XS after allocateTensors(), as npm run bench)`;
  return `RAM: arena ${group(r.arenaBytes)} bytes + ${SLOT_BYTES} B per XS slot the model holds (slots ${r.source})`;
}

/** Operator `index` of a subgraph as "op 3 CONV_2D". */
const opLabel = (plan: MemoryPlan['graphs'][number], index: number) => `op ${index} ${plan.operators[index].op}`;

function peakLines(plan: MemoryPlan): string[] {
  const lines: string[] = [];
  for (const g of plan.graphs) {
    if (!g.peak) continue;
    const where = plan.graphs.length > 1 ? `subgraph ${g.subgraph} ` : '';
    const gap = g.headBytes - g.peak.bytes;
    const live = g.operators[g.peak.index].tensors;
    lines.push(`  ${where}peak: ${opLabel(g, g.peak.index)}, ${group(g.peak.bytes)} bytes in use (tensors ${live.join(', ') || 'none'}${g.operators[g.peak.index].scratchBytes ? ` + ${group(g.operators[g.peak.index].scratchBytes)} scratch` : ''})` +
      (gap ? `; the head is ${group(g.headBytes)}: ${group(gap)} lost to the planner's placement` : ': the whole head'));
  }
  return lines;
}

function planLines(plan: MemoryPlan): string[] {
  const lines: string[] = [];
  for (const g of plan.graphs) {
    lines.push(`arena plan, subgraph ${g.subgraph}${g.name ? ` "${g.name}"` : ''}: head ${group(g.headBytes)} bytes at ${group(g.headOffset)}`);
    lines.push(`  ${'tensor'.padStart(7)}  ${'type'.padEnd(8)} ${'bytes'.padStart(9)} ${'offset'.padStart(9)}  ops     name`);
    const order = g.buffers.slice().sort((a, b) => a.offset - b.offset || a.first - b.first);
    for (const b of order) {
      const ops = b.first === b.last ? String(b.first) : `${b.first}..${b.last}`;
      const name = b.tensor < 0 ? '(scratch)' : b.name.length > 48 ? `${b.name.slice(0, 45)}...` : b.name;
      lines.push(`  ${(b.tensor < 0 ? '-' : String(b.tensor)).padStart(7)}  ${b.type.padEnd(8)} ${String(b.bytes).padStart(9)} ${String(b.offset).padStart(9)}  ${ops.padEnd(7)} ${name}`);
    }
    for (const t of g.tail) lines.push(`  ${String(t.tensor).padStart(7)}  ${t.type.padEnd(8)} ${String(t.bytes).padStart(9)} ${String(t.offset).padStart(9)}  tail    ${t.name}`);
    if (g.persistentBuffers) lines.push(`  kernels' persistent data: ${g.persistentBuffers} buffer${g.persistentBuffers === 1 ? '' : 's'}, ${group(g.persistentBytes)} bytes in the tail`);
    const width = Math.max(8, ...g.operators.map(o => o.op.length));
    lines.push(`  ${'op'.padStart(4)}  ${'operator'.padEnd(width)} ${'in use'.padStart(9)}  tensors alive`);
    for (const o of g.operators) {
      const peak = g.peak && g.peak.index === o.index ? '  <- peak' : '';
      lines.push(`  ${String(o.index).padStart(4)}  ${o.op.padEnd(width)} ${String(o.bytes).padStart(9)}  ${o.tensors.join(', ')}${o.scratchBytes ? ` + ${o.scratchBytes} scratch` : ''}${peak}`);
    }
  }
  return lines;
}

export function formatSummary(s: ModelSummary, withOps: boolean, withPlan = false): string {
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
  if ('error' in s.arena) lines.push(`arena: not allocatable: ${s.arena.error}`);
  else lines.push(`arena: ${group(s.arena.totalBytes)} bytes: ${group(s.arena.plannedBytes)} planned head (tensors and scratch, reused), ${group(s.arena.totalBytes - s.arena.plannedBytes)} persistent tail (kernels' data, variables, the interpreter's own)`);
  if (s.plan) lines.push(...peakLines(s.plan));
  if (s.ram) lines.push(ramLine(s.ram));
  if (s.resolver) lines.push(`resolver: ${s.resolver}`, `  ${s.import}`);
  else lines.push(`resolver: none can run this model (missing: ${s.operators.filter(o => !o.kernel).map(o => o.op).join(', ')})`);
  if (withOps) {
    lines.push('operators in order (subgraph 0):');
    for (const o of s.operatorList) {
      lines.push(`  ${String(o.index).padStart(3)} ${o.op.padEnd(width)} in [${o.inputs.join(', ')}] out [${o.outputs.join(', ')}]${o.macs ? `  ${group(o.macs)} MACs` : ''}`);
    }
  }
  if (withPlan && s.plan) lines.push(...planLines(s.plan));
  return lines.join('\n');
}

export async function inspectCommand(argv: string[], print: (text: string) => void): Promise<number> {
  const args = parseCommandArgs('tflite-xs inspect', argv, { json: { type: 'boolean' }, ops: { type: 'boolean' }, plan: { type: 'boolean' }, 'no-xs': { type: 'boolean' } });
  if (args.help) { print(INSPECT_USAGE); return 0; }
  const [file] = expectPositionals(args, 'MODEL.tflite');
  const bytes = readBytes(file, 'model');
  const summary = await blaming(file, () => summarize(file, bytes));
  // XS last: starting it locks the realm down, which slows Node-side work after it.
  if (summary.ram) {
    summary.ram = flag(args, 'no-xs')
      ? { ...summary.ram, source: 'not measured: --no-xs' }
      : await blaming(file, () => measureRam(bytes, summary.ram!.arenaBytes));
  }
  print(flag(args, 'json') ? JSON.stringify(summary) : formatSummary(summary, flag(args, 'ops'), flag(args, 'plan')));
  return 0;
}
