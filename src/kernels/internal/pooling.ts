// What AVERAGE_POOL_2D and MAX_POOL_2D share (TFLM pooling_common.cc): validation, padding and
// activation bounds, computed once at prepare.
import type { Node, PrepareContext } from '../../core/kernel.js';
import { TensorType, typeName } from '../../core/types.js';
import { checkActivation, requirePositive, requireRank4 } from './conv-params.js';
import { computePaddingHeightWidth, paddingName } from './padding.js';
import { floatActivationRange, quantizedActivationRange, typeRange } from './quantization.js';

const FLOAT_MAX = 3.4028234663852886e38;

export interface PoolData {
  type: number;
  batches: number;
  inputHeight: number;
  inputWidth: number;
  depth: number;
  outputHeight: number;
  outputWidth: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  padHeight: number;
  padWidth: number;
  /** Output bounds under the fused activation: float, or quantized for int8 and int16. */
  outputMin: number;
  outputMax: number;
}

export function preparePool(ctx: PrepareContext, node: Node): PoolData {
  if (node.inputs.length !== 1) ctx.fail(`expected 1 input, got ${node.inputs.length}`);
  if (node.outputs.length !== 1) ctx.fail(`expected 1 output, got ${node.outputs.length}`);
  const input = node.inputs[0], output = node.outputs[0];
  if (!input) return ctx.fail('input is required');
  requireRank4(ctx, input, 'input');
  requireRank4(ctx, output, 'output');
  const type = input.type;
  if (type !== TensorType.FLOAT32 && type !== TensorType.INT8 && type !== TensorType.INT16) {
    ctx.fail(`input type ${typeName(type)} is not supported (float32, int8, int16)`);
  }
  if (output.type !== type) ctx.fail(`output type ${output.typeName} differs from input type ${input.typeName}`);
  const opts = node.options;
  const strideHeight = opts.strideH as number, strideWidth = opts.strideW as number;
  const filterHeight = opts.filterHeight as number, filterWidth = opts.filterWidth as number;
  const padding = opts.padding as number, activation = opts.fusedActivationFunction as number;
  requirePositive(ctx, strideHeight, 'stride height');
  requirePositive(ctx, strideWidth, 'stride width');
  requirePositive(ctx, filterHeight, 'filter height');
  requirePositive(ctx, filterWidth, 'filter width');
  checkActivation(ctx, activation);
  const batches = input.dim(0), inputHeight = input.dim(1), inputWidth = input.dim(2), depth = input.dim(3);
  if (output.dim(0) !== batches || output.dim(3) !== depth) {
    ctx.fail(`output ${output.describe()} must keep the input's batches and depth (${input.describe()})`);
  }
  const pad = computePaddingHeightWidth(strideHeight, strideWidth, 1, 1, inputHeight, inputWidth, filterHeight, filterWidth, padding);
  if (pad.outHeight < 0) ctx.fail(`${paddingName(padding)} padding with these sizes has no output`);
  if (output.dim(1) !== pad.outHeight || output.dim(2) !== pad.outWidth) {
    ctx.fail(`output is ${output.dim(1)}x${output.dim(2)}, ${paddingName(padding)} padding gives ${pad.outHeight}x${pad.outWidth}`);
  }
  let outputMin: number, outputMax: number;
  if (type === TensorType.FLOAT32) {
    const bounds = floatActivationRange(activation);
    outputMin = Math.max(bounds[0], -FLOAT_MAX);
    outputMax = Math.min(bounds[1], FLOAT_MAX);
  } else {
    if (!input.quantization || !output.quantization) ctx.fail('quantized pooling needs input and output quantization');
    // TFLM: the scales may differ by float rounding only, and the zero points not at all.
    if (!(Math.abs(Math.fround(input.scale - output.scale)) <= 1.0e-6)) {
      ctx.fail(`input scale ${input.scale} and output scale ${output.scale} differ`);
    }
    if (input.zeroPoint !== output.zeroPoint) ctx.fail(`input zero point ${input.zeroPoint} and output zero point ${output.zeroPoint} differ`);
    const [qmin, qmax] = typeRange(type);
    [outputMin, outputMax] = quantizedActivationRange(activation, output.scale, output.zeroPoint, qmin, qmax);
  }
  return {
    type, batches, inputHeight, inputWidth, depth, outputHeight: pad.outHeight, outputWidth: pad.outWidth,
    filterHeight, filterWidth, strideHeight, strideWidth, padHeight: pad.height, padWidth: pad.width,
    outputMin, outputMax,
  };
}
