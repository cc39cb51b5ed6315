// `npm run bench`: per model, MACs, arena and model bytes; on XS computrons per invoke and per MAC,
// heap slots created per invoke and held by the model, wall time; on Node time per invoke next to
// reference TFLite's in the same run. Then RAM: ramBytes = arena + 16 B × XS slots the loaded model
// holds, beside TFLM's whole arena, lean and with a weight cache. `--json` prints one JSON object; `--per-op` adds a per-operator
// breakdown; `--only SUBSTR` picks models; `--weight-cache BYTES` lets kernels repack weights into
// that much RAM (default 0: weights read in place, as from flash). Computrons and byte counts are deterministic; times
// are medians on a shared machine, to be read as ratios.
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Interpreter } from '../core/interpreter.js';
import { readModel } from '../core/model.js';
import { allOps } from '../kernels/all.js';
import { countOption, flag, parseCommandArgs, stringOption } from '../host/cli/args.js';
import { countMacs } from '../host/cli/macs.js';
import { XsEngine } from '../host/runtime/xs-runner.js';
import { timeReference } from '../host/runtime/reference-tflite.js';
import { medianMs } from '../host/runtime/timing.js';
import { appSizes, formatAppSizes } from '../host/authoring/app-size.js';

interface BenchModel {
  name: string;
  model: Uint8Array;
  inputs: Uint8Array[];
}

interface RamFigure { arenaBytes: number; slots: number; ramBytes: number; computronsPerMac: number | null }

/** The weight-cache budget of the bench's second RAM setting (speed bought with RAM). */
const CACHED_BYTES = 1 << 20;
/** The engine's own fixed objects the target allows beyond TFLM's arena (issue 9). */
const FIXED_ALLOWANCE = 3072;

interface OpFigure { index: number; op: string; macs: number; computrons: number; computronsPerMac: number | null; nodeMs: number }

interface Figures {
  name: string;
  macs: number;
  arenaBytes: number;
  /** The planned (reused) part of the arena alone: what TFLM's arenaHeadBytes counts. */
  plannedArenaBytes: number;
  modelBytes: number;
  /** RAM outside the arena taken by repacked weights (only with --weight-cache). */
  weightCacheBytes: number;
  xs: { computronsPerInvoke: number; computronsPerMac: number | null; heapSlotsPerInvoke: number; heapSlotsForModel: number; msPerInvoke: number } | null;
  /** RAM a loaded model holds in XS, lean (no weight cache) and with CACHED_BYTES of weight cache. */
  ram?: { lean: RamFigure; cached: RamFigure | null };
  node: { msPerInvoke: number };
  tflite: { msPerInvoke: number } | null;
  baseline?: { arenaUsedBytes: number; arenaHeadBytes: number; usPerInvoke: number; macs: number };
  perOp?: OpFigure[];
  error?: string;
}

// Case folder prefixes and the model names TFLM's baselines use for them (baselines.json names
// each model's case too; these also fold a model's other cases into one row).
const BASELINE_NAMES: [RegExp, string][] = [
  [/^hello_world_float_/, 'hello_world_float'],
  [/^hello_world_int8_/, 'hello_world_int8'],
  [/^micro_speech_/, 'micro_speech_quantized'],
  [/^person_detect_/, 'person_detect'],
  [/^keyword_scrambled_/, 'keyword_scrambled'],
  [/^mlperf_(\w+?)_(int8|fp32)_\d+$/, 'mlperf_$1_$2'],
];

function bytes(file: string): Uint8Array {
  const b = fs.readFileSync(file);
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength).slice();
}

/** One entry per distinct model among the shared cases (the first case's inputs, one step). */
function sharedModels(casesDir: string): BenchModel[] {
  if (!fs.existsSync(casesDir)) return [];
  const seen = new Map<string, BenchModel>();
  for (const dir of fs.readdirSync(casesDir).sort()) {
    const specFile = path.join(casesDir, dir, 'case.json');
    if (!fs.existsSync(specFile)) continue;
    const spec = JSON.parse(fs.readFileSync(specFile, 'utf8'));
    const rule = BASELINE_NAMES.find(([re]) => re.test(dir));
    const name = rule ? (rule[1].includes('$') ? dir.replace(rule[0], rule[1]) : rule[1]) : dir;
    if (seen.has(name)) continue;
    const model = bytes(path.join(casesDir, dir, spec.model));
    const steps = spec.steps ?? 1;
    const inputs = spec.inputs.map((i: { file: string }) => {
      const all = bytes(path.join(casesDir, dir, i.file));
      return all.subarray(0, all.byteLength / steps);
    });
    seen.set(name, { name, model, inputs });
  }
  return [...seen.values()];
}

function exampleModels(root: string): BenchModel[] {
  const dir = path.join(root, 'examples');
  const out: BenchModel[] = [];
  if (!fs.existsSync(dir)) return out;
  for (const example of fs.readdirSync(dir).sort()) {
    const folder = path.join(dir, example);
    if (!fs.statSync(folder).isDirectory()) continue;
    for (const file of fs.readdirSync(folder).filter(f => f.endsWith('.tflite')).sort()) {
      const model = bytes(path.join(folder, file));
      try {
        const interpreter = new Interpreter(model, { resolver: allOps() }).allocateTensors();
        const inputs: Uint8Array[] = [];
        for (let i = 0; i < interpreter.inputCount; i++) inputs.push(new Uint8Array(interpreter.input(i).byteLength));
        out.push({ name: `${example}/${file}`, model, inputs });
      } catch {
        // not runnable: reported by measure() when it is tried
      }
    }
  }
  return out;
}

async function referenceTime(model: Uint8Array, inputs: Uint8Array[], budgetMs: number): Promise<number | null> {
  try {
    return await timeReference(model, inputs, budgetMs);
  } catch {
    return null; // reference TFLite refuses some models (person_detect's quantized_dimension)
  }
}

/** Node and reference TFLite figures: taken before XS starts, since its lockdown slows V8. */
async function measureNode(m: BenchModel, options: { perOp: boolean; budgetMs: number; weightCacheBytes: number }): Promise<Figures> {
  const parsed = readModel(m.model);
  const macs = countMacs(parsed);
  const interpreter = new Interpreter(parsed, { resolver: allOps(), weightCacheBytes: options.weightCacheBytes }).allocateTensors();
  for (let i = 0; i < m.inputs.length; i++) interpreter.setInput(i, m.inputs[i]);
  const figures: Figures = {
    name: m.name, macs: macs.total, arenaBytes: interpreter.arenaBytes, plannedArenaBytes: interpreter.plannedArenaBytes, modelBytes: m.model.byteLength, weightCacheBytes: interpreter.weightCacheBytes,
    xs: null, node: { msPerInvoke: medianMs(() => interpreter.invoke(), options.budgetMs) }, tflite: null,
  };
  figures.tflite = await referenceTime(m.model, m.inputs, options.budgetMs).then(ms => (ms === null ? null : { msPerInvoke: ms }));
  if (options.perOp) {
    figures.perOp = macs.perOperator.map((opMacs, i) => ({
      index: i, op: interpreter.operatorName(i), macs: opMacs, computrons: 0, computronsPerMac: null,
      nodeMs: +medianMs(() => interpreter.invokeOperator(i), Math.min(50, options.budgetMs), 3).toFixed(4),
    }));
  }
  return figures;
}

/** arena + 16 B × the heap slots the loaded, allocated model holds after a collection. */
async function measureRam(engine: XsEngine, m: BenchModel, weightCacheBytes: number, macs: number): Promise<RamFigure> {
  await engine.unload();
  const before = await engine.gc();
  const loaded = await engine.load(m.model, { weightCacheBytes });
  const slots = (await engine.gc()) - before;
  await engine.setInputs(m.inputs);
  const idle = await engine.invoke(0);
  const one = await engine.invoke(1);
  // One command: trusted only well below the meter's 32-bit wrap (else no figure).
  const measured = one.computrons - idle.computrons;
  const computrons = measured > 0 && measured < 2 ** 30 ? measured : 0;
  return { arenaBytes: loaded.arenaBytes, slots, ramBytes: loaded.arenaBytes + 16 * slots, computronsPerMac: macs && computrons > 0 ? +(computrons / macs).toFixed(2) : null };
}

async function measureXs(engine: XsEngine, m: BenchModel, figures: Figures, options: { perOp: boolean; weightCacheBytes: number }): Promise<void> {
  await engine.unload();
  const before = await engine.gc();
  const loaded = await engine.load(m.model, { weightCacheBytes: options.weightCacheBytes });
  // What the loaded, allocated model holds once the garbage of loading is collected.
  const held = await engine.gc();
  await engine.setInputs(m.inputs);
  // Heap slots: each command costs the same fixed slots for its message, so the growth of a
  // command with 11 invokes minus the growth of one with 1 is what 10 invokes created (no gc between).
  const idle = await engine.invoke(0);
  const first = await engine.invoke(1);
  const repeats = 10;
  const t0 = performance.now();
  const more = await engine.invoke(repeats + 1);
  const ms = (performance.now() - t0) / (repeats + 1);
  const slots = ((more.heapCount - first.heapCount) - (first.heapCount - idle.heapCount)) / repeats;
  // The meter counts in 32 bits (signed): a command's count wraps past 2^31, and a whole invoke
  // of a large model can wrap past 2^32 to a count that looks plausible. So every operator is
  // also measured alone (each must stay far below the wrap, or the figures are refused), and
  // the whole invoke's count stands only where it agrees with their sum (it adds the
  // interpreter's own small cost between operators); else the sum is the figure.
  const opCost: number[] = [];
  let sum = 0;
  for (let i = 0; i < loaded.operators.length; i++) {
    const c = (await engine.invokeOperator(i, 1)).computrons - idle.computrons;
    if (!(c >= 0 && c < 2 ** 30)) throw new Error(`${m.name}: operator ${i} measured ${c} computrons, too near the meter's 32-bit wrap to trust`);
    opCost.push(c);
    sum += c;
  }
  const whole = first.computrons - idle.computrons;
  const perInvoke = whole > 0 && Math.abs(whole - sum) < 2 ** 30 ? whole : sum;
  figures.xs = {
    computronsPerInvoke: Math.round(perInvoke),
    computronsPerMac: figures.macs ? +(perInvoke / figures.macs).toFixed(2) : null,
    heapSlotsPerInvoke: slots,
    heapSlotsForModel: held - before,
    msPerInvoke: +ms.toFixed(3),
  };
  if (options.perOp && figures.perOp) {
    for (const op of figures.perOp) {
      op.computrons = opCost[op.index];
      op.computronsPerMac = op.macs ? +(op.computrons / op.macs).toFixed(2) : null;
    }
  }
}

function table(rows: Figures[]): string {
  const head = ['model', 'MACs', 'arena B (planned)', 'TFLM arena B (head)', 'weight cache B', 'model B', 'XS comp/invoke', 'comp/MAC', 'slots/invoke', 'slots model', 'XS ms', 'Node ms', 'TFLite ms', 'Node/TFLite', 'Node/TFLM'];
  const lines = [head];
  for (const r of rows) {
    if (r.error) continue;
    const x = r.xs!;
    lines.push([
      r.name, String(r.macs), `${r.arenaBytes} (${r.plannedArenaBytes})`, r.baseline ? `${r.baseline.arenaUsedBytes} (${r.baseline.arenaHeadBytes})` : '-', String(r.weightCacheBytes), String(r.modelBytes),
      String(x.computronsPerInvoke), x.computronsPerMac === null ? '-' : String(x.computronsPerMac), String(x.heapSlotsPerInvoke), String(x.heapSlotsForModel),
      String(x.msPerInvoke), r.node.msPerInvoke.toFixed(4), r.tflite ? r.tflite.msPerInvoke.toFixed(4) : '-',
      r.tflite ? (r.node.msPerInvoke / r.tflite.msPerInvoke).toFixed(2) : '-',
      r.baseline ? (r.node.msPerInvoke * 1000 / r.baseline.usPerInvoke).toFixed(2) : '-',
    ]);
  }
  const widths = head.map((_, c) => Math.max(...lines.map(l => (l[c] ?? '').length)));
  const out = lines.map(l => '| ' + l.map((cell, c) => (cell ?? '').padEnd(widths[c])).join(' | ') + ' |');
  out.splice(1, 0, '|' + widths.map(w => '-'.repeat(w + 2)).join('|') + '|');
  for (const r of rows) if (r.error) out.push(`${r.name}: not measured: ${r.error}`);
  return out.join('\n');
}

function ramTable(rows: Figures[]): string {
  const head = ['model', 'TFLM arena B', 'target B', 'arena B', 'slots', 'ramBytes', 'ram/TFLM', 'target', 'cached ramBytes', 'cached comp/MAC'];
  const lines = [head];
  for (const r of rows) {
    if (r.error || !r.ram) continue;
    const tflm = r.baseline?.arenaUsedBytes;
    const lean = r.ram.lean, cached = r.ram.cached;
    lines.push([
      r.name, tflm ? String(tflm) : '-', tflm ? String(tflm + FIXED_ALLOWANCE) : '-', String(lean.arenaBytes), String(lean.slots), String(lean.ramBytes),
      tflm ? (lean.ramBytes / tflm).toFixed(2) : '-', tflm ? (lean.ramBytes <= tflm + FIXED_ALLOWANCE ? 'met' : 'not met') : '-',
      cached ? String(cached.ramBytes) : 'same', cached && cached.computronsPerMac !== null ? String(cached.computronsPerMac) : '-',
    ]);
  }
  const widths = head.map((_, c) => Math.max(...lines.map(l => (l[c] ?? '').length)));
  const out = lines.map(l => '| ' + l.map((cell, c) => (cell ?? '').padEnd(widths[c])).join(' | ') + ' |');
  out.splice(1, 0, '|' + widths.map(w => '-'.repeat(w + 2)).join('|') + '|');
  return out.join('\n');
}

export async function benchMain(argv: string[]): Promise<number> {
  const args = parseCommandArgs('bench', argv, { json: { type: 'boolean' }, 'per-op': { type: 'boolean' }, only: { type: 'string' }, 'weight-cache': { type: 'string' } });
  if (args.help) {
    console.log('usage: npm run bench -- [--only NAME] [--per-op] [--weight-cache BYTES] [--json]');
    return 0;
  }
  const json = flag(args, 'json');
  const perOp = flag(args, 'per-op');
  const only = stringOption(args, 'only') ?? '';
  const weightCacheBytes = countOption(args, 'weight-cache', 0);
  const root = process.cwd();
  const shared = path.resolve(root, '../shared/fixtures');
  const baselines = fs.existsSync(path.join(shared, 'baselines.json')) ? JSON.parse(fs.readFileSync(path.join(shared, 'baselines.json'), 'utf8')).models : {};
  const models = [...sharedModels(path.join(shared, 'cases')), ...exampleModels(root)].filter(m => m.name.includes(only));
  const rows: Figures[] = [];
  for (const m of models) {
    if (!json) process.stderr.write(`bench ${m.name} (Node, TFLite)...\n`);
    try {
      const f = await measureNode(m, { perOp, budgetMs: 400, weightCacheBytes });
      if (baselines[m.name]) f.baseline = baselines[m.name];
      rows.push(f);
    } catch (error) {
      rows.push({ name: m.name, macs: 0, arenaBytes: 0, plannedArenaBytes: 0, modelBytes: m.model.byteLength, weightCacheBytes: 0, xs: null, node: { msPerInvoke: 0 }, tflite: null, error: (error as Error).message });
    }
  }
  const engine = await XsEngine.start();
  try {
    for (let i = 0; i < models.length; i++) {
      if (rows[i].error) continue;
      if (!json) process.stderr.write(`bench ${models[i].name} (XS)...\n`);
      try {
        await measureXs(engine, models[i], rows[i], { perOp, weightCacheBytes });
        const lean = await measureRam(engine, models[i], 0, rows[i].macs);
        const cached = await measureRam(engine, models[i], CACHED_BYTES, rows[i].macs);
        rows[i].ram = { lean, cached: cached.arenaBytes === lean.arenaBytes ? null : cached };
      } catch (error) {
        rows[i].error = (error as Error).message;
      }
    }
  } finally {
    await engine.close();
  }
  const apps = only ? [] : await appSizes({ root });
  if (json) {
    process.stdout.write(JSON.stringify({ models: rows.map(({ baseline, ...r }) => r), apps }) + '\n');
    return 0;
  }
  console.log(table(rows));
  console.log('\nRAM held by a loaded model (ramBytes = arena + 16 B x XS heap slots, after a collection),');
  console.log(`lean (weights in place) and with a ${CACHED_BYTES}-byte weight cache, against TFLM's whole arena:`);
  console.log(ramTable(rows));
  if (apps.length) {
    console.log('\nApp bundles (device entry and only the library modules it uses, not minified):');
    console.log(formatAppSizes(apps).split('\n').map(l => `  ${l}`).join('\n'));
  }
  if (perOp) {
    for (const r of rows) {
      if (!r.perOp) continue;
      console.log(`\n${r.name} per operator:`);
      for (const p of r.perOp) {
        console.log(`  ${String(p.index).padStart(3)} ${p.op.padEnd(28)} MACs ${String(p.macs).padStart(9)}  computrons ${String(p.computrons).padStart(11)}  per MAC ${p.computronsPerMac ?? '-'}  node ${p.nodeMs} ms`);
      }
    }
  }
  return 0;
}
