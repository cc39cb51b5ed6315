// The linear regression example, the same on every target: when the board is ready, load the
// model, draw the plot's axes and the true line y = 2x - 1, then run 100 random x in [0, 1)
// through the model, logging "X Value" / "Y Value" and plotting a dot per inference.
// The caller brings what differs per target: the model's bytes (a Resource on Moddable), the
// display (Poco over `screen`, or a PNG framebuffer), the log sink and the timer.
// The kernels come from resolver.js, which `tflite-xs resolver model.tflite -o .` wrote with
// manifest_resolver.json: the app carries FULLY_CONNECTED and nothing else.
import { Board, Logger, Model, Plot, type Display, type LogSink, type ModelSource, type Scheduler } from 'tflite-xs/components';
import { resolver } from './resolver.js';

export interface ExampleOptions {
  model: ModelSource;
  display: Display;
  /** Default: trace(). */
  sink?: LogSink;
  /** Default: the inferences run back to back. */
  scheduler?: Scheduler;
  /** Milliseconds between inferences when there is a scheduler. Default 50. */
  interval?: number;
  /** Default 100. */
  count?: number;
  /** A seed makes the x values repeatable; without one they come from Math.random. */
  seed?: number;
  /** Called after the last inference with the pairs run. */
  onDone?: (xs: Float32Array, ys: Float32Array) => void;
}

/** The plot's frame: x over [0, 1) with some room, y = 2x - 1 over the same. */
export const PLOT_X = Object.freeze({ min: -0.2, max: 1.2 });
export const PLOT_Y = Object.freeze({ min: -1.5, max: 1.5 });
const X_TICKS: readonly number[] = Object.freeze([0, 0.5, 1]);
const Y_TICKS: readonly number[] = Object.freeze([-1, -0.5, 0, 0.5, 1]);

export function runExample(options: ExampleOptions): Board {
  const count = options.count ?? 100;
  const random = options.seed === undefined ? Math.random : seededRandom(options.seed);
  // No scheduler given: the inferences run back to back, as documented above (null, not the host's timers).
  const board = new Board({ scheduler: options.scheduler ?? null });
  board.on('ready', () => {
    const logger = new Logger({ sink: options.sink });
    const model = new Model({ model: options.model, resolver });
    logger.info(`Model: ${model.quantized ? 'int8' : 'float32'}, arena ${model.arenaBytes} bytes`);
    const plot = new Plot({
      display: options.display,
      x: PLOT_X,
      y: PLOT_Y,
      line: { slope: 2, intercept: -1 },
      title: 'y = 2x - 1',
      xTicks: X_TICKS,
      yTicks: Y_TICKS,
      capacity: count,
    });
    const xs = new Float32Array(count), ys = new Float32Array(count);
    board.loop(options.interval ?? 50, (stop, turn) => {
      if (turn >= count) {
        stop();
        return;
      }
      const x = random();
      const y = model.predict(x);
      logger.value('X', x);
      logger.value('Y', y);
      plot.point(x, y);
      xs[turn] = x;
      ys[turn] = y;
      if (turn + 1 === count) {
        stop();
        if (options.onDone) options.onDone(xs, ys);
      }
    });
  });
  return board;
}

/** mulberry32: a small, good-enough PRNG for repeatable demo inputs in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
