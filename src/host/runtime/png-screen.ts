// The host twin of the app's screen: the plot's Display interface over an RGB framebuffer,
// written as PNG (encoded here with node:zlib, so that PNG output needs no package). It behaves like Poco where that matters to the drawing code: drawing
// is clipped to the begin() area, and it counts the commands of each frame so tests can check
// they fit a Poco display list.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import type { Display } from '../../drivers/plot.js';

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

  /** The screen as a PNG file: 8-bit RGB, no interlace. */
  toPNG(): Uint8Array {
    const { width, height, pixels } = this;
    // Each row: filter type 0 (none), then R, G, B per pixel.
    const raw = new Uint8Array(height * (1 + 3 * width));
    for (let y = 0, o = 0; y < height; y++) {
      raw[o++] = 0;
      for (let x = 0, p = y * width; x < width; x++, p++) {
        const c = pixels[p];
        raw[o++] = c >>> 16;
        raw[o++] = (c >>> 8) & 255;
        raw[o++] = c & 255;
      }
    }
    const header = new Uint8Array(13);
    const view = new DataView(header.buffer);
    view.setUint32(0, width);
    view.setUint32(4, height);
    header[8] = 8; // bits per channel
    header[9] = 2; // color type: RGB
    return concat([PNG_SIGNATURE, chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', new Uint8Array(0))]);
  }

  writePNG(path: string): void {
    writeFileSync(path, this.toPNG());
  }
}

const PNG_SIGNATURE = Uint8Array.of(137, 80, 78, 71, 13, 10, 26, 10);

const CRC_TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 255] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** One PNG chunk: length, type, data, CRC of type and data. */
function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}
