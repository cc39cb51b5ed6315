// The host twin of the app's screen: the plot's Display interface over an RGB framebuffer,
// written as PNG with pngjs. It behaves like Poco where that matters to the drawing code: drawing
// is clipped to the begin() area, and it counts the commands of each frame so tests can check
// they fit a Poco display list.
import { writeFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import type { Display } from '../drivers/plot.js';

export interface PngScreenOptions {
  /** Default 240 x 320, the ILI9341 in portrait (and the simulator's screen). */
  width?: number;
  height?: number;
}

export class PngScreen implements Display {
  readonly width: number;
  readonly height: number;
  /** 0xRRGGBB per pixel. */
  readonly pixels: Uint32Array;
  /** Frames drawn (begin..end pairs) and the most fillRectangle calls any one of them made. */
  frames = 0;
  maxCommandsPerFrame = 0;
  private commands = 0;
  private drawing = false;
  private clipX = 0;
  private clipY = 0;
  private clipRight = 0;
  private clipBottom = 0;

  constructor(options: PngScreenOptions = {}) {
    this.width = options.width ?? 240;
    this.height = options.height ?? 320;
    if (!(Number.isInteger(this.width) && this.width > 0 && Number.isInteger(this.height) && this.height > 0)) {
      throw new RangeError(`screen size must be positive whole numbers, got ${this.width}x${this.height}`);
    }
    this.pixels = new Uint32Array(this.width * this.height);
  }

  makeColor(r: number, g: number, b: number): number {
    return ((r & 255) << 16) | ((g & 255) << 8) | (b & 255);
  }

  begin(x = 0, y = 0, width = this.width - x, height = this.height - y): void {
    if (this.drawing) throw new Error('begin() inside begin()..end()');
    this.drawing = true;
    this.commands = 0;
    this.clipX = Math.max(0, x);
    this.clipY = Math.max(0, y);
    this.clipRight = Math.min(this.width, x + width);
    this.clipBottom = Math.min(this.height, y + height);
  }

  fillRectangle(color: number, x: number, y: number, width: number, height: number): void {
    if (!this.drawing) throw new Error('fillRectangle() outside begin()..end()');
    this.commands++;
    const left = Math.max(x, this.clipX), right = Math.min(x + width, this.clipRight);
    const top = Math.max(y, this.clipY), bottom = Math.min(y + height, this.clipBottom);
    for (let row = top; row < bottom; row++) this.pixels.fill(color, row * this.width + left, row * this.width + Math.max(left, right));
  }

  end(): void {
    if (!this.drawing) throw new Error('end() without begin()');
    this.drawing = false;
    this.frames++;
    if (this.commands > this.maxCommandsPerFrame) this.maxCommandsPerFrame = this.commands;
  }

  /** The color at a pixel, 0xRRGGBB. */
  pixel(x: number, y: number): number {
    return this.pixels[y * this.width + x];
  }

  toPNG(): Uint8Array {
    const png = new PNG({ width: this.width, height: this.height });
    const data: Uint8Array = png.data;
    for (let i = 0; i < this.pixels.length; i++) {
      const c = this.pixels[i];
      data[4 * i] = c >>> 16;
      data[4 * i + 1] = (c >>> 8) & 255;
      data[4 * i + 2] = c & 255;
      data[4 * i + 3] = 255;
    }
    return PNG.sync.write(png);
  }

  writePNG(path: string): void {
    writeFileSync(path, this.toPNG());
  }
}
