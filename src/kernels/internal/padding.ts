// TFLite's padding rules (tensorflow/lite/kernels/padding.h): the output size a window op
// computes for SAME or VALID padding, and how much of the padding goes before the data.
import type { PrepareContext } from '../../core/kernel.js';
import type { Tensor } from '../../core/tensor.js';

/** Schema Padding values (Padding enum in the flatbuffer schema). */
export const enum PaddingType {
  SAME = 0,
  VALID = 1,
}

export function paddingName(padding: number): string {
  return padding === PaddingType.SAME ? 'SAME' : padding === PaddingType.VALID ? 'VALID' : `padding ${padding}`;
}

/** Output size along one axis, or -1 where TFLite's ComputeOutSizeChecked refuses. */
export function computeOutSize(padding: number, imageSize: number, filterSize: number, stride: number, dilation: number): number {
  if ((padding !== PaddingType.SAME && padding !== PaddingType.VALID) || imageSize < 0 || filterSize <= 0 || stride <= 0 || dilation <= 0) {
    return -1;
  }
  const effectiveFilter = (filterSize - 1) * dilation + 1;
  // C's integer division truncates toward zero.
  const value = padding === PaddingType.SAME
    ? Math.trunc((imageSize + stride - 1) / stride)
    : Math.trunc((imageSize + stride - effectiveFilter) / stride);
  return value < 0 ? -1 : value;
}

/** Padding before the data along one axis and the odd leftover (ComputePaddingWithOffset). */
function paddingBefore(stride: number, dilation: number, inSize: number, filterSize: number, outSize: number): number {
  const effectiveFilter = (filterSize - 1) * dilation + 1;
  const total = (outSize - 1) * stride + effectiveFilter - inSize;
  return total > 0 ? Math.trunc(total / 2) : 0;
}

export interface Padding2D {
  /** Rows and columns of implicit padding before the data (TfLitePaddingValues height/width). */
  height: number;
  width: number;
  /** Output size the op computes; -1 where the arguments are invalid. */
  outHeight: number;
  outWidth: number;
}

/**
 * TFLite's ComputePaddingHeightWidth: the output size for these arguments and the padding
 * before the data. Invalid arguments give zero padding and output size -1.
 */
export function computePaddingHeightWidth(
  strideHeight: number, strideWidth: number, dilationHeight: number, dilationWidth: number,
  inHeight: number, inWidth: number, filterHeight: number, filterWidth: number, padding: number,
): Padding2D {
  const outWidth = computeOutSize(padding, inWidth, filterWidth, strideWidth, dilationWidth);
  const outHeight = computeOutSize(padding, inHeight, filterHeight, strideHeight, dilationHeight);
  if (outWidth < 0 || outHeight < 0) return { height: 0, width: 0, outHeight: -1, outWidth: -1 };
  return {
    height: paddingBefore(strideHeight, dilationHeight, inHeight, filterHeight, outHeight),
    width: paddingBefore(strideWidth, dilationWidth, inWidth, filterWidth, outWidth),
    outHeight,
    outWidth,
  };
}

/** computePaddingHeightWidth for a window op whose output tensor must have the size it computes. */
export function checkedPadding(
  ctx: PrepareContext, output: Tensor, strideHeight: number, strideWidth: number, dilationHeight: number, dilationWidth: number,
  inHeight: number, inWidth: number, filterHeight: number, filterWidth: number, padding: number,
): Padding2D {
  const pad = computePaddingHeightWidth(strideHeight, strideWidth, dilationHeight, dilationWidth,
    inHeight, inWidth, filterHeight, filterWidth, padding);
  if (pad.outHeight < 0) ctx.fail(`${paddingName(padding)} padding with these sizes has no output`);
  if (output.dim(1) !== pad.outHeight || output.dim(2) !== pad.outWidth) {
    ctx.fail(`output is ${output.dim(1)}x${output.dim(2)}, ${paddingName(padding)} padding gives ${pad.outHeight}x${pad.outWidth}`);
  }
  return pad;
}
