// TFLite's table builders and lookups of kernels/internal/common.h (LUTPopulate, LUTLookup) as
// TFLM's SOFTMAX int16 and other int16 activations use them, built in prepare. The int16 table
// is computed in float as TFLite does, so every step is rounded to float32 with Math.fround.

const fround = Math.fround;

/** Entries of an int16 table: 512 segments and one end point for the last slope. */
export const INT16_LUT_SIZE = 513;

/** C's roundf: half away from zero, on a float32 value. */
function roundf(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

/**
 * LUTPopulate<int16_t> with float arithmetic: samples `transform` (a float -> float function)
 * at 512 points of the input range, with a bias that halves the interpolation error at midpoints.
 */
export function populateInt16Lut(
  inputScale: number, inputZeroPoint: number, outputScale: number, outputZeroPoint: number,
  transform: (value: number) => number, lut: Int16Array,
): void {
  const inScale = fround(inputScale), outScale = fround(outputScale);
  const inputMin = fround(inScale * (-32768 - inputZeroPoint));
  const inputMax = fround(inScale * (32767 - inputZeroPoint));
  const outputMin = fround(outScale * (-32768 - outputZeroPoint));
  const outputMax = fround(outScale * (32767 - outputZeroPoint));
  const steps = 512;
  const step = fround(fround(inputMax - inputMin) / steps);
  const halfStep = fround(step / 2);
  const scalingInv = fround(65536 / fround(outputMax - outputMin));
  for (let i = 0; i < steps; i++) {
    const at = fround(inputMin + fround(i * step));
    const value = fround(transform(at));
    const midpoint = fround(transform(fround(at + halfStep)));
    const next = fround(transform(fround(inputMin + fround((i + 1) * step))));
    const sample = roundf(fround(value * scalingInv));
    const interpolated = roundf(fround(fround(fround(next * scalingInv) + roundf(fround(value * scalingInv))) / 2));
    const exact = roundf(fround(midpoint * scalingInv));
    const bias = roundf(fround(fround(interpolated - exact) / 2));
    const entry = fround(sample - bias);
    lut[i] = entry < -32768 ? -32768 : entry > 32767 ? 32767 : entry;
  }
  const last = roundf(fround(fround(transform(inputMax)) * scalingInv));
  lut[steps] = last < -32768 ? -32768 : last > 32767 ? 32767 : last;
}

/** LUTLookup for int16: the table entry of the top 9 bits, interpolated by the low 7. */
export function lookupInt16(value: number, lut: Int16Array): number {
  const index = 256 + (value >> 7);
  const offset = value & 0x7f;
  const base = lut[index];
  const slope = lut[index + 1] - base;
  return ((base + ((slope * offset + 64) >> 7)) << 16) >> 16;
}

/**
 * LUTPopulate<int8_t / uint8_t>: one entry per input value, indexed by the value's byte
 * (int8 tables are ordered 0..127, -128..-1, so `lut[value & 255]` looks up).
 */
export function populateInt8Lut(
  inputScale: number, inputZeroPoint: number, outputScale: number, outputZeroPoint: number,
  transform: (value: number) => number, lut: Int8Array | Uint8Array, unsigned: boolean,
): void {
  const inverseScale = fround(1 / fround(outputScale));
  const minValue = unsigned ? 0 : -128, maxValue = unsigned ? 255 : 127;
  const inScale = fround(inputScale);
  for (let value = minValue; value <= maxValue; value++) {
    const dequantized = fround(inScale * (value - inputZeroPoint));
    const transformed = fround(transform(dequantized));
    const rescaled = roundf(fround(transformed * inverseScale));
    // The cast to int32 truncates the float sum.
    const quantized = Math.trunc(fround(rescaled + outputZeroPoint));
    lut[value & 255] = quantized < minValue ? minValue : quantized > maxValue ? maxValue : quantized;
  }
}
