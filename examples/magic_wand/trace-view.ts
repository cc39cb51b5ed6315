// The wand's display: the last 128 accelerometer samples as three lines (x red, y green, z blue,
// −3 g … +3 g, grid lines at ±1 g) where FrameViewDriver would put a camera frame, and under it
// the driver's verdict and a bar per gesture score. FrameViewDriver draws the title and the
// panel; this draws the trace into the frame's rectangle, through the same rectangles-only part
// of Poco, in bands of a few samples so each Poco frame stays within its display list.
import { FrameViewDriver, type Display } from 'tflite-xs/drivers';

/** Canvas in FrameViewDriver's frame units: 112 × 64 at scale 2 is 224 × 128 on a 240 × 320 screen. */
const CANVAS_WIDTH = 112, CANVAS_HEIGHT = 64;
/** The trace's range in g. */
export const TRACE_RANGE = 3;
/** Samples per Poco frame: 3 lines × 8 samples + background and grid = 28 rectangles. */
const BAND = 8;
const BACKGROUND = 0x141824, GRID = 0x2c3448, ZERO = 0x596278;
const AXIS_COLORS: readonly number[] = Object.freeze([0xff5050, 0x50dc78, 0x50a0ff]);

export interface TraceViewOptions {
  display: Display;
  classes: readonly string[];
  /** Samples in the trace (the model's window). */
  samples: number;
  title?: string;
}

export class TraceView {
  readonly driver: FrameViewDriver;
  readonly samples: number;
  /** The canvas on the display. */
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
  private readonly display: Display;
  private readonly colors: { background: number; grid: number; zero: number; axes: number[] };

  /** Draws the title, the empty trace and the gesture names at once. */
  constructor(options: TraceViewOptions) {
    this.display = options.display;
    this.samples = options.samples;
    if (!(Number.isInteger(this.samples) && this.samples > 1)) throw new RangeError(`TraceView: samples must be a whole number > 1, got ${this.samples}`);
    this.driver = new FrameViewDriver({ display: options.display, frameWidth: CANVAS_WIDTH, frameHeight: CANVAS_HEIGHT, classes: options.classes, title: options.title });
    const d = this.driver;
    this.left = d.frameX;
    this.top = d.frameY;
    this.width = CANVAS_WIDTH * d.scale;
    this.height = CANVAS_HEIGHT * d.scale;
    const rgb = (c: number) => options.display.makeColor(c >>> 16, (c >>> 8) & 255, c & 255);
    this.colors = { background: rgb(BACKGROUND), grid: rgb(GRID), zero: rgb(ZERO), axes: AXIS_COLORS.map(rgb) };
    d.redraw();
  }

  /** Display column of sample k. */
  columnOf(k: number): number {
    return this.left + Math.floor(k * this.width / this.samples);
  }

  /** Display row of a value in g (clamped into the canvas). */
  rowOf(g: number): number {
    const h = this.height;
    let row = Math.round((TRACE_RANGE - g) * (h - 1) / (2 * TRACE_RANGE));
    if (!(row >= 0)) row = 0;
    else if (row > h - 1) row = h - 1;
    return this.top + row;
  }

  /**
   * Draws the trace: `ring` holds samples × 3 values in g, the oldest sample at index `oldest`.
   * Each sample is a step of its column's width from the previous value's row to its own.
   */
  trace(ring: Float32Array, oldest: number): void {
    const samples = this.samples, display = this.display, colors = this.colors, axes = colors.axes;
    const top = this.top, height = this.height, left = this.left;
    const plusOne = this.rowOf(1), minusOne = this.rowOf(-1), zero = this.rowOf(0);
    for (let first = 0; first < samples; first += BAND) {
      const last = first + BAND < samples ? first + BAND : samples;
      const x0 = this.columnOf(first), x1 = last < samples ? this.columnOf(last) : left + this.width;
      display.begin(x0, top, x1 - x0, height);
      display.fillRectangle(colors.background, x0, top, x1 - x0, height);
      display.fillRectangle(colors.grid, x0, plusOne, x1 - x0, 1);
      display.fillRectangle(colors.grid, x0, minusOne, x1 - x0, 1);
      display.fillRectangle(colors.zero, x0, zero, x1 - x0, 1);
      for (let k = first; k < last; k++) {
        const at = ((oldest + k) % samples) * 3, before = ((oldest + (k > 0 ? k - 1 : 0)) % samples) * 3;
        const c0 = this.columnOf(k), c1 = k + 1 < samples ? this.columnOf(k + 1) : left + this.width;
        for (let a = 0; a < 3; a++) {
          const r0 = this.rowOf(ring[before + a]), r1 = this.rowOf(ring[at + a]);
          const low = r0 < r1 ? r0 : r1, high = r0 < r1 ? r1 : r0;
          display.fillRectangle(axes[a], c0, low, c1 - c0, high - low + 2 <= top + height - low ? high - low + 2 : top + height - low);
        }
      }
      display.end();
    }
  }

  /** Shows the scores (one per gesture, 0…1): the best one's name and a bar each; returns its index. */
  result(scores: ArrayLike<number>): number {
    return this.driver.result(scores);
  }
}
Object.freeze(TraceView.prototype);
