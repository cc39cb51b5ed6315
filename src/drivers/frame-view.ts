// A camera frame and a classifier's verdict on a display: the frame scaled up in gray at the top,
// under it the verdict in large letters and one bar per class with its score. Drawn with filled
// rectangles only, through the same small part of Poco as the plot (src/drivers/plot.ts).
//
// Poco keeps no framebuffer and each frame's commands must fit its display list (1024 bytes,
// about 80 rectangles). So the picture goes in regions whose rectangle count is worked out before
// begin(): gray levels are cut to 5 bits (what an RGB565 panel shows) and equal neighbours merged
// into one rectangle; the text and bars are drawn in bands a few rows high.
import type { Display } from './plot.js';

export interface FrameViewOptions {
  display: Display;
  /** The frame's size in pixels (96 × 96 for person_detect). */
  frameWidth: number;
  frameHeight: number;
  /** The class names, in the order of the model's scores. */
  classes: readonly string[];
  /** The class (or classes) shown in the highlight color when it wins (person; yes and no); the others in the plain one. */
  positive?: number | readonly number[];
  /** Text at the top. Characters the built-in font lacks print as blanks. */
  title?: string;
  /** Most rectangles in one Poco frame. Default 60 (the plot's test bound). */
  budget?: number;
}

// A 3x5 pixel font, one 15-bit number per glyph (rows top to bottom, 3 bits each, left bit high).
// Letters are capitals (all 26); text is upper-cased before drawing.
// Digits come first, so that a digit's glyph is its value (scores are drawn without strings).
const GLYPH_CHARS = '0123456789-.:% ABCDEINOPRSTFGHJKLMQUVWXYZ';
const GLYPH_BITS: readonly number[] = Object.freeze([
  0o75557, 0o26227, 0o71747, 0o71717, 0o55711, 0o74717, 0o74757, 0o71122, 0o75757, 0o75717,
  0o00700, 0o00002, 0o02020, 0o41241, 0o00000,
  0o25755, 0o65656, 0o34443, 0o65556, 0o74647, 0o72227, 0o57755, 0o25552, 0o65644, 0o65655, 0o34216, 0o72222,
  0o74644, 0o34553, 0o55755, 0o11152, 0o55655, 0o44447, 0o57555, 0o25573, 0o55557, 0o55552, 0o55775, 0o55255, 0o55222, 0o71247,
]);
const GLYPH_DOT = 11, GLYPH_SPACE = 14;
// "0.94": four glyphs after the class name and a space.
const SCORE_GLYPHS = 4;

/** The glyph of each character (a blank for those the font lacks), upper-cased. */
function glyphsOf(text: string): Uint8Array {
  const upper = text.toUpperCase();
  const glyphs = new Uint8Array(upper.length);
  for (let i = 0; i < upper.length; i++) {
    const index = GLYPH_CHARS.indexOf(upper.charAt(i));
    glyphs[i] = index < 0 ? GLYPH_SPACE : index;
  }
  return glyphs;
}
const LEVELS = 32;
const MARGIN = 8;
const TITLE_SCALE = 2, VERDICT_SCALE = 3, LABEL_SCALE = 2;
const BAR_HEIGHT = 8;
// Bands of this many rows keep one glyph row of any of the scales above per band, at most two.
const BAND = 3;

const BACKGROUND = 0x000000, TEXT = 0xd7dce6, POSITIVE = 0x30d060, PLAIN = 0xffa030, BAR_TRACK = 0x2c3448;

/** Pixel width of `text` at `scale`. */
export function glyphTextWidth(text: string, scale: number): number {
  return glyphsWidth(text.length, scale);
}

// From a count: reading a string's length in XS makes a wrapper object, which drawing must not.
function glyphsWidth(count: number, scale: number): number {
  return count ? count * 4 * scale - scale : 0;
}

/** The score as shown: two decimals, "0.94". */
export function formatScore(score: number): string {
  return (Math.round(score * 100) / 100).toFixed(2);
}

export class FrameViewDriver {
  readonly display: Display;
  readonly frameWidth: number;
  readonly frameHeight: number;
  /** Where the frame is drawn and how many display pixels a frame pixel takes. */
  readonly frameX: number;
  readonly frameY: number;
  readonly scale: number;
  /** The rows under the frame where the verdict and bars go. */
  readonly panelY: number;
  private readonly classes: readonly string[];
  // Each text as glyphs, made once: drawing a result makes no strings.
  private readonly classGlyphs: readonly Uint8Array[];
  private readonly titleGlyphs: Uint8Array;
  private readonly positive: Uint8Array;
  private readonly title: string;
  private readonly budget: number;
  private readonly grays: number[];
  private readonly colors: { background: number; text: number; positive: number; plain: number; track: number };
  private readonly scores: Float64Array;
  private winner = -1;
  private scored = false;
  // The region being painted; rectangles outside it are skipped, those across it are clipped.
  private clipX = 0;
  private clipY = 0;
  private clipRight = 0;
  private clipBottom = 0;

  constructor(options: FrameViewOptions) {
    if (!options || !options.display) throw new TypeError('FrameViewDriver needs {display}');
    const { display, frameWidth, frameHeight, classes } = options;
    if (!(Number.isInteger(frameWidth) && frameWidth > 0 && Number.isInteger(frameHeight) && frameHeight > 0)) {
      throw new RangeError(`frame size must be positive whole numbers, got ${frameWidth}x${frameHeight}`);
    }
    if (!classes || classes.length < 1) throw new TypeError('FrameViewDriver needs {classes: [...]}, one name per score');
    this.display = display;
    this.frameWidth = frameWidth;
    this.frameHeight = frameHeight;
    this.classes = classes.map(name => String(name).toUpperCase());
    this.classGlyphs = this.classes.map(glyphsOf);
    this.positive = new Uint8Array(classes.length);
    const positive = options.positive ?? [];
    for (const index of typeof positive === 'number' ? [positive] : positive) if (index >= 0 && index < classes.length) this.positive[index] = 1;
    this.title = (options.title ?? '').toUpperCase();
    this.titleGlyphs = glyphsOf(this.title);
    this.budget = Math.max(8, options.budget ?? 60);
    const titleRows = this.title ? 5 * TITLE_SCALE + 2 * MARGIN : MARGIN;
    const panelRows = 5 * VERDICT_SCALE + MARGIN + classes.length * (5 * LABEL_SCALE + 2 + BAR_HEIGHT + MARGIN);
    this.scale = Math.min(Math.floor((display.width - 2 * MARGIN) / frameWidth), Math.floor((display.height - titleRows - panelRows - MARGIN) / frameHeight));
    if (!(this.scale >= 1)) throw new RangeError(`display ${display.width}x${display.height} is too small for a ${frameWidth}x${frameHeight} frame and ${classes.length} scores`);
    this.frameX = (display.width - frameWidth * this.scale) >> 1;
    this.frameY = titleRows;
    this.panelY = this.frameY + frameHeight * this.scale + MARGIN;
    this.grays = [];
    for (let level = 0; level < LEVELS; level++) {
      const v = (level << 3) | (level >> 2);
      this.grays.push(display.makeColor(v, v, v));
    }
    const rgb = (c: number) => display.makeColor(c >>> 16, (c >>> 8) & 255, c & 255);
    this.colors = { background: rgb(BACKGROUND), text: rgb(TEXT), positive: rgb(POSITIVE), plain: rgb(PLAIN), track: rgb(BAR_TRACK) };
    this.scores = new Float64Array(classes.length);
  }

  /** The class drawn as the verdict, -1 before the first result. */
  get verdict(): number {
    return this.winner;
  }

  /** Redraws everything but the frame's pixels (which this driver does not keep): title, empty frame, panel. */
  redraw(): void {
    this.paintBands(0, this.display.height);
  }

  /** Draws a frame: pixels as a FrameSource fills them (Uint8Array pixels, Int8Array pixel − 128). */
  frame(pixels: Uint8Array | Int8Array): void {
    const width = this.frameWidth, height = this.frameHeight;
    if (pixels.length !== width * height) throw new RangeError(`frame(): ${width}x${height} pixels expected, got ${pixels.length}`);
    const offset = pixels instanceof Int8Array ? 128 : 0;
    const scale = this.scale, x0 = this.frameX, y0 = this.frameY, budget = this.budget, grays = this.grays;
    const display = this.display;
    for (let y = 0; y < height; y++) {
      const row = y * width;
      let start = 0;
      while (start < width) {
        // How far this region reaches: as many runs of one level as the budget holds.
        let end = start, runs = 0;
        while (end < width && runs < budget) {
          const level = (pixels[row + end] + offset) >> 3;
          end++;
          while (end < width && ((pixels[row + end] + offset) >> 3) === level) end++;
          runs++;
        }
        display.begin(x0 + start * scale, y0 + y * scale, (end - start) * scale, scale);
        let x = start;
        while (x < end) {
          const level = (pixels[row + x] + offset) >> 3;
          let run = x + 1;
          while (run < end && ((pixels[row + run] + offset) >> 3) === level) run++;
          display.fillRectangle(grays[level], x0 + x * scale, y0 + y * scale, (run - x) * scale, scale);
          x = run;
        }
        display.end();
        start = end;
      }
    }
  }

  /**
   * Shows the scores (one per class, 0…1) as a bar each and, as the verdict, the class `verdict`
   * names (-1: none yet) or by default the highest score's class. Returns the verdict's index.
   */
  result(scores: ArrayLike<number>, verdict?: number): number {
    const count = this.scores.length;
    if (scores.length !== count) throw new RangeError(`result(): ${count} scores expected (${this.classes.join(', ')}), got ${scores.length}`);
    let best = 0;
    for (let i = 0; i < count; i++) {
      const s = scores[i];
      this.scores[i] = s === s ? (s < 0 ? 0 : s > 1 ? 1 : s) : 0;
      if (this.scores[i] > this.scores[best]) best = i;
    }
    if (verdict !== undefined) {
      if (!(Number.isInteger(verdict) && verdict >= -1 && verdict < count)) throw new RangeError(`result(): verdict ${verdict} is not a class index (0…${count - 1}) or -1`);
      best = verdict;
    }
    this.winner = best;
    this.scored = true;
    this.paintBands(this.panelY, this.display.height);
    return best;
  }

  private paintBands(top: number, bottom: number): void {
    const width = this.display.width;
    for (let y = top; y < bottom; y += BAND) this.paint(0, y, width, Math.min(BAND, bottom - y));
  }

  private paint(x: number, y: number, width: number, height: number): void {
    this.clipX = x;
    this.clipY = y;
    this.clipRight = x + width;
    this.clipBottom = y + height;
    const display = this.display, colors = this.colors;
    display.begin(x, y, width, height);
    this.fill(colors.background, x, y, width, height);
    if (this.title) this.text(this.titleGlyphs, colors.text, (display.width - glyphsWidth(this.titleGlyphs.length, TITLE_SCALE)) >> 1, MARGIN, TITLE_SCALE);
    // The frame area when painted from here (redraw): a dark square until a frame comes.
    this.fill(colors.track, this.frameX, this.frameY, this.frameWidth * this.scale, this.frameHeight * this.scale);
    this.paintPanel();
    display.end();
  }

  private paintPanel(): void {
    const colors = this.colors;
    const left = this.frameX, barWidth = this.frameWidth * this.scale;
    let y = this.panelY;
    if (this.winner >= 0) {
      const label = this.classGlyphs[this.winner];
      this.text(label, this.positive[this.winner] ? colors.positive : colors.plain, (this.display.width - glyphsWidth(label.length, VERDICT_SCALE)) >> 1, y, VERDICT_SCALE);
    }
    y += 5 * VERDICT_SCALE + MARGIN;
    // Bars and numbers once any result came (a verdict of -1 still shows the scores).
    const known = this.winner >= 0 || this.scored;
    for (let i = 0; i < this.classes.length; i++) {
      const name = this.classGlyphs[i];
      this.text(name, colors.text, left, y, LABEL_SCALE);
      if (known) this.score(this.scores[i], colors.text, left + (name.length + 1) * 4 * LABEL_SCALE, y, LABEL_SCALE);
      y += 5 * LABEL_SCALE + 2;
      const filled = known ? Math.round(this.scores[i] * barWidth) : 0;
      this.fill(this.positive[i] ? colors.positive : colors.plain, left, y, filled, BAR_HEIGHT);
      this.fill(colors.track, left + filled, y, barWidth - filled, BAR_HEIGHT);
      y += BAR_HEIGHT + MARGIN;
    }
  }

  private fill(color: number, x: number, y: number, width: number, height: number): void {
    let right = x + width, bottom = y + height;
    if (x < this.clipX) x = this.clipX;
    if (y < this.clipY) y = this.clipY;
    if (right > this.clipRight) right = this.clipRight;
    if (bottom > this.clipBottom) bottom = this.clipBottom;
    if (right > x && bottom > y) this.display.fillRectangle(color, x, y, right - x, bottom - y);
  }

  /** A score 0…1 as formatScore() writes it ("0.94"), glyph by glyph. */
  private score(value: number, color: number, x: number, y: number, s: number): void {
    const hundredths = Math.round(value * 100);
    const advance = 4 * s;
    this.glyph(hundredths >= 100 ? 1 : 0, color, x, y, s);
    this.glyph(GLYPH_DOT, color, x + advance, y, s);
    this.glyph(Math.floor(hundredths / 10) % 10, color, x + 2 * advance, y, s);
    this.glyph(hundredths % 10, color, x + (SCORE_GLYPHS - 1) * advance, y, s);
  }

  private text(glyphs: Uint8Array, color: number, x: number, y: number, s: number): void {
    if (y >= this.clipBottom || y + 5 * s <= this.clipY) return;
    const advance = 4 * s;
    for (let i = 0; i < glyphs.length; i++, x += advance) this.glyph(glyphs[i], color, x, y, s);
  }

  private glyph(index: number, color: number, x: number, y: number, s: number): void {
    if (y >= this.clipBottom || y + 5 * s <= this.clipY) return;
    const bits = GLYPH_BITS[index];
    for (let row = 0; row < 5; row++) {
      const rowY = y + row * s;
      if (rowY >= this.clipBottom || rowY + s <= this.clipY) continue;
      const rowBits = (bits >> (3 * (4 - row))) & 7;
      // One rectangle per run of lit pixels in the row.
      for (let col = 0; col < 3; col++) {
        if (!(rowBits & (4 >> col))) continue;
        let run = 1;
        while (col + run < 3 && rowBits & (4 >> (col + run))) run++;
        this.fill(color, x + col * s, rowY, run * s, s);
        col += run - 1;
      }
    }
  }
}
Object.freeze(FrameViewDriver.prototype);
