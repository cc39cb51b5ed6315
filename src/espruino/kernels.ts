// The kernels the Espruino module carries. Espruino keeps a module's source text in flash and
// parses it on require(), so every kernel costs flash and parse time on the board: this is the
// set that the models that fit an Espruino board use (hello_world, micro_speech, the keyword
// benchmark, linear regression, small CNNs and dense nets), not allOps().
import type { Kernel } from '../core/kernel.js';
import { ADD } from '../kernels/add.js';
import { AVERAGE_POOL_2D } from '../kernels/average_pool_2d.js';
import { CONCATENATION } from '../kernels/concatenation.js';
import { CONV_2D } from '../kernels/conv_2d.js';
import { DEPTHWISE_CONV_2D } from '../kernels/depthwise_conv_2d.js';
import { DEQUANTIZE } from '../kernels/dequantize.js';
import { FULLY_CONNECTED } from '../kernels/fully_connected.js';
import { LEAKY_RELU } from '../kernels/leaky_relu.js';
import { LOGISTIC } from '../kernels/logistic.js';
import { MAX_POOL_2D } from '../kernels/max_pool_2d.js';
import { MEAN } from '../kernels/reduce.js';
import { MUL } from '../kernels/mul.js';
import { PAD } from '../kernels/pad.js';
import { QUANTIZE } from '../kernels/quantize.js';
import { RELU, RELU6 } from '../kernels/relu.js';
import { RESHAPE } from '../kernels/reshape.js';
import { SOFTMAX } from '../kernels/softmax.js';
import { SQUEEZE } from '../kernels/squeeze.js';
import { STRIDED_SLICE } from '../kernels/strided_slice.js';
import { SUB } from '../kernels/sub.js';
import { SVDF } from '../kernels/svdf.js';
import { TANH } from '../kernels/tanh.js';
import { TRANSPOSE_CONV } from '../kernels/transpose_conv.js';

export const ESPRUINO_KERNELS: readonly Kernel[] = Object.freeze([
  ADD, AVERAGE_POOL_2D, CONCATENATION, CONV_2D, DEPTHWISE_CONV_2D, DEQUANTIZE, FULLY_CONNECTED,
  LEAKY_RELU, LOGISTIC, MAX_POOL_2D, MEAN, MUL, PAD, QUANTIZE, RELU, RELU6, RESHAPE, SOFTMAX,
  SQUEEZE, STRIDED_SLICE, SUB, SVDF, TANH, TRANSPOSE_CONV,
] as Kernel[]);
