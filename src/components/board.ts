// The board: the app's lifecycle and clock, as Johnny-Five's `new Board()` / `board.on("ready")`.
// Timing comes from a scheduler the app passes in (Moddable's Timer on a device); without one,
// the host's setInterval where there is one (Node), so loop(ms) waits ms there too. With
// `scheduler: null`, or on an engine without timers, loops run back to back. Its clock (`ticks`)
// is injected the same way, for a Profiler: Moddable's `() => Time.ticks` on a device,
// performance.now() where the engine has it.
import type { TickSource } from '../core/profiler.js';
import { Emitter } from './emitter.js';

/** Repeating timers, shaped like Moddable's Timer.repeat / Timer.clear. */
export interface Scheduler {
  repeat(callback: () => void, interval: number): unknown;
  clear(handle: unknown): void;
}

export interface BoardOptions {
  /** A name for messages. Default "board". */
  id?: string;
  /**
   * Left out: the host's setInterval/clearInterval when the engine has them, else back to back.
   * null: loops run synchronously until stopped (fast host runs and tests).
   */
  scheduler?: Scheduler | null;
  /**
   * The board's clock, for `new Profiler(board.ticks)`: `() => Time.ticks` on Moddable. Left
   * out: performance.now() when the engine has it (Node, xsnap), else none.
   */
  ticks?: TickSource | null;
}

/** Called once per turn of a loop; call `stop()` to end it. */
export type LoopCallback = (stop: () => void, turn: number) => void;

interface TimerGlobals {
  setInterval?: (callback: () => void, ms: number) => unknown;
  clearInterval?: (handle: unknown) => void;
}

/** setInterval/clearInterval as a Scheduler, looked up when a board is made; null without them. */
export function hostScheduler(): Scheduler | null {
  const g = globalThis as TimerGlobals;
  const set = g.setInterval, clear = g.clearInterval;
  if (typeof set !== 'function' || typeof clear !== 'function') return null;
  return { repeat: (callback, interval) => set(callback, interval), clear: handle => { clear(handle); } };
}

/** performance.now() as a TickSource, looked up when a board is made; null without it. */
export function hostTicks(): TickSource | null {
  const perf = (globalThis as { performance?: { now?: () => number } }).performance;
  if (!perf || typeof perf.now !== 'function') return null;
  return () => perf.now!();
}

export class Board extends Emitter {
  readonly id: string;
  /** The board's clock (ms on Moddable and the host); null when there is none. */
  readonly ticks: TickSource | null;
  private readonly scheduler: Scheduler | null;
  private isReady = false;

  constructor(options: BoardOptions = {}) {
    super();
    if (options === null || typeof options !== 'object') throw new TypeError('new Board(options): options must be an object');
    const scheduler = options.scheduler === undefined ? hostScheduler() : options.scheduler;
    if (scheduler && (typeof scheduler.repeat !== 'function' || typeof scheduler.clear !== 'function')) {
      throw new TypeError('Board: scheduler needs repeat(callback, interval) and clear(handle)');
    }
    const ticks = options.ticks === undefined ? hostTicks() : options.ticks;
    if (ticks !== null && typeof ticks !== 'function') throw new TypeError('Board: ticks must be a function returning a number (() => Time.ticks on Moddable)');
    this.id = options.id ?? 'board';
    this.ticks = ticks;
    this.scheduler = scheduler;
    // "ready" comes after the constructor returns, so listeners added right after `new` hear it.
    Promise.resolve().then(() => {
      this.isReady = true;
      this.emit('ready');
    });
  }

  get ready(): boolean {
    return this.isReady;
  }

  /**
   * Calls `callback` every `interval` ms (the first time after `interval`) until it calls stop();
   * then emits "done". With no scheduler the turns run at once, back to back, and loop() returns
   * after the last one.
   */
  loop(interval: number, callback: LoopCallback): void {
    if (!(interval >= 0)) throw new RangeError(`loop interval must be >= 0 ms, got ${interval}`);
    if (typeof callback !== 'function') throw new TypeError('loop(interval, callback): callback must be a function');
    let stopped = false;
    let turn = 0;
    const scheduler = this.scheduler;
    if (!scheduler) {
      const stop = () => { stopped = true; };
      while (!stopped) callback(stop, turn++);
      this.emit('done');
      return;
    }
    let handle: unknown = undefined;
    const stop = () => {
      if (stopped) return;
      stopped = true;
      if (handle !== undefined) scheduler.clear(handle);
      this.emit('done');
    };
    handle = scheduler.repeat(() => {
      if (!stopped) callback(stop, turn++);
    }, interval);
    // A callback that stopped on its first, synchronous, turn left the handle to clear here.
    if (stopped) scheduler.clear(handle);
  }
}
Object.freeze(Board.prototype);
