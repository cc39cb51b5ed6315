// Per-operator timing, as TFLM's MicroProfiler: the interpreter reads a tick before and after each
// operator of the main subgraph and keeps, per operator, the ticks of the last invoke and their
// sum since clear(). The tick source is injected (Moddable's `() => Time.ticks` on a device,
// `() => performance.now()` on the host, the XS meter in `tflite-xs profile --engine xs`), so this
// module imports nothing of any platform. Opt-in: an interpreter given a profiler asks for
// 16 bytes per operator in its arena's persistent tail (counted in arenaBytes) and allocates
// nothing per invoke; one without it pays nothing but the option's slot.
import type { Kernel } from './kernel.js';
import { UsageError } from './errors.js';

/** A clock: any monotonic number (ms, µs, cycles, computrons). */
export type TickSource = () => number;

const UNBOUND = 'the profiler is not attached: pass it as new Interpreter(model, {resolver, profiler}) and call allocateTensors()';

export class Profiler {
  /** The tick source, read twice per operator by the interpreter. */
  readonly tick: TickSource;
  /** @internal Per operator: ticks of the last invoke, and their sum since clear(). Views of the arena once attached. */
  last: Float64Array | null = null;
  /** @internal */
  sum: Float64Array | null = null;
  /** @internal Invokes since clear(); counted by the interpreter. */
  invokes = 0;
  // The interpreter's kernels, for operator names (the array the interpreter keeps, not a copy).
  private kernels: readonly Kernel[] | null = null;

  constructor(tick: TickSource) {
    if (typeof tick !== 'function') {
      throw new UsageError('new Profiler(tick) needs a tick source: a function returning a number (() => Time.ticks on Moddable, () => performance.now() on a host)');
    }
    this.tick = tick;
  }

  /** @internal Called once by the interpreter's allocateTensors() with its arena views. */
  attach(kernels: readonly Kernel[], last: Float64Array, sum: Float64Array): void {
    if (this.kernels !== null && this.kernels !== kernels) throw new UsageError('this profiler is already attached to another interpreter: make one per interpreter');
    this.kernels = kernels;
    this.last = last;
    this.sum = sum;
    this.invokes = 0;
  }

  get attached(): boolean {
    return this.kernels !== null;
  }

  /** Operators of the main subgraph, in the order they run. */
  get operatorCount(): number {
    return this.kernels ? this.kernels.length : 0;
  }

  /** Invokes timed since clear() (or since allocateTensors()). */
  get invokeCount(): number {
    return this.invokes;
  }

  operatorName(index: number): string {
    return this.bound(index, 'operatorName').kernels![index].name;
  }

  /** Ticks operator `index` took in the last invoke. */
  ticks(index: number): number {
    return this.bound(index, 'ticks').last![index];
  }

  /** Ticks operator `index` took over every invoke since clear(). */
  totalTicks(index: number): number {
    return this.bound(index, 'totalTicks').sum![index];
  }

  /** Ticks of every operator in the last invoke, summed (TFLM's GetTotalTicks). */
  get lastInvokeTicks(): number {
    const last = this.last;
    let total = 0;
    if (last) for (let i = 0; i < last.length; i++) total += last[i];
    return total;
  }

  /** Forgets every figure (TFLM's ClearEvents). */
  clear(): void {
    if (this.last) this.last.fill(0);
    if (this.sum) this.sum.fill(0);
    this.invokes = 0;
  }

  /**
   * One line per operator of the last invoke, in order, as TFLM's MicroProfiler::Log
   * ("CONV_2D took 1234 ticks"), prefixed with the operator's index. Makes strings: call it
   * between inferences, not in a hot loop.
   */
  log(print: (line: string) => void): void {
    const count = this.operatorCount;
    if (count === 0) throw new UsageError(`log(): ${UNBOUND}`);
    for (let i = 0; i < count; i++) print(`${i} ${this.kernels![i].name} took ${this.last![i]} ticks`);
  }

  private bound(index: number, what: string): this {
    const kernels = this.kernels;
    if (kernels === null) throw new UsageError(`${what}(): ${UNBOUND}`);
    if (!Number.isInteger(index) || index < 0 || index >= kernels.length) {
      throw new UsageError(`${what}(${index}): the model has ${kernels.length} operators`);
    }
    return this;
  }
}

Object.freeze(Profiler.prototype);
