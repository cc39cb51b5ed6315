// The fuzzer: mutates every model of the golden cases with a seeded generator (and builds
// synthetic models of every kernel), and runs each through load -> allocate -> invoke under a
// time bound, on Node (worker threads, many cases per worker) or inside XS (xsnap). A failure
// prints its seed and case number and writes the model to disk, where `--replay FILE` or a
// regression test runs it again.
//
//   node dist/dev/fuzz.js [--cases N] [--seed S] [--engine node|xs] [--jobs J] [--timeout MS]
//                          [--fixtures DIR] [--out DIR] [--case I] [--replay FILE]... [--kernels MODULE]
//                          [--only mutants|synthetic|families|classic|family:NAME] [--json]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { bucketOf, classify, FAILURES, FUZZ_ARENA_BYTES, OUTCOMES, probeOutcome, runCase, runProbeCase, type CaseResult, type Outcome } from './fuzz-case.js';
import { familyCase, FAMILIES, type Family } from './fuzz-families.js';
import { runProbe, type Probe } from './fuzz-probe.js';
import { fillInput, hashBytes, mapModel, mutate, Rng, type FieldMap } from './fuzz-mutate.js';
import { synthModel } from './fuzz-synth.js';
import type { XsEngine } from '../host/runtime/xs-runner.js';
import { allOps } from '../kernels/all.js';
import { choiceOption, countOption, flag, listOption, parseCommandArgs, runMain, stringOption } from '../host/cli/args.js';
import { packagePath } from '../host/package-root.js';

export { runCase, runProbeCase, probeOutcome, classify, FAILURES, OUTCOMES, FUZZ_ARENA_BYTES, MEMORY_SLACK_BYTES, type CaseResult, type Outcome } from './fuzz-case.js';
export { familyCase, FAMILIES, type Family } from './fuzz-families.js';
export { runProbe, type Probe, type ProbeResult, type Misuse } from './fuzz-probe.js';
export { mutate, mapModel, Rng, hashBytes } from './fuzz-mutate.js';

export interface CorpusModel {
  name: string;
  bytes: Uint8Array;
  map: FieldMap;
}

export interface FuzzOptions {
  cases: number;
  seed: number;
  /** First case number: a run of cases [first, first + cases). */
  first?: number;
  engine?: 'node' | 'xs';
  jobs?: number;
  /** Per case; a case still running after this is a hang. */
  timeoutMs?: number;
  fixturesDir?: string;
  /** Where failing mutants are written; null: nowhere. */
  outDir?: string | null;
  /**
   * Node only: a module whose `resolver()` export gives the OpResolver to fuzz (a kernel set under
   * development); default allOps().
   */
  kernels?: string;
  source?: CaseSource;
  /** Progress and failures on stderr as they happen. */
  log?: (line: string) => void;
}

export interface FailureRecord {
  case: number;
  model: string;
  steps: string[];
  result: CaseResult;
  /** A hostile family's options and call sequence: replayed with the model. */
  probe?: Probe;
  file?: string;
}

export interface FuzzReport {
  engine: string;
  seed: number;
  first: number;
  cases: number;
  counts: Record<Outcome, number>;
  /** Cases per bucket (op and message): what rejected them, or how they failed. */
  buckets: Record<Outcome, Record<string, number>>;
  failures: FailureRecord[];
  ms: number;
}

export const DEFAULT_FIXTURES = packagePath('..', 'shared', 'fixtures', 'cases');

/** Every distinct model of the golden cases, in name order. */
export function loadCorpus(dir: string = DEFAULT_FIXTURES): CorpusModel[] {
  const seen = new Set<number>();
  const corpus: CorpusModel[] = [];
  for (const name of fs.readdirSync(dir).sort()) {
    const file = path.join(dir, name, 'model.tflite');
    if (!fs.existsSync(file)) continue;
    const bytes = new Uint8Array(fs.readFileSync(file));
    const hash = hashBytes(bytes) ^ bytes.length;
    if (seen.has(hash)) continue;
    seen.add(hash);
    corpus.push({ name, bytes, map: mapModel(bytes) });
  }
  if (!corpus.length) throw new Error(`no models under ${dir}`);
  return corpus;
}

/**
 * Which cases a run makes: the usual mix, the mix without hostile families ("classic"), only
 * mutants of the golden models, only synthetic models, only hostile families, or one family.
 */
export type CaseSource = 'all' | 'classic' | 'mutants' | 'synthetic' | 'families' | `family:${Family}`;

export interface FuzzCase {
  /** The golden model mutated, or "synth:OPNAME" for a synthetic one. */
  name: string;
  bytes: Uint8Array;
  steps: string[];
  /** Hostile families: options and call sequences to run the model with (fuzz-probe.ts). */
  probe?: Probe;
}

/**
 * Case `index` of a seed: always the same model. Of every twenty cases, one runs a golden model
 * unchanged with fuzzed inputs, five a synthetic single-op model, three a hostile family
 * (fuzz-families.ts), the rest a mutant.
 */
export function makeCase(corpus: readonly CorpusModel[], seed: number, index: number, source: CaseSource = 'all'): FuzzCase {
  const model = corpus[index % corpus.length];
  const rng = new Rng(seed, index);
  const one = source.startsWith('family:') ? source.slice(7) as Family : undefined;
  const roll = source === 'synthetic' ? 19 : source === 'families' || one ? 12 : source === 'mutants' ? 1 + rng.below(11)
    : source === 'classic' ? [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 15, 16, 17, 18, 19][rng.below(17)] : rng.below(20);
  if (roll === 0) return { name: model.name, bytes: model.bytes.slice(), steps: ['inputs only'] };
  if (roll >= 12 && roll < 15) {
    const hostile = familyCase(rng, model.bytes, one);
    if (hostile) return { name: hostile.name, bytes: hostile.bytes, steps: [`on ${model.name}`, ...hostile.steps], probe: hostile.probe };
  }
  if (roll >= 15) {
    const synthetic = synthModel(rng);
    if (synthetic) return { name: synthetic.name, bytes: synthetic.bytes, steps: ['synthetic'] };
  }
  const { bytes, steps } = mutate(model.bytes, model.map, rng);
  return { name: model.name, bytes, steps };
}

function emptyReport(options: FuzzOptions, engine: string): FuzzReport {
  const outcomes = OUTCOMES;
  return {
    engine, seed: options.seed, first: options.first ?? 0, cases: 0,
    counts: Object.fromEntries(outcomes.map(o => [o, 0])) as Record<Outcome, number>,
    buckets: Object.fromEntries(outcomes.map(o => [o, {}])) as unknown as Record<Outcome, Record<string, number>>,
    failures: [], ms: 0,
  };
}

function record(report: FuzzReport, options: FuzzOptions, corpus: readonly CorpusModel[], index: number, name: string, result: CaseResult): void {
  report.cases++;
  report.counts[result.outcome]++;
  // Clean runs by model: which models the mutants still get through to the end.
  const family = name.startsWith('family:') ? `${name} ` : '';
  const bucket = result.outcome === 'clean' ? (name.startsWith('synth:') || family ? name : name.replace(/_\d+$/, '')) : family + bucketOf(result);
  const buckets = report.buckets[result.outcome];
  buckets[bucket] = (buckets[bucket] ?? 0) + 1;
  if (!FAILURES.includes(result.outcome)) return;
  const { bytes, steps, probe } = makeCase(corpus, options.seed, index, options.source);
  const failure: FailureRecord = { case: index, model: name, steps, result, probe };
  // A few mutants per bucket are enough to replay; thousands of copies of one bug are not.
  if (options.outDir && buckets[bucket] <= 3) {
    fs.mkdirSync(options.outDir, { recursive: true });
    const base = path.join(options.outDir, `${result.outcome}-${name.replace(/[^\w.-]/g, '-')}-seed${options.seed}-case${index}`);
    fs.writeFileSync(`${base}.tflite`, bytes);
    fs.writeFileSync(`${base}.json`, JSON.stringify({ seed: options.seed, ...failure, engine: report.engine }, null, 2) + '\n');
    failure.file = `${base}.tflite`;
  }
  report.failures.push(failure);
  options.log?.(`${result.outcome.toUpperCase()} seed ${options.seed} case ${index} (${name}: ${steps.join('; ')}) at ${result.phase}: ${result.error ?? ''}${failure.file ? ` -> ${failure.file}` : ''}`);
}

// ---- Node: worker threads, each running a batch of cases and reporting each as it ends.

interface WorkerJob { fixturesDir: string; seed: number; indices: number[]; kernels?: string; source?: CaseSource }
type WorkerMessage = { type: 'ready' } | { type: 'result'; index: number; name: string; result: CaseResult } | { type: 'done' };

async function workerMain(job: WorkerJob): Promise<void> {
  const corpus = loadCorpus(job.fixturesDir);
  const arena = new ArrayBuffer(FUZZ_ARENA_BYTES);
  const resolver = job.kernels ? (await import(pathToFileURL(path.resolve(job.kernels)).href)).resolver() : allOps();
  parentPort!.postMessage({ type: 'ready' } satisfies WorkerMessage);
  for (const index of job.indices) {
    let result: CaseResult;
    let name = '?';
    try {
      const fuzzCase = makeCase(corpus, job.seed, index, job.source);
      name = fuzzCase.name;
      result = fuzzCase.probe ? runProbeCase(fuzzCase.bytes, fuzzCase.probe) : runCase(fuzzCase.bytes, arena, resolver);
    } catch (error) {
      result = { outcome: 'crash', phase: 'check', error: `fuzz harness: ${(error as Error)?.stack ?? error}` };
    }
    parentPort!.postMessage({ type: 'result', index, name, result } satisfies WorkerMessage);
  }
  parentPort!.postMessage({ type: 'done' } satisfies WorkerMessage);
}

interface WorkerEnd {
  /** Cases the worker did not report, the one it was running first. */
  unfinished: number[];
  problem?: { outcome: 'hang' | 'crash'; message: string };
}

/** One worker over `indices`, reporting each case as it ends; stops at the first silent or dead spell. */
type OnResult = (index: number, result: CaseResult, name?: string) => void;

function runWorker(job: WorkerJob, indices: number[], timeoutMs: number, onResult: OnResult): Promise<WorkerEnd> {
  return new Promise(resolve => {
    let pending = indices.slice();
    let timer: NodeJS.Timeout | undefined;
    let ended = false;
    const worker = new Worker(new URL(import.meta.url), {
      workerData: { fuzzWorker: { ...job, indices } },
      // An allocation sized by a hostile field must fail, not take the machine's memory.
      resourceLimits: { maxOldGenerationSizeMb: 768 },
      stderr: true,
    });
    worker.stderr.resume();
    const end = (result: WorkerEnd) => {
      if (ended) return;
      ended = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(result);
    };
    const arm = (ms: number) => {
      clearTimeout(timer);
      timer = setTimeout(() => end({ unfinished: pending, problem: { outcome: 'hang', message: `no result within ${timeoutMs} ms` } }), ms);
    };
    arm(timeoutMs + 30000); // loading the corpus comes first
    worker.on('message', (message: WorkerMessage) => {
      if (ended) return;
      if (message.type === 'ready') arm(timeoutMs);
      else if (message.type === 'result') {
        pending = pending.filter(i => i !== message.index);
        onResult(message.index, message.result, message.name);
        arm(timeoutMs);
      } else end({ unfinished: [] });
    });
    worker.on('error', error => end({ unfinished: pending, problem: { outcome: 'crash', message: `worker died: ${error?.message ?? error}` } }));
    worker.on('exit', code => end({ unfinished: pending, problem: { outcome: 'crash', message: `worker exited with code ${code}` } }));
  });
}

/**
 * Runs `indices` in workers, a new one after each hang or death. A case that times out runs
 * once more alone with three times the bound before it counts as a hang: on a loaded machine a
 * slow case can look stuck.
 */
async function runBatch(job: WorkerJob, timeoutMs: number, onResult: OnResult): Promise<void> {
  let pending = job.indices;
  while (pending.length) {
    const run = await runWorker(job, pending, timeoutMs, onResult);
    if (!run.problem || !run.unfinished.length) return;
    const [index, ...rest] = run.unfinished;
    let result: CaseResult | undefined;
    let problem = run.problem;
    if (problem.outcome === 'hang') {
      const again = await runWorker(job, [index], timeoutMs * 3, (_, r) => { result = r; });
      if (again.problem) problem = { outcome: again.problem.outcome, message: again.problem.outcome === 'hang' ? `no result within ${timeoutMs} ms, nor alone within ${timeoutMs * 3} ms` : again.problem.message };
    }
    onResult(index, result ?? { outcome: problem.outcome, phase: 'invoke', error: `${problem.outcome === 'hang' ? 'Hang' : 'WorkerError'}: ${problem.message}` });
    pending = rest;
  }
}

async function fuzzOnNode(options: FuzzOptions, corpus: readonly CorpusModel[], report: FuzzReport): Promise<void> {
  const first = options.first ?? 0;
  const jobs = Math.max(1, Math.min(options.jobs ?? Math.min(os.availableParallelism?.() ?? 2, 4), options.cases));
  const timeoutMs = options.timeoutMs ?? 10000;
  const fixturesDir = options.fixturesDir ?? DEFAULT_FIXTURES;
  // Interleaved shares, so every worker gets every model.
  const shares: number[][] = Array.from({ length: jobs }, () => []);
  for (let i = 0; i < options.cases; i++) shares[i % jobs].push(first + i);
  let done = 0;
  const progressEvery = Math.max(1000, Math.ceil(options.cases / 20));
  await Promise.all(shares.map(indices => runBatch({ fixturesDir, seed: options.seed, indices, kernels: options.kernels, source: options.source }, timeoutMs, (index, result, name) => {
    record(report, options, corpus, index, name ?? makeCase(corpus, options.seed, index, options.source).name, result);
    if (++done % progressEvery === 0) options.log?.(`${done}/${options.cases} cases, ${FAILURES.reduce((n, o) => n + report.counts[o], 0)} failures`);
  })));
}

// ---- XS: one xsnap worker, cases sent one at a time; a case past the bound kills and restarts it.

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([promise, new Promise<'timeout'>(resolve => { timer = setTimeout(() => resolve('timeout'), ms); })])
    .finally(() => clearTimeout(timer));
}

/** Errors raised inside XS arrive as XsError; any other means the worker itself is gone. */
async function runCaseOnXs(engine: XsEngine, xsError: new (...args: never[]) => Error, bytes: Uint8Array, timeoutMs: number): Promise<CaseResult> {
  let phase: 'allocate' | 'invoke' = 'allocate';
  try {
    const loaded = await withTimeout(engine.load(bytes, { arenaSize: FUZZ_ARENA_BYTES }), timeoutMs);
    if (loaded === 'timeout') return { outcome: 'hang', phase, error: `Hang: load took over ${timeoutMs} ms` };
    phase = 'invoke';
    const rng = new Rng(hashBytes(bytes));
    const inputs = loaded.inputs.map(meta => {
      const data = new Uint8Array(meta.byteLength);
      fillInput(data, meta.type === 'float32', rng);
      return data;
    });
    const ran = await withTimeout(engine.run(inputs, 1, loaded.outputs.map(o => o.byteLength)), timeoutMs);
    if (ran === 'timeout') return { outcome: 'hang', phase, error: `Hang: invoke took over ${timeoutMs} ms` };
    if (!(await engine.modelUnchanged())) return { outcome: 'write', phase: 'check', error: 'Invariant: invoke() wrote into the model\'s bytes' };
    return { outcome: 'clean', phase: 'check' };
  } catch (error) {
    if (!(error instanceof xsError)) throw error;
    const e = error as Error;
    // The XS driver reads and allocates in one command; a ModelError there is counted as the reader's.
    const name = e?.name ?? 'Error';
    const at = phase === 'allocate' && name === 'ModelError' ? 'load' : phase;
    const result: CaseResult = { outcome: classify(at, name, e?.message ?? String(e)), phase: at, error: `${name}: ${e?.message ?? e}` };
    const op = /^([A-Z0-9_]+) \(operator \d+\)/.exec(e?.message ?? '');
    if (name === 'OpError' && op) result.op = op[1];
    return result;
  }
}

async function fuzzOnXs(options: FuzzOptions, corpus: readonly CorpusModel[], report: FuzzReport): Promise<void> {
  const first = options.first ?? 0;
  const timeoutMs = options.timeoutMs ?? 20000;
  const bundlePath = packagePath('dist', 'xs', 'tflite-xs.js');
  // Loaded only here: it locks the realm down (@endo/init), which Node-side cases must not inherit.
  const { XsEngine, XsError } = await import('../host/runtime/xs-runner.js');
  let engine = await XsEngine.start({ bundlePath });
  try {
    const restart = async () => {
      // The worker is stuck or gone: kill it (close() would wait for the stuck command).
      await (engine as unknown as { worker: { terminate(): Promise<void> } }).worker.terminate().catch(() => undefined);
      engine = await XsEngine.start({ bundlePath });
      await engine.installProbe(`(${runProbe.toString()})`);
    };
    const probeSource = `(${runProbe.toString()})`;
    await engine.installProbe(probeSource);
    for (let i = 0; i < options.cases; i++) {
      const index = first + i;
      const { bytes, name, probe } = makeCase(corpus, options.seed, index, options.source);
      const attempt = async (b: Uint8Array, ms: number): Promise<CaseResult> => {
        try {
          if (!probe) return await runCaseOnXs(engine, XsError, b, ms);
          const ran = await withTimeout(engine.probe(b, probe), ms);
          if (ran === 'timeout') return { outcome: 'hang', phase: 'invoke', error: `Hang: ${probe.misuse} case took over ${ms} ms` };
          return probeOutcome(ran.result, b.length, ran.allocatedBytes, probe);
        } catch (error) {
          return { outcome: 'crash', phase: 'invoke', error: `XS engine died: ${(error as Error)?.message ?? error}` };
        }
      };
      let result = await attempt(bytes, timeoutMs);
      if (result.outcome === 'hang') {
        // Once more with three times the bound: on a loaded machine a slow case can look stuck.
        await restart();
        result = await attempt(bytes, timeoutMs * 3);
      }
      if (result.outcome === 'hang' || result.error?.startsWith('XS engine died')) await restart();
      record(report, options, corpus, index, name, result);
      if ((i + 1) % 100 === 0) options.log?.(`${i + 1}/${options.cases} cases on XS`);
    }
  } finally {
    await engine.close();
  }
}

export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  // Hostile families run the library's own kernels: a kernel set under test gets the classic mix.
  if (!options.source && options.kernels) options = { ...options, source: 'classic' };
  const engine = options.engine ?? 'node';
  const corpus = loadCorpus(options.fixturesDir ?? DEFAULT_FIXTURES);
  const report = emptyReport(options, engine);
  const started = Date.now();
  if (engine === 'xs') await fuzzOnXs(options, corpus, report);
  else await fuzzOnNode(options, corpus, report);
  report.ms = Date.now() - started;
  report.failures.sort((a, b) => a.case - b.case);
  return report;
}

export function formatReport(report: FuzzReport): string {
  const c = report.counts;
  const lines = [
    `fuzz (${report.engine}, seed ${report.seed}, cases ${report.first}..${report.first + report.cases - 1}): ${report.cases} cases in ${(report.ms / 1000).toFixed(1)} s`,
    `  clean ${c.clean}, rejected ${c.rejected}, internal ${c.internal}, crashes ${c.crash}, hangs ${c.hang}, model writes ${c.write}`,
  ];
  for (const outcome of ['internal', 'crash', 'hang', 'write', 'rejected', 'clean'] as const) {
    const entries = Object.entries(report.buckets[outcome]).sort((a, b) => b[1] - a[1]);
    if (!entries.length) continue;
    lines.push(`  ${outcome}:`);
    const shown = outcome === 'rejected' ? 15 : 100;
    for (const [bucket, n] of entries.slice(0, shown)) lines.push(`    ${String(n).padStart(6)}  ${bucket}`);
    if (entries.length > shown) lines.push(`    ... ${entries.length - shown} more kinds`);
  }
  return lines.join('\n');
}

const FUZZ_USAGE = 'usage: fuzz [--cases N] [--seed S] [--first I | --case I] [--engine node|xs] [--jobs J] [--timeout MS] [--fixtures DIR] [--out DIR | --no-out] [--replay FILE]... [--kernels MODULE] [--only mutants|synthetic|families|classic|family:NAME] [--json]';

function parseFuzzArgs(argv: string[]): { options: FuzzOptions; replay: string[]; json: boolean } | null {
  const args = parseCommandArgs('fuzz', argv, {
    cases: { type: 'string' }, seed: { type: 'string' }, first: { type: 'string' }, case: { type: 'string' },
    engine: { type: 'string' }, jobs: { type: 'string' }, timeout: { type: 'string' }, fixtures: { type: 'string' },
    out: { type: 'string' }, 'no-out': { type: 'boolean' }, replay: { type: 'string', multiple: true },
    kernels: { type: 'string' }, only: { type: 'string' }, json: { type: 'boolean' },
  });
  if (args.help) return null;
  const options: FuzzOptions = { cases: countOption(args, 'cases', 1000), seed: countOption(args, 'seed', 1), outDir: 'fuzz-failures' };
  options.first = countOption(args, 'first', undefined);
  const single = countOption(args, 'case', undefined);
  if (single !== undefined) { options.first = single; options.cases = 1; }
  if (stringOption(args, 'engine') !== undefined) options.engine = choiceOption(args, 'engine', ['node', 'xs'] as const, 'node');
  const jobs = countOption(args, 'jobs', undefined);
  if (jobs !== undefined) options.jobs = Math.max(1, jobs);
  const timeout = countOption(args, 'timeout', undefined);
  if (timeout !== undefined) options.timeoutMs = Math.max(1, timeout);
  options.fixturesDir = stringOption(args, 'fixtures');
  if (stringOption(args, 'out') !== undefined) options.outDir = stringOption(args, 'out')!;
  if (flag(args, 'no-out')) options.outDir = null;
  options.kernels = stringOption(args, 'kernels');
  if (stringOption(args, 'only') !== undefined) {
    options.source = choiceOption(args, 'only', ['mutants', 'synthetic', 'families', 'classic', ...FAMILIES.map(f => `family:${f}`)] as readonly string[], 'mutants') as CaseSource;
  }
  return { options, replay: listOption(args, 'replay'), json: flag(args, 'json') };
}

async function main(argv: string[]): Promise<number> {
  const parsed = parseFuzzArgs(argv);
  if (!parsed) {
    console.log(FUZZ_USAGE);
    return 0;
  }
  const { options, replay, json } = parsed;
  if (replay.length) {
    let failed = 0;
    for (const file of replay) {
      const json = file.replace(/\.tflite$/, '.json');
      const probe = fs.existsSync(json) ? (JSON.parse(fs.readFileSync(json, 'utf8')) as { probe?: Probe }).probe : undefined;
      const bytes = new Uint8Array(fs.readFileSync(file));
      const result = probe ? runProbeCase(bytes, probe) : runCase(bytes);
      if (FAILURES.includes(result.outcome)) failed++;
      console.log(`${file}: ${result.outcome} at ${result.phase}${result.error ? `: ${result.error}` : ''}${result.stack ? `\n${result.stack}` : ''}`);
    }
    return failed ? 1 : 0;
  }
  options.log = line => console.error(line);
  const report = await runFuzz(options);
  console.log(json ? JSON.stringify(report, null, 2) : formatReport(report));
  return FAILURES.some(o => report.counts[o] > 0) ? 1 : 0;
}

if (!isMainThread && workerData?.fuzzWorker) {
  void workerMain(workerData.fuzzWorker as WorkerJob);
} else if (isMainThread && process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  runMain('fuzz', main);
}
