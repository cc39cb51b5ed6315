// Which DEPTHWISE_CONV_2D path runs an operator: a pure function of its shapes, types, constant
// operands and the weight cache it may use, so a test can assert the choice per shape.
//
// float32: 3x3 filters with finite constant weights read rows copied zero-padded into a ring
// (FLOAT_3X3, depthwise-float-rows.ts); other filters loop over the window (FLOAT).
//
// int8 paths, all reading the weights in place unless the weight cache is granted:
//  - 3x3 filters with no dilation across and stride 1 or 2 across (MobileNet's layers), when
//    weights and bias are constant and requantization is `quick` (accumulators provably in the
//    fast range, lower bound at the output zero point): windows slide along each row in locals,
//    channel by channel (INT8_SLIDE, depthwise-slide.ts);
//  - other 3x3 filters: a ring of three zero-point-bordered input rows (INT8_3X3, depthwise-ring.ts);
//  - other filters with depth multiplier 2 or more: four output positions at a time as two
//    packed pairs (INT8_QUAD, depthwise-quad.ts), or, within the weight cache, channel pairs'
//    weights packed into one number (INT8_PACKED, depthwise-packed.ts);
//  - anything else loops over the window (INT8, depthwise-int8.ts).
// Where the engine has E.convolve (Espruino) and the weights are constant, int8 layers with depth
// multiplier 2 or more take native dot products instead (CONVOLVE, depthwise-convolve.ts): each
// gathered window then feeds several calls. With multiplier 1 the gather costs about what the
// multiply-accumulates it saves (3x3 over 16 channels on Espruino's Linux build: 1.15x, against
// 9x for micro_speech's 10x8 with multiplier 8), not worth a view per channel and a copy of the
// weights. Never on XS or Node.
import { TensorType } from '../../core/types.js';
import { CONVOLVE_MIN_LENGTH } from './convolve.js';
import { fieldFor, MAX_PACKED_TERMS, packedLength } from './packed-dot.js';

export const enum DepthwisePath {
  FLOAT = 0,
  INT16 = 1,
  /** int8, window loops. */
  INT8 = 2,
  /** int8, 3x3 filter, a ring of padded rows. */
  INT8_3X3 = 3,
  /** int8, depth multiplier >= 2, channel pairs packed (weight cache). */
  INT8_PACKED = 4,
  /** int8, depth multiplier >= 2, weights in place, four output positions at a time. */
  INT8_QUAD = 5,
  /** int8, 3x3 filter, stride 1 or 2 across, no dilation across: windows slid along rows, in place. */
  INT8_SLIDE = 6,
  /** float32, 3x3 filter, finite constant weights: a ring of zero-padded rows. */
  FLOAT_3X3 = 7,
  /** int8, constant weights, E.convolve: a gathered window against each channel's weights. */
  CONVOLVE = 8,
}

/** Names of the paths, by DepthwisePath value (for tests and messages). */
export const DEPTHWISE_PATH_NAMES: readonly string[] = Object.freeze(['FLOAT', 'INT16', 'INT8', 'INT8_3X3', 'INT8_PACKED', 'INT8_QUAD', 'INT8_SLIDE', 'FLOAT_3X3', 'CONVOLVE']);

export interface DepthwiseShape {
  /** Input TensorType. */
  type: number;
  filterHeight: number;
  filterWidth: number;
  inputDepth: number;
  depthMultiplier: number;
  strideWidth: number;
  dilationWidth: number;
  weightsConstant: boolean;
  biasConstant: boolean;
  /** float32: every (constant) weight is finite. */
  weightsFinite?: boolean;
  /** Largest |weight| (constant weights; ignored otherwise). */
  maxAbsWeight: number;
  /** int8: requantization is quick (see depthwise-data.ts) for these constant weights and bias. */
  quick: boolean;
  /** Bytes of weight cache this operator may take (0: weights stay in place). */
  weightCacheBytes: number;
  /** The engine has E.convolve (internal/convolve.ts). */
  convolve: boolean;
}

export interface DepthwiseChoice {
  path: DepthwisePath;
  /** Packed and quad paths: the field weight (internal/packed-dot.ts); else 0. */
  field: number;
  /** Packed path: windows read in place from a ring of rows (input depth 1, rows a multiple of 8 long). */
  rowMode: boolean;
  /** Elements of packed weights the packed path holds (Int32 for the narrow field, else Float64), and their bytes. */
  packedLength: number;
  packedBytes: number;
}

/** The narrow field's packed weights fit Int32 (internal/packed-dot.ts). */
export const NARROW_FIELD = 8388608;

export function chooseDepthwisePath(s: DepthwiseShape): DepthwiseChoice {
  const choice: DepthwiseChoice = { path: DepthwisePath.INT8, field: 0, rowMode: false, packedLength: 0, packedBytes: 0 };
  if (s.type === TensorType.FLOAT32) {
    const ring = s.filterHeight === 3 && s.filterWidth === 3 && s.weightsConstant && s.weightsFinite === true;
    choice.path = ring ? DepthwisePath.FLOAT_3X3 : DepthwisePath.FLOAT;
    return choice;
  }
  if (s.type !== TensorType.INT8) { choice.path = DepthwisePath.INT16; return choice; }
  const fH = s.filterHeight, fW = s.filterWidth, M = s.depthMultiplier, taps = fH * fW;
  const threeByThree = fH === 3 && fW === 3;
  if (s.convolve === true && s.weightsConstant && M >= 2 && taps >= CONVOLVE_MIN_LENGTH) {
    choice.path = DepthwisePath.CONVOLVE;
    return choice;
  }
  if (M >= 2 && taps <= MAX_PACKED_TERMS && !threeByThree) {
    const field = fieldFor(taps, s.weightsConstant ? s.maxAbsWeight : 128);
    if (field) {
      const rowMode = s.inputDepth === 1 && s.dilationWidth === 1 && (fW & 7) === 0;
      const length = rowMode ? packedLength(M, fH, fW) : s.inputDepth * packedLength(M, 1, taps);
      const bytes = length * (field === NARROW_FIELD ? 4 : 8);
      // The in-place path is the faster one when it can take eight taps and eight channels at a time.
      const inPlaceFaster = fW >= 8 && M % 8 === 0;
      choice.field = field;
      if (!inPlaceFaster && bytes <= s.weightCacheBytes) {
        choice.path = DepthwisePath.INT8_PACKED;
        choice.rowMode = rowMode;
        choice.packedLength = length;
        choice.packedBytes = bytes;
      } else {
        choice.path = DepthwisePath.INT8_QUAD;
      }
      return choice;
    }
  }
  if (threeByThree) {
    choice.path = s.dilationWidth === 1 && (s.strideWidth === 1 || s.strideWidth === 2) && s.weightsConstant && s.biasConstant && s.quick
      ? DepthwisePath.INT8_SLIDE : DepthwisePath.INT8_3X3;
  }
  return choice;
}
