// Scatter plot with a reference line, drawn with filled rectangles only, against the small part
// of Commodetto's Poco that every target has: on Moddable a Poco over the app's `screen`
// (ILI9341 or the simulator), on the host a framebuffer written as PNG (src/host/png-screen.ts).
//
// Poco keeps no framebuffer: every pixel inside begin()..end() must be drawn again, and each
// frame's commands must fit its display list. So all drawing goes through paint(region), which
// redraws everything that touches the region and issues only rectangles clipped to it; a full
// redraw is done in bands, and a new point repaints just the few pixels around it.

/** What the plot draws on: a subset of Poco's API. Colors are whatever makeColor returns. */
export interface Display {
  readonly width: number;
  readonly height: number;
  makeColor(r: number, g: number, b: number): number;
  begin(x?: number, y?: number, width?: number, height?: number): void;
  fillRectangle(color: number, x: number, y: number, width: number, height: number): void;
  end(): void;
}

export interface Range {
  min: number;
  max: number;
}

export interface PlotColors {
  background: [number, number, number];
  area: [number, number, number];
  grid: [number, number, number];
  axis: [number, number, number];
  line: [number, number, number];
  point: [number, number, number];
  text: [number, number, number];
}

export interface PlotOptions {
  display: Display;
  x: Range;
  y: Range;
  /** The reference line y = slope * x + intercept; left out, none is drawn. */
  line?: { slope: number; intercept: number };
  /** Text at the top, in the line's color. Characters the built-in font lacks print as blanks. */
  title?: string;
  /** Tick positions; left out, about four "nice" steps per axis. */
  xTicks?: readonly number[];
  yTicks?: readonly number[];
  /** How many points are kept to repaint the plot; older ones are forgotten. Default 256. */
  capacity?: number;
  colors?: Partial<PlotColors>;
  /** Rows per frame of a full redraw, to keep each frame within Poco's display list. Default 16. */
  band?: number;
}

const rgb = (r: number, g: number, b: number): [number, number, number] => Object.freeze([r, g, b]) as [number, number, number];
const DEFAULT_COLORS: PlotColors = Object.freeze({
  background: rgb(0, 0, 0),
  area: rgb(20, 24, 36),
  grid: rgb(44, 52, 72),
  axis: rgb(150, 156, 170),
  line: rgb(0, 190, 255),
  point: rgb(255, 140, 0),
  text: rgb(215, 220, 230),
});

// A 3x5 pixel font, one 15-bit number per glyph (rows top to bottom, 3 bits each, left bit high).
const GLYPH_CHARS = '0123456789-.=+xyn ';
const GLYPH_BITS: readonly number[] = Object.freeze([
  0o75557, 0o26227, 0o71747, 0o71717, 0o55711, 0o74717, 0o74757, 0o71122, 0o75757, 0o75717,
  0o00700, 0o00002, 0o07070, 0o02720, 0o05250, 0o55222, 0o06555, 0o00000,
]);
const GLYPH_SCALE = 2;
const GLYPH_ADVANCE = 4 * GLYPH_SCALE;
const POINT_RADIUS = 2;

// Left: room for a four-character tick label ("-0.5", 30 pixels) and a gap.
const MARGIN_LEFT = 36, MARGIN_RIGHT = 8, MARGIN_TOP = 24, MARGIN_BOTTOM = 24;

export function textWidth(text: string): number {
  return text.length ? text.length * GLYPH_ADVANCE - GLYPH_SCALE : 0;
}

/** Steps of 1, 2 or 5 times a power of ten, about `count` of them across the range. */
export function niceTicks(range: Range, count = 4): number[] {
  const span = range.max - range.min;
  if (!(span > 0)) return [];
  const raw = span / count;
  const power = Math.pow(10, Math.floor(Math.log10(raw)));
  // The epsilon keeps 3.4999999 (float noise on 3.5) in the step it is meant for.
  const unit = raw / power + 1e-9;
  const step = (unit < 1.5 ? 1 : unit < 3.5 ? 2 : unit < 7.5 ? 5 : 10) * power;
  const ticks: number[] = [];
  for (let k = Math.ceil(range.min / step - 1e-9); k * step <= range.max + 1e-9; k++) {
    ticks.push(Math.round(k * step * 1e9) / 1e9 + 0); // + 0 turns -0 into 0
  }
  return ticks;
}

/** A tick label: at most two decimals, no trailing zeros, no "-0". */
export function tickLabel(value: number): string {
  let text = (Math.round(value * 100) / 100).toFixed(2);
  while (text.charAt(text.length - 1) === '0') text = text.slice(0, -1);
  if (text.charAt(text.length - 1) === '.') text = text.slice(0, -1);
  return text === '-0' ? '0' : text;
}

export class PlotDriver {
  readonly display: Display;
  readonly x: Range;
  readonly y: Range;
  /** The plot area on the display. */
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
  private readonly line: { slope: number; intercept: number } | null;
  private readonly title: string;
  private readonly xTicks: readonly number[];
  private readonly yTicks: readonly number[];
  private readonly band: number;
  private readonly colors: { [K in keyof PlotColors]: number };
  private readonly pointX: Float64Array;
  private readonly pointY: Float64Array;
  private pointCount = 0;
  private pointNext = 0;
  // The region being painted; rectangles outside it are skipped, those across it are clipped.
  private clipX = 0;
  private clipY = 0;
  private clipRight = 0;
  private clipBottom = 0;

  constructor(options: PlotOptions) {
    if (!options || !options.display) throw new TypeError('PlotDriver needs {display}');
    const { display } = options;
    checkRange('x', options.x);
    checkRange('y', options.y);
    this.display = display;
    this.x = { min: options.x.min, max: options.x.max };
    this.y = { min: options.y.min, max: options.y.max };
    this.left = MARGIN_LEFT;
    this.top = MARGIN_TOP;
    this.width = display.width - MARGIN_LEFT - MARGIN_RIGHT;
    this.height = display.height - MARGIN_TOP - MARGIN_BOTTOM;
    if (this.width < 16 || this.height < 16) throw new RangeError(`display ${display.width}x${display.height} is too small for a plot`);
    this.line = options.line ? { slope: options.line.slope, intercept: options.line.intercept } : null;
    this.title = options.title ?? '';
    this.xTicks = options.xTicks ?? niceTicks(this.x);
    this.yTicks = options.yTicks ?? niceTicks(this.y);
    this.band = Math.max(1, options.band ?? 16);
    const capacity = options.capacity ?? 256;
    if (!(Number.isInteger(capacity) && capacity > 0)) throw new RangeError(`capacity must be a positive whole number, got ${capacity}`);
    this.pointX = new Float64Array(capacity);
    this.pointY = new Float64Array(capacity);
    const palette = { ...DEFAULT_COLORS, ...options.colors };
    this.colors = {
      background: color(display, palette.background),
      area: color(display, palette.area),
      grid: color(display, palette.grid),
      axis: color(display, palette.axis),
      line: color(display, palette.line),
      point: color(display, palette.point),
      text: color(display, palette.text),
    };
  }

  get points(): number {
    return this.pointCount;
  }

  /** Pixel column of data x (may fall outside the area). */
  columnOf(x: number): number {
    return this.left + Math.round((x - this.x.min) / (this.x.max - this.x.min) * (this.width - 1));
  }

  /** Pixel row of data y (may fall outside the area). */
  rowOf(y: number): number {
    return this.top + Math.round((this.y.max - y) / (this.y.max - this.y.min) * (this.height - 1));
  }

  /** Redraws the whole display, band by band. */
  redraw(): void {
    const { width, height } = this.display;
    for (let y = 0; y < height; y += this.band) this.paint(0, y, width, Math.min(this.band, height - y));
  }

  /** Forgets every point and redraws. */
  clear(): void {
    this.pointCount = 0;
    this.pointNext = 0;
    this.redraw();
  }

  /** Adds a point and draws it (repainting only the pixels around it). */
  plot(x: number, y: number): void {
    const capacity = this.pointX.length;
    this.pointX[this.pointNext] = x;
    this.pointY[this.pointNext] = y;
    this.pointNext = (this.pointNext + 1) % capacity;
    if (this.pointCount < capacity) this.pointCount++;
    if (!(Number.isFinite(x) && Number.isFinite(y))) return;
    const size = 2 * POINT_RADIUS + 1;
    this.paint(this.columnOf(x) - POINT_RADIUS, this.rowOf(y) - POINT_RADIUS, size, size);
  }

  /** Repaints one region of the display in one frame. */
  paint(x: number, y: number, width: number, height: number): void {
    const display = this.display;
    let right = Math.min(x + width, display.width), bottom = Math.min(y + height, display.height);
    x = Math.max(x, 0);
    y = Math.max(y, 0);
    if (right <= x || bottom <= y) return;
    this.clipX = x;
    this.clipY = y;
    this.clipRight = right;
    this.clipBottom = bottom;
    display.begin(x, y, right - x, bottom - y);
    this.paintBackground();
    this.paintGrid();
    this.paintLine();
    this.paintPoints();
    this.paintLabels();
    display.end();
  }

  private fill(color: number, x: number, y: number, width: number, height: number): void {
    let right = x + width, bottom = y + height;
    if (x < this.clipX) x = this.clipX;
    if (y < this.clipY) y = this.clipY;
    if (right > this.clipRight) right = this.clipRight;
    if (bottom > this.clipBottom) bottom = this.clipBottom;
    if (right > x && bottom > y) this.display.fillRectangle(color, x, y, right - x, bottom - y);
  }

  private paintBackground(): void {
    const { colors } = this;
    this.fill(colors.background, this.clipX, this.clipY, this.clipRight - this.clipX, this.clipBottom - this.clipY);
    this.fill(colors.area, this.left, this.top, this.width, this.height);
  }

  private paintGrid(): void {
    const { colors, left, top, width, height } = this;
    for (const t of this.xTicks) this.fill(colors.grid, this.columnOf(t), top, 1, height);
    for (const t of this.yTicks) this.fill(colors.grid, left, this.rowOf(t), width, 1);
    // Axes through zero where zero is in range, else along the area's edges.
    const axisColumn = this.x.min <= 0 && this.x.max >= 0 ? this.columnOf(0) : left;
    const axisRow = this.y.min <= 0 && this.y.max >= 0 ? this.rowOf(0) : top + height - 1;
    this.fill(colors.axis, axisColumn, top, 1, height);
    this.fill(colors.axis, left, axisRow, width, 1);
    for (const t of this.xTicks) this.fill(colors.axis, this.columnOf(t), axisRow - 2, 1, 5);
    for (const t of this.yTicks) this.fill(colors.axis, axisColumn - 2, this.rowOf(t), 5, 1);
  }

  private paintLine(): void {
    const line = this.line;
    if (!line) return;
    const { left, top, width, height } = this;
    const first = Math.max(this.clipX, left), last = Math.min(this.clipRight, left + width) - 1;
    const xSpan = (this.x.max - this.x.min) / (width - 1);
    const ySpan = (this.y.max - this.y.min) / (height - 1);
    for (let column = first; column <= last; column++) {
      // The rows the line crosses over this column's width, two pixels thick.
      const x0 = this.x.min + (column - left - 0.5) * xSpan, x1 = x0 + xSpan;
      const r0 = top + (this.y.max - (line.slope * x0 + line.intercept)) / ySpan;
      const r1 = top + (this.y.max - (line.slope * x1 + line.intercept)) / ySpan;
      let upper = Math.round(Math.min(r0, r1)), lower = Math.round(Math.max(r0, r1));
      if (lower < upper + 1) lower = upper + 1;
      if (upper < top) upper = top;
      if (lower > top + height - 1) lower = top + height - 1;
      if (lower >= upper) this.fill(this.colors.line, column, upper, 1, lower - upper + 1);
    }
  }

  private paintPoints(): void {
    const capacity = this.pointX.length;
    const start = (this.pointNext - this.pointCount + capacity) % capacity;
    const color = this.colors.point;
    const r = POINT_RADIUS;
    for (let i = 0; i < this.pointCount; i++) {
      const k = (start + i) % capacity;
      const x = this.pointX[k], y = this.pointY[k];
      if (!(Number.isFinite(x) && Number.isFinite(y))) continue;
      const column = this.columnOf(x), row = this.rowOf(y);
      if (column + r < this.clipX || column - r >= this.clipRight || row + r < this.clipY || row - r >= this.clipBottom) continue;
      // A round-ish dot: a plus of two rectangles.
      this.fill(color, column - r + 1, row - r, 2 * r - 1, 2 * r + 1);
      this.fill(color, column - r, row - r + 1, 2 * r + 1, 2 * r - 1);
    }
  }

  private paintLabels(): void {
    const { colors, left, top, width, height } = this;
    const glyphHeight = 5 * GLYPH_SCALE;
    // Skip the text work entirely when the region is inside the plot area (every new point).
    if (this.clipX >= left && this.clipRight <= left + width && this.clipY >= top && this.clipBottom <= top + height) return;
    for (const t of this.xTicks) {
      const label = tickLabel(t);
      this.text(label, colors.text, this.columnOf(t) - (textWidth(label) >> 1), top + height + 6);
    }
    for (const t of this.yTicks) {
      const label = tickLabel(t);
      this.text(label, colors.text, left - 5 - textWidth(label), this.rowOf(t) - (glyphHeight >> 1));
    }
    this.text('x', colors.text, left + width - textWidth('x'), top + height - glyphHeight - 4);
    this.text('y', colors.text, left + 4, top + 4);
    if (this.title) this.text(this.title, colors.line, left + ((width - textWidth(this.title)) >> 1), (top - glyphHeight) >> 1);
  }

  private text(text: string, color: number, x: number, y: number): void {
    const s = GLYPH_SCALE;
    if (y >= this.clipBottom || y + 5 * s <= this.clipY || x >= this.clipRight || x + textWidth(text) <= this.clipX) return;
    for (let i = 0; i < text.length; i++, x += GLYPH_ADVANCE) {
      const index = GLYPH_CHARS.indexOf(text.charAt(i));
      const bits = index < 0 ? 0 : GLYPH_BITS[index];
      for (let row = 0; row < 5; row++) {
        const rowBits = (bits >> (3 * (4 - row))) & 7;
        // One rectangle per run of lit pixels in the row.
        for (let col = 0; col < 3; col++) {
          if (!(rowBits & (4 >> col))) continue;
          let run = 1;
          while (col + run < 3 && rowBits & (4 >> (col + run))) run++;
          this.fill(color, x + col * s, y + row * s, run * s, s);
          col += run - 1;
        }
      }
    }
  }
}
Object.freeze(PlotDriver.prototype);

function checkRange(name: string, range: Range | undefined): void {
  if (!range || !(Number.isFinite(range.min) && Number.isFinite(range.max) && range.max > range.min)) {
    throw new RangeError(`${name} must be {min, max} with min < max`);
  }
}

function color(display: Display, rgb: readonly number[]): number {
  return display.makeColor(rgb[0], rgb[1], rgb[2]);
}
