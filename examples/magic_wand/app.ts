// The magic wand example, the same on every target: an accelerometer read 25 times a second
// into a ring of the last 128 samples (5.12 s); every `stride` samples the ring goes through the
// gesture CNN (int8), and the gesture with the highest score is logged and shown on the display
// with the trace it was recognised in.
// The caller brings what differs per target: the model's bytes (a Resource on Moddable), the
// accelerometer (an ECMA-419 sensor, or RecordedAccelerometer over a trace), the display (Poco
// over `screen`, or a PNG framebuffer), the log sink and the timer.
// The kernels come from resolver.js, which `tflite-xs resolver model.tflite -o .` wrote with
// manifest_resolver.json.
import { Board, Logger, Model, type Display, type LogSink, type ModelSource, type Scheduler } from 'tflite-xs/components';
import { resolver } from './resolver.js';
import { STANDARD_GRAVITY, type Accelerometer } from './accelerometer.js';
import { TraceView } from './trace-view.js';

export { RecordedAccelerometer, encodeTrace, type Accelerometer } from './accelerometer.js';

/** The model's gestures in the order of its scores (TFLM's magic wand names). */
export const LABELS: readonly string[] = Object.freeze(['wing', 'ring', 'slope', 'negative']);
export const NEGATIVE = 3;
/** Samples a second, and samples in the model's window. */
export const RATE = 25;
export const WINDOW = 128;

export interface WandOptions {
  model: ModelSource;
  accelerometer: Accelerometer;
  display: Display;
  /** Default: trace() (the serial console), or stdout on Node. */
  sink?: LogSink;
}

/** The ring of samples, the model and the view. Made once; sample() per reading, recognize() per window. */
export class MagicWand {
  readonly model: Model;
  readonly view: TraceView;
  readonly logger: Logger;
  /** The latest scores, one per gesture, 0…1. */
  readonly scores: number[] = [0, 0, 0, 0];
  /** WINDOW samples of x, y, z in g; the oldest at `oldest`. */
  readonly ring = new Float32Array(WINDOW * 3);
  private readonly accelerometer: Accelerometer;
  private readonly inverseScale: number;
  private readonly zeroPoint: number;
  private next = 0;
  private filled = 0;

  constructor(options: WandOptions) {
    this.logger = new Logger({ sink: options.sink });
    this.model = new Model({ model: options.model, resolver });
    this.accelerometer = options.accelerometer;
    if (!this.accelerometer || typeof this.accelerometer.sample !== 'function') throw new TypeError('MagicWand needs {accelerometer} with sample()');
    const interpreter = this.model.interpreter;
    const input = interpreter.input(0), output = interpreter.output(0);
    if (!(input.data instanceof Int8Array) || input.elementCount !== WINDOW * 3) throw new RangeError(`the model takes ${input.describe()}; int8 ${WINDOW} x 3 expected`);
    if (!(output.data instanceof Int8Array) || output.elementCount !== LABELS.length) throw new RangeError(`the model gives ${output.describe()}; ${LABELS.length} int8 scores expected`);
    this.inverseScale = 1 / input.scale;
    this.zeroPoint = input.zeroPoint;
    this.logger.info(`magic_wand: ${input.typeName} ${input.dims().join('x')} in, arena ${this.model.arenaBytes} bytes`);
    this.view = new TraceView({ display: options.display, classes: LABELS, samples: WINDOW, title: 'magic wand' });
  }

  /** Index of the oldest sample in the ring. */
  get oldest(): number {
    return this.filled < WINDOW ? 0 : this.next;
  }

  /** True once the ring holds a whole window. */
  get full(): boolean {
    return this.filled >= WINDOW;
  }

  /** Reads the accelerometer once into the ring (m/s² → g). */
  sample(): void {
    const s = this.accelerometer.sample();
    const ring = this.ring, at = this.next * 3;
    if (s) {
      ring[at] = s.x / STANDARD_GRAVITY;
      ring[at + 1] = s.y / STANDARD_GRAVITY;
      ring[at + 2] = s.z / STANDARD_GRAVITY;
    }
    this.next = this.next + 1 === WINDOW ? 0 : this.next + 1;
    if (this.filled < WINDOW) this.filled++;
  }

  /** Runs the model on the window (oldest sample first), shows and logs the result; returns the gesture's index. */
  recognize(): number {
    this.infer();
    const scores = this.scores;
    this.view.trace(this.ring, this.oldest);
    const verdict = this.view.result(scores);
    this.logger.info(`scores: wing ${scores[0].toFixed(2)}, ring ${scores[1].toFixed(2)}, slope ${scores[2].toFixed(2)}, negative ${scores[3].toFixed(2)}`);
    this.logger.info(LABELS[verdict]);
    return verdict;
  }

  /** The inference alone: ring → int8 input (in the arena) → invoke → scores. Allocates nothing. */
  infer(): number[] {
    const interpreter = this.model.interpreter;
    const input = interpreter.input(0).data as Int8Array;
    const ring = this.ring, inverseScale = this.inverseScale, zeroPoint = this.zeroPoint;
    const oldest = this.oldest, total = WINDOW * 3;
    let from = oldest * 3;
    for (let i = 0; i < total; i++) {
      const scaled = ring[from] * inverseScale;
      // Half away from zero, as the converter quantized the calibration data.
      let q = (scaled < 0 ? -Math.round(-scaled) : Math.round(scaled)) + zeroPoint;
      if (q < -128) q = -128; else if (q > 127) q = 127;
      input[i] = q;
      from = from + 1 === total ? 0 : from + 1;
    }
    interpreter.invoke();
    const output = interpreter.output(0);
    const data = output.data as Int8Array, scale = output.scale, outZero = output.zeroPoint;
    const scores = this.scores;
    for (let i = 0; i < scores.length; i++) scores[i] = (data[i] - outZero) * scale;
    return scores;
  }
}
Object.freeze(MagicWand.prototype);

export interface ExampleOptions extends WandOptions {
  /** Default: the samples are read back to back. */
  scheduler?: Scheduler;
  /** Samples between inferences once the ring is full. Default 32 (1.28 s). */
  stride?: number;
  /** How many samples to read. Default: forever (give a count when there is no scheduler). */
  count?: number;
  /** Called after each inference with the gesture's index and the wand. */
  onGesture?: (gesture: number, wand: MagicWand) => void;
  /** Called after the last sample. */
  onDone?: () => void;
}

/** The app: when the board is ready, a sample every 40 ms (25 Hz) and an inference every `stride` samples. */
export function runExample(options: ExampleOptions): Board {
  const count = options.count ?? Infinity;
  const stride = options.stride ?? 32;
  if (!(Number.isInteger(stride) && stride > 0)) throw new RangeError(`stride must be a positive whole number of samples, got ${stride}`);
  const board = new Board({ scheduler: options.scheduler ?? null });
  board.on('ready', () => {
    const wand = new MagicWand(options);
    // The first inference comes as soon as the ring is full, then one every `stride` samples.
    let since = stride - 1;
    board.loop(1000 / RATE, (stop, turn) => {
      if (turn >= count) {
        stop();
        return;
      }
      wand.sample();
      if (wand.full && ++since >= stride) {
        since = 0;
        const gesture = wand.recognize();
        if (options.onGesture) options.onGesture(gesture, wand);
      }
      if (turn + 1 === count) {
        stop();
        if (options.onDone) options.onDone();
      }
    });
  });
  return board;
}
