// One fuzz case on Node: load -> allocate -> invoke a (mutated) model, and what the contract
// says of the way it ended. Shared by the fuzzer's workers and the regression tests.
import { Interpreter } from '../core/interpreter.js';
import { readModel, type Model } from '../core/model.js';
import { TensorType } from '../core/types.js';
import { allOps } from '../kernels/all.js';
import type { OpResolver } from '../core/resolver.js';
import { fillInput, hashBytes, Rng } from './fuzz-mutate.js';
import { runProbe, type Probe, type ProbeResult } from './fuzz-probe.js';
import * as core from '../index.js';
import { ALL_KERNELS } from '../kernels/all.js';

/** The library as the XS bundle's global `tflite` has it: the core and every kernel. */
const tflite = Object.freeze({ ...core, ALL_KERNELS });

export type Phase = 'load' | 'allocate' | 'invoke' | 'check';

/**
 * clean: ran to the end. rejected: a named error the contract allows (ModelError, ArenaError, or
 * an OpError a kernel raised on purpose). internal: an OpError wrapping an unexpected exception
 * in a kernel's prepare/eval, i.e. a kernel that did not validate its tensors. crash: any other
 * exception, or a broken invariant (wrong answers after misuse, memory past the declared arena).
 * hang: no answer within the time bound. write: the model's bytes changed (on a device they are
 * in flash).
 */
export type Outcome = 'clean' | 'rejected' | 'internal' | 'crash' | 'hang' | 'write';
export const OUTCOMES: readonly Outcome[] = ['clean', 'rejected', 'internal', 'crash', 'hang', 'write'];

export interface CaseResult {
  outcome: Outcome;
  phase: Phase;
  /** "Name: message" of the error that ended the case, if any. */
  error?: string;
  /** Operator named by an OpError. */
  op?: string;
  /** First frames of a crash's stack (Node only), to find the line. */
  stack?: string;
}

export const FAILURES: readonly Outcome[] = ['internal', 'crash', 'hang', 'write'];

/** Outcome of an error by name and message: works for errors that crossed from XS as text. */
export function classify(phase: Phase, name: string, message: string): Outcome {
  if (name === 'OpError' && /failed in (prepare|eval):/.test(message)) return 'internal';
  if (phase === 'load') return name === 'ModelError' ? 'rejected' : 'crash';
  if (phase === 'check') return 'crash';
  return name === 'ModelError' || name === 'OpError' || name === 'ArenaError' ? 'rejected' : 'crash';
}

/** Groups results: same op and message with the numbers taken out. */
export function bucketOf(result: CaseResult): string {
  const message = (result.error ?? '').replace(/"[^"]*"/g, '"…"').replace(/(?<![\w.])-?\d+(\.\d+)?(e[-+]?\d+)?/g, 'N');
  if (result.outcome === 'internal') {
    const stage = /failed in (prepare|eval)/.exec(message)?.[1] ?? '';
    return `${result.op ?? '?'} ${stage}: ${message.replace(/^.*failed in (prepare|eval): /, '').slice(0, 160)}`;
  }
  return `${result.phase} ${message.slice(0, 160)}`;
}

/** Largest arena a fuzz case may have: a hostile shape must fail with ArenaError, not allocate. */
export const FUZZ_ARENA_BYTES = 4 << 20;

function errorResult(phase: Phase, error: unknown): CaseResult {
  const e = error as { name?: string; message?: string; opName?: string; stack?: string } | null;
  const name = (e && e.name) || 'Error';
  const message = e && typeof e.message === 'string' ? e.message : String(error);
  const outcome = classify(phase, name, message);
  const result: CaseResult = { outcome, phase, error: `${name}: ${message}` };
  if (e && typeof e.opName === 'string') result.op = e.opName;
  if (outcome === 'crash' && e && typeof e.stack === 'string') result.stack = e.stack.split('\n').slice(0, 6).join('\n');
  return result;
}

/**
 * Runs one model as a user would: inputs filled from a generator seeded by the model's own bytes
 * (so a saved file replays alone), two invokes (stateful kernels), outputs read back, and the
 * model's bytes compared before and after (constants are read-only).
 */
export function runCase(bytes: Uint8Array, arena: ArrayBuffer = new ArrayBuffer(FUZZ_ARENA_BYTES), resolver: OpResolver = allOps()): CaseResult {
  const before = hashBytes(bytes);
  let model: Model;
  try {
    model = readModel(bytes);
  } catch (error) {
    return errorResult('load', error);
  }
  let interpreter: Interpreter;
  try {
    interpreter = new Interpreter(model, { resolver, arena });
    interpreter.allocateTensors();
  } catch (error) {
    return errorResult('allocate', error);
  }
  try {
    const rng = new Rng(before);
    for (let i = 0; i < interpreter.inputCount; i++) {
      const input = interpreter.input(i);
      if (!input.isConstant) fillInput(input.bytes, input.type === TensorType.FLOAT32, rng);
    }
    interpreter.invoke();
    interpreter.invoke();
    for (let i = 0; i < interpreter.outputCount; i++) interpreter.output(i).dequantize();
  } catch (error) {
    return errorResult('invoke', error);
  }
  if (hashBytes(bytes) !== before) return { outcome: 'write', phase: 'check', error: 'Invariant: invoke() wrote into the model\'s bytes' };
  const misuse = checkMisuse(interpreter) ?? checkEarlyCalls(model, resolver);
  if (misuse) return { outcome: 'crash', phase: 'check', error: `Invariant: ${misuse}` };
  return { outcome: 'clean', phase: 'check' };
}

/** Calls before allocateTensors() on a fresh interpreter of the same model: each a UsageError. */
function checkEarlyCalls(model: Model, resolver: OpResolver): string | null {
  const early = new Interpreter(model, { resolver });
  const calls: [string, () => unknown][] = [
    ['invoke() before allocateTensors()', () => early.invoke()],
    ['input(0) before allocateTensors()', () => early.input(0)],
    ['setInput(0) before allocateTensors()', () => early.setInput(0, new Uint8Array(0))],
  ];
  return firstMisuseAccepted(calls);
}

/**
 * Bad calls a user could make on a working interpreter: each must be a UsageError, and the
 * interpreter must invoke as before afterwards. Returns what went wrong, or null.
 */
function checkMisuse(interpreter: Interpreter): string | null {
  const count = interpreter.inputCount;
  const calls: [string, () => unknown][] = [
    [`setInput(${count}) of ${count} inputs`, () => interpreter.setInput(count, new Uint8Array(0))],
    ['input(-1)', () => interpreter.input(-1)],
    ['output(0.5)', () => interpreter.output(0.5)],
  ];
  for (let i = 0; i < count; i++) {
    const input = interpreter.input(i);
    if (input.isConstant) continue;
    const wrongType = input.type === TensorType.FLOAT64 ? new Int16Array(input.elementCount) : new Float64Array(input.elementCount);
    calls.push(
      [`setInput(${i}) with ${input.byteLength + 1} bytes`, () => interpreter.setInput(i, new Uint8Array(input.byteLength + 1))],
      [`setInput(${i}) with a ${wrongType.constructor.name}`, () => interpreter.setInput(i, wrongType)],
      [`setInput(${i}) with an Array`, () => interpreter.setInput(i, [1, 2] as unknown as Uint8Array)],
    );
  }
  const accepted = firstMisuseAccepted(calls);
  if (accepted) return accepted;
  try {
    interpreter.invoke();
  } catch (error) {
    return `invoke() after rejected calls threw ${(error as Error)?.name}: ${(error as Error)?.message}`;
  }
  return null;
}

/** The first call that does not throw a UsageError, described; null if all do. */
function firstMisuseAccepted(calls: readonly [string, () => unknown][]): string | null {
  for (const [what, call] of calls) {
    try {
      call();
      return `${what} did not throw`;
    } catch (error) {
      if ((error as Error)?.name !== 'UsageError') return `${what} threw ${(error as Error)?.name}: ${(error as Error)?.message}`;
    }
  }
  return null;
}

/**
 * Memory a hostile case may hold beyond its declared arena, weight cache and model: the
 * interpreter's own objects and the reader's index vectors.
 */
export const MEMORY_SLACK_BYTES = 8 << 20;

/** A probe's result (Node or XS) as a fuzz outcome; `usedBytes` is the memory seen at its peak. */
export function probeOutcome(result: ProbeResult, modelBytes: number, usedBytes: number | undefined, probe?: Probe): CaseResult {
  if (result.modelWritten) return { outcome: 'write', phase: result.phase, error: `Invariant: the model's bytes changed${result.name ? ` (ended in ${result.name}: ${result.message})` : ''}` };
  if (result.invariant) return { outcome: 'crash', phase: result.phase, error: `Invariant: ${result.invariant}` };
  const bound = result.declaredBytes + 2 * modelBytes + MEMORY_SLACK_BYTES;
  if (usedBytes !== undefined && usedBytes > bound) {
    return { outcome: 'crash', phase: result.phase, error: `Invariant: memory: held ${usedBytes} bytes, over the declared ${result.declaredBytes} + model ${modelBytes} (bound ${bound})` };
  }
  if (!result.name) return { outcome: 'clean', phase: 'check' };
  const message = result.message ?? '';
  // Misuse must be named as such: a re-entrant allocateTensors() reported as a bad model misleads.
  if (probe?.misuse === 'reenter' && result.name !== 'UsageError') {
    return { outcome: 'crash', phase: result.phase, error: `Invariant: re-entrant allocateTensors() ended in ${result.name}, not a UsageError: ${message.slice(0, 200)}` };
  }
  // Hostile options and calls out of order are the caller's mistake: a UsageError is the contract.
  const outcome = result.name === 'UsageError' ? 'rejected' : classify(result.phase === 'check' ? 'invoke' : result.phase, result.name, message);
  const out: CaseResult = { outcome, phase: result.phase, error: `${result.name}: ${message.length > 300 ? `${message.slice(0, 300)}…` : message}` };
  const op = /^([A-Z0-9_]+) \(operator \d+\)/.exec(message);
  if (result.name === 'OpError' && op) out.op = op[1];
  return out;
}

/** Runs a hostile family's case on Node, measuring ArrayBuffer memory at its peak. */
export function runProbeCase(bytes: Uint8Array, probe: Probe): CaseResult {
  const result = runProbe(tflite, bytes, probe, () => process.memoryUsage().arrayBuffers);
  return probeOutcome(result, bytes.length, result.measuredBytes, probe);
}
