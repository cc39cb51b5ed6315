// Images on the host as a vision model's camera would give them: BMP (1, 4, 8, 24 or 32 bits,
// uncompressed) or PNG (any color type, through pngjs), to 8-bit gray (BT.601 luma for color),
// and fitted to the model's frame: the centre square (or the frame's aspect) cut out and scaled
// with box averaging down, nearest pixel up.
import { readFileSync } from 'node:fs';
import { MissingPackage, requireOptional } from '../optional-package.js';

export interface GrayImage {
  width: number;
  height: number;
  /** One byte a pixel, top row first. */
  pixels: Uint8Array;
}

/** BT.601 luma, rounded: what a camera's Y channel holds. */
export function luma(r: number, g: number, b: number): number {
  return Math.round(0.299 * r + 0.587 * g + 0.114 * b);
}

export function decodeGrayImage(bytes: Uint8Array, name = 'image'): GrayImage {
  if (bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return decodePng(bytes, name);
  if (bytes.length >= 2 && bytes[0] === 0x42 && bytes[1] === 0x4d) return decodeBmp(bytes, name);
  throw new Error(`${name}: neither a PNG nor a BMP file`);
}

export function readGrayImage(path: string): GrayImage {
  return decodeGrayImage(new Uint8Array(readFileSync(path)), path);
}

function decodePng(bytes: Uint8Array, name: string): GrayImage {
  let png: { width: number; height: number; data: Uint8Array };
  try {
    png = requireOptional<{ PNG: any }>('pngjs', 'reading PNG images').PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (error) {
    if (error instanceof MissingPackage) throw error;
    throw new Error(`${name}: not a readable PNG (${(error as Error).message})`);
  }
  const { width, height, data } = png;
  const pixels = new Uint8Array(width * height);
  // pngjs gives RGBA; a gray PNG has r = g = b, so luma keeps it as it is. Alpha is composed on black.
  for (let i = 0; i < pixels.length; i++) {
    const a = data[4 * i + 3];
    const y = luma(data[4 * i], data[4 * i + 1], data[4 * i + 2]);
    pixels[i] = a === 255 ? y : Math.round((y * a) / 255);
  }
  return { width, height, pixels };
}

function decodeBmp(bytes: Uint8Array, name: string): GrayImage {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 54) throw new Error(`${name}: BMP header cut short (${bytes.length} bytes)`);
  const dataOffset = view.getUint32(10, true), headerSize = view.getUint32(14, true);
  const width = view.getInt32(18, true), rawHeight = view.getInt32(22, true);
  const bits = view.getUint16(28, true), compression = view.getUint32(30, true);
  const height = Math.abs(rawHeight);
  if (!(width > 0 && height > 0 && width <= 16384 && height <= 16384)) throw new Error(`${name}: BMP size ${width}x${rawHeight} out of range`);
  // BI_BITFIELDS (3) with 32 bits is read as BGRA, the layout every writer we know uses with it.
  if (!(compression === 0 || (compression === 3 && bits === 32)) || ![1, 4, 8, 24, 32].includes(bits)) {
    throw new Error(`${name}: BMP with ${bits} bits a pixel and compression ${compression} is not supported (uncompressed 1, 4, 8, 24 or 32 bits are)`);
  }
  const rowBytes = Math.ceil((width * bits) / 32) * 4;
  if (dataOffset + rowBytes * height > bytes.length) throw new Error(`${name}: BMP pixels run past the end of the file`);
  const palette: number[] = [];
  if (bits <= 8) {
    const colors = view.getUint32(46, true) || 1 << bits;
    const start = 14 + headerSize;
    for (let i = 0; i < colors && start + 4 * i + 3 <= dataOffset; i++) {
      palette.push(luma(bytes[start + 4 * i + 2], bytes[start + 4 * i + 1], bytes[start + 4 * i]));
    }
  }
  const pixels = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const row = dataOffset + rowBytes * (rawHeight > 0 ? height - 1 - y : y);
    for (let x = 0; x < width; x++) {
      let value: number;
      if (bits <= 8) {
        const perByte = 8 / bits;
        const byte = bytes[row + Math.floor(x / perByte)];
        const index = (byte >> (8 - bits * ((x % perByte) + 1))) & ((1 << bits) - 1);
        if (index >= palette.length) throw new Error(`${name}: pixel (${x}, ${y}) indexes color ${index} of a ${palette.length}-color palette`);
        value = palette[index];
      } else {
        const p = row + x * (bits / 8);
        value = luma(bytes[p + 2], bytes[p + 1], bytes[p]);
      }
      pixels[y * width + x] = value;
    }
  }
  return { width, height, pixels };
}

/**
 * The image as a width × height frame: the largest centred part with the frame's aspect, averaged
 * over the source pixels each frame pixel covers (or the nearest one when scaling up). An image
 * already of that size is returned as it is.
 */
export function fitGrayImage(image: GrayImage, width: number, height: number): GrayImage {
  if (image.width === width && image.height === height) return image;
  const scale = Math.min(image.width / width, image.height / height);
  const cropWidth = width * scale, cropHeight = height * scale;
  const left = (image.width - cropWidth) / 2, top = (image.height - cropHeight) / 2;
  const pixels = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const y0 = Math.floor(top + y * scale), y1 = Math.max(y0 + 1, Math.floor(top + (y + 1) * scale));
    for (let x = 0; x < width; x++) {
      const x0 = Math.floor(left + x * scale), x1 = Math.max(x0 + 1, Math.floor(left + (x + 1) * scale));
      let sum = 0;
      for (let sy = y0; sy < y1; sy++) for (let sx = x0; sx < x1; sx++) sum += image.pixels[sy * image.width + sx];
      pixels[y * width + x] = Math.round(sum / ((y1 - y0) * (x1 - x0)));
    }
  }
  return { width, height, pixels };
}
