// Which loops run a CONV_2D, decided from shapes, types and the weight-cache budget alone (a pure
// function, tested per shape in test-host/conv-path.test.mjs).
//  - FLOAT_WINDOW: float32, ungrouped, finite constant weights: output positions four or eight
//    at a time, weights read in place (conv-float-window.ts, internal/window-dot.ts).
//  - FLOAT: other float32 (conv-reference.ts).
//  - INT8_QUAD: int8, weights read in place, output positions four, six or eight at a time
//    (conv-int8-quad.ts, internal/quad-dot.ts). The default for ungrouped windows whose sums fit
//    a field (packed-dot.ts fieldFor) and whose folded offsets fit int32.
//  - INT8_PACKED: int8, two channels' weights packed into one number (conv-int8-packed.ts). Only
//    with fewer than four output positions, where QUAD cannot share a weight read, and within
//    the interpreter's weight cache (the packed copy lives in the arena).
//  - INT8: int8 reference loops (grouped filters, windows too long for a field, offsets beyond
//    int32) (conv-reference.ts).
//  - INT16_WINDOW_ACC32 / _ACC64: 16x8 with int32 or int64 bias, ungrouped: output positions
//    four or eight at a time, weights read in place (conv-int16-window.ts, window-dot.ts).
//  - INT16_ACC32 / INT16_ACC64: grouped 16x8 (conv-reference.ts).
//  - CONVOLVE: int8 or 16x8, ungrouped, where the engine has E.convolve (Espruino): one native
//    call per output channel and position (conv-convolve.ts). Never on XS or Node.
import { TensorType } from '../../core/types.js';
import { CONVOLVE_MIN_LENGTH } from './convolve.js';
import { MAX_PACKED_TERMS } from './packed-dot.js';

export const enum ConvPath {
  FLOAT = 0,
  INT8 = 1,
  INT8_PACKED = 2,
  INT16_ACC64 = 3,
  INT16_ACC32 = 4,
  INT8_QUAD = 5,
  FLOAT_WINDOW = 6,
  INT16_WINDOW_ACC32 = 7,
  INT16_WINDOW_ACC64 = 8,
  CONVOLVE = 9,
}

export interface ConvPathShape {
  inputType: number;
  /** Bias type, or the options' quantizedBiasType when there is no bias. */
  biasType: number;
  /** Input depth / filter depth. */
  groups: number;
  /** Filter height * width * depth. */
  windowSize: number;
  /** Output positions: batches * output height * output width. */
  positions: number;
  /** packed-dot.ts fieldFor(windowSize, max |weight|) (0: no field holds the sums). */
  field: number;
  /** Every channel's bias - zp * sum(w) fits int32 (true when weights or bias are not constant: computed per invoke). */
  offsetsFit: boolean;
  /** float32: the weights are constant and all finite (a window's zero padding then adds nothing). */
  weightsFinite: boolean;
  /** The engine has E.convolve (internal/convolve.ts). */
  convolve: boolean;
}

/** True when the packed path would be faster and is worth asking the weight cache for. */
export function wantsPackedWeights(s: ConvPathShape): boolean {
  return fastInt8(s) && s.positions < 4 && !convolved(s);
}

/** The path for this shape; `cacheGranted`: the weight cache gave the packed copy its bytes. */
export function chooseConvPath(s: ConvPathShape, cacheGranted: boolean): ConvPath {
  if (s.inputType === TensorType.FLOAT32) return s.groups === 1 && s.weightsFinite ? ConvPath.FLOAT_WINDOW : ConvPath.FLOAT;
  if (convolved(s)) return ConvPath.CONVOLVE;
  if (s.inputType !== TensorType.INT8) {
    const acc32 = s.biasType === TensorType.INT32;
    if (s.groups === 1) return acc32 ? ConvPath.INT16_WINDOW_ACC32 : ConvPath.INT16_WINDOW_ACC64;
    return acc32 ? ConvPath.INT16_ACC32 : ConvPath.INT16_ACC64;
  }
  if (!fastInt8(s)) return ConvPath.INT8;
  return cacheGranted && wantsPackedWeights(s) ? ConvPath.INT8_PACKED : ConvPath.INT8_QUAD;
}

/** The reference loops' path for this shape (conv-reference.ts), whose arithmetic CONVOLVE keeps too. */
export function referencePath(s: ConvPathShape): ConvPath {
  if (s.inputType === TensorType.FLOAT32) return ConvPath.FLOAT;
  if (s.inputType === TensorType.INT8) return ConvPath.INT8;
  return s.biasType === TensorType.INT32 ? ConvPath.INT16_ACC32 : ConvPath.INT16_ACC64;
}

/**
 * E.convolve takes the integer paths' sums for ungrouped windows long enough to repay a call;
 * float32 never (convolve.ts). Its requantization is the exact one, so offsets need not fit.
 */
function convolved(s: ConvPathShape): boolean {
  return s.convolve === true && s.inputType !== TensorType.FLOAT32 && s.groups === 1 && s.windowSize >= CONVOLVE_MIN_LENGTH;
}

function fastInt8(s: ConvPathShape): boolean {
  return s.inputType === TensorType.INT8 && s.groups === 1 && s.windowSize <= MAX_PACKED_TERMS && s.field !== 0 && s.offsetsFit;
}

/**
 * Positions taken at a time on the QUAD path: four for windows under 16 values, else six
 * or eight, whichever leaves the cheaper leftovers (a rough count of bytecodes per 16 values:
 * 270 for four positions, 344 for six, 418 for eight).
 */
export function positionGroup(windowSize: number, positions: number): number {
  if (windowSize < 16) return 4;
  const eights = Math.floor(positions / 8) * 418 + leftoverCost(positions % 8, 418);
  const sixes = Math.floor(positions / 6) * 344 + leftoverCost(positions % 6, 344);
  return sixes < eights ? 6 : 8;
}

function leftoverCost(left: number, whole: number): number {
  return left === 0 ? 0 : left <= 4 ? 270 : whole;
}

/**
 * Positions taken at a time on the window paths (float32, 16x8): eight when there are eight and
 * their gathered windows (`windowBytes` each) take at most 8 KB of scratch, else four (the
 * patch is planned in the arena, and four cost about one computron a MAC more than eight).
 */
export function windowGroup(positions: number, windowBytes: number): number {
  return positions >= 8 && 8 * windowBytes <= 8192 ? 8 : 4;
}
