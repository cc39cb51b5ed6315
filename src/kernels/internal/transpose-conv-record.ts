// TRANSPOSE_CONV's op data (transpose_conv.ts): the record's fields and the paths.
import type { TensorData } from '../../core/types.js';

export const enum Path {
  FLOAT = 0,
  INT8 = 1,
  /** 16x8 with weights computed by the graph: the reference loops (transpose_conv.ts). */
  INT16 = 2,
  /** 16x8 with constant weights: four input pixels at a time against each tap's weights (transpose-int16-window.ts). */
  INT16_WINDOW = 3,
}

/** Fields of the record (Int32Array indices); the per-channel tables follow. */
export const enum Rec {
  PATH = 0,
  /** 0 when input, weights or output have no element (nothing to scatter, however large the other sizes). */
  BATCHES,
  IN_H, IN_W, IN_D, OUT_H, OUT_W, OUT_D, F_H, F_W, S_H, S_W, PAD_H, PAD_W,
  OUT_MIN, OUT_MAX, IN_ZP, OUT_ZP,
  /** Output elements. */
  TOTAL,
  /** BiasKind of the bias input. */
  BIAS,
  /** Multipliers [C], then shifts [C] (TFLM's, positive = left). */
  TABLES,
}

export interface TransposeConvData {
  p: Int32Array;
  x: TensorData;
  w: TensorData;
  /** The bias input's view (null without bias). */
  b: TensorData | null;
  y: TensorData;
  /** Scratch: accumulators, one per output element (Int32Array for int8; Float64Array for 16x8, then 4 * output depth sums); null for float. */
  a: TensorData | null;
  floatMin: number;
  floatMax: number;
}
