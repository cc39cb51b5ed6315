// A camera as a vision app sees it: a frame buffer of grayscale pixels that it copies, once per
// inference, straight into the model's input tensor (no frame buffer of the app's own: the
// input tensor is the only copy in RAM). A real camera driver implements FrameSource over its
// DMA buffer; RecordedCamera plays frames kept in flash (Resources) or in memory, for boards
// without a camera and for the host.

/** Grayscale frames, top row first, one byte a pixel. */
export interface FrameSource {
  readonly width: number;
  readonly height: number;
  /**
   * Copies the current frame into `into` (width × height elements). A Uint8Array gets the pixels
   * (0 black … 255 white); an Int8Array gets pixel − 128, the input of int8 vision models.
   */
  read(into: Uint8Array | Int8Array): void;
}

/** Where one recorded frame's pixels are in a byte buffer. */
export interface GrayFrame {
  readonly width: number;
  readonly height: number;
  readonly bytes: Uint8Array;
  /** Byte offset of the top row's first pixel. */
  readonly top: number;
  /** Bytes from one row to the next below it: negative when rows are stored bottom first (BMP). */
  readonly stride: number;
  /** Byte offset of a BGRA palette the pixels index (8-bit BMP), or -1 when pixels are gray values. */
  readonly palette: number;
}

/** Anything holding bytes: an ArrayBuffer, a Uint8Array, or a Moddable Resource (flash). */
export type ByteSource = ArrayBuffer | Uint8Array | { readonly byteLength: number };

export function viewOf(source: ByteSource, what: string): Uint8Array {
  if (source instanceof Uint8Array) return source;
  if (source && typeof source.byteLength === 'number') return new Uint8Array(source as ArrayBuffer);
  throw new TypeError(`${what}: expected an ArrayBuffer, a Uint8Array or a Resource`);
}

/** Raw 8-bit gray pixels, top row first (a camera dump, or a host image already converted). */
export function grayFrame(source: ByteSource, width: number, height: number): GrayFrame {
  const bytes = viewOf(source, 'grayFrame');
  if (!(Number.isInteger(width) && width > 0 && Number.isInteger(height) && height > 0)) {
    throw new RangeError(`grayFrame: size must be positive whole numbers, got ${width}x${height}`);
  }
  if (bytes.length < width * height) throw new RangeError(`grayFrame: ${width}x${height} needs ${width * height} bytes, got ${bytes.length}`);
  return Object.freeze({ width, height, bytes, top: 0, stride: width, palette: -1 });
}

/**
 * An uncompressed 8-bit paletted BMP with a gray palette (what TFLM's test images and most
 * grayscale BMP writers produce), read in place: the pixels stay in the file's bytes (flash).
 */
export function bmpFrame(source: ByteSource): GrayFrame {
  const bytes = viewOf(source, 'bmpFrame');
  const u32 = (at: number) => (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24)) >>> 0;
  const i32 = (at: number) => u32(at) | 0;
  const u16 = (at: number) => bytes[at] | (bytes[at + 1] << 8);
  if (bytes.length < 54 || bytes[0] !== 0x42 || bytes[1] !== 0x4d) throw new RangeError(`bmpFrame: not a BMP file (${bytes.length} bytes)`);
  const dataOffset = u32(10), headerSize = u32(14), width = i32(18), rawHeight = i32(22);
  const bits = u16(28), compression = u32(30);
  if (bits !== 8 || compression !== 0) throw new RangeError(`bmpFrame: only uncompressed 8-bit BMPs are read on the device (this one: ${bits} bits, compression ${compression})`);
  const height = rawHeight < 0 ? -rawHeight : rawHeight;
  if (!(width > 0 && height > 0 && width <= 4096 && height <= 4096)) throw new RangeError(`bmpFrame: size ${width}x${rawHeight} out of range`);
  const rowBytes = (width + 3) & ~3;
  if (dataOffset + rowBytes * height > bytes.length) throw new RangeError(`bmpFrame: ${width}x${height} pixels need ${dataOffset + rowBytes * height} bytes, the file has ${bytes.length}`);
  const palette = 14 + headerSize;
  const colors = u32(46) || 256;
  if (palette + 4 * colors > dataOffset) throw new RangeError('bmpFrame: the palette overlaps the pixels');
  for (let i = 0; i < colors; i++) {
    const p = palette + 4 * i;
    if (bytes[p] !== bytes[p + 1] || bytes[p] !== bytes[p + 2]) throw new RangeError(`bmpFrame: palette entry ${i} is not gray`);
  }
  // Indexes past a short palette read as black rather than past it.
  const identity = colors === 256 && isIdentity(bytes, palette);
  const bottomUp = rawHeight > 0;
  return Object.freeze({
    width, height, bytes,
    top: bottomUp ? dataOffset + rowBytes * (height - 1) : dataOffset,
    stride: bottomUp ? -rowBytes : rowBytes,
    palette: identity ? -1 : paletteCheck(bytes, palette, colors, dataOffset, rowBytes, height),
  });
}

function isIdentity(bytes: Uint8Array, palette: number): boolean {
  for (let i = 0; i < 256; i++) if (bytes[palette + 4 * i] !== i) return false;
  return true;
}

function paletteCheck(bytes: Uint8Array, palette: number, colors: number, dataOffset: number, rowBytes: number, height: number): number {
  const end = dataOffset + rowBytes * height;
  for (let i = dataOffset; i < end; i++) if (bytes[i] >= colors) throw new RangeError(`bmpFrame: pixel index ${bytes[i]} past the ${colors}-color palette`);
  return palette;
}

/** Copies one frame into a model input: pixels into a Uint8Array, pixel − 128 into an Int8Array. */
export function copyFrame(frame: GrayFrame, into: Uint8Array | Int8Array): void {
  const width = frame.width, height = frame.height;
  if (into.length !== width * height) throw new RangeError(`a ${width}x${height} frame fills ${width * height} elements, not ${into.length}`);
  const bytes = frame.bytes, stride = frame.stride, palette = frame.palette;
  const offset = into instanceof Int8Array ? -128 : 0;
  let row = frame.top, out = 0;
  for (let y = 0; y < height; y++, row += stride) {
    if (palette < 0) {
      for (let x = 0; x < width; x++) into[out++] = bytes[row + x] + offset;
    } else {
      for (let x = 0; x < width; x++) into[out++] = bytes[palette + 4 * bytes[row + x]] + offset;
    }
  }
}

export interface RecordedCameraOptions {
  /** The frames to play, in order, all of one size; read() steps to the next and wraps around. */
  frames: readonly GrayFrame[];
}

/** A camera with no sensor: plays recorded frames (a Resource per frame on Moddable). */
export class RecordedCamera implements FrameSource {
  readonly width: number;
  readonly height: number;
  private readonly frames: readonly GrayFrame[];
  private next = 0;

  constructor(options: RecordedCameraOptions) {
    const frames = options && options.frames;
    if (!frames || frames.length === 0) throw new TypeError('RecordedCamera needs {frames: [...]} with at least one frame');
    this.width = frames[0].width;
    this.height = frames[0].height;
    for (let i = 1; i < frames.length; i++) {
      if (frames[i].width !== this.width || frames[i].height !== this.height) {
        throw new RangeError(`RecordedCamera: frame ${i} is ${frames[i].width}x${frames[i].height}, frame 0 ${this.width}x${this.height}`);
      }
    }
    this.frames = frames;
  }

  /** The index of the frame the next read() copies. */
  get position(): number {
    return this.next;
  }

  read(into: Uint8Array | Int8Array): void {
    copyFrame(this.frames[this.next], into);
    this.next = (this.next + 1) % this.frames.length;
  }
}
Object.freeze(RecordedCamera.prototype);
