// Every kernel, for apps that would rather not list their model's ops (the `allOps` resolver).
// An app that registers kernels one by one carries only those: kernels are separate modules.
import type { Kernel } from '../core/kernel.js';
import { OpResolver } from '../core/resolver.js';
// -- imports: linear algebra (FULLY_CONNECTED, SOFTMAX, QUANTIZE, ...)
import { CAST } from './cast.js';
import { DEQUANTIZE } from './dequantize.js';
import { FULLY_CONNECTED } from './fully_connected.js';
import { LOG_SOFTMAX } from './log_softmax.js';
import { QUANTIZE } from './quantize.js';
import { RESHAPE } from './reshape.js';
import { SOFTMAX } from './softmax.js';
import { SVDF } from './svdf.js';
// -- imports: convolution and pooling
import { AVERAGE_POOL_2D } from './average_pool_2d.js';
import { CONV_2D } from './conv_2d.js';
import { DEPTHWISE_CONV_2D } from './depthwise_conv_2d.js';
import { MAX_POOL_2D } from './max_pool_2d.js';
import { TRANSPOSE_CONV } from './transpose_conv.js';
// -- imports: elementwise and activations
import { ADD } from './add.js';
import { DIV } from './div.js';
import { ELU } from './elu.js';
import { HARD_SWISH } from './hard_swish.js';
import { LEAKY_RELU } from './leaky_relu.js';
import { LOGISTIC } from './logistic.js';
import { MAXIMUM, MINIMUM } from './minimum_maximum.js';
import { MUL } from './mul.js';
import { PRELU } from './prelu.js';
import { RELU, RELU6, RELU_N1_TO_1 } from './relu.js';
import { SQUARED_DIFFERENCE } from './squared_difference.js';
import { SUB } from './sub.js';
import { TANH } from './tanh.js';
// -- imports: shapes and data movement, reductions, resize
import { ARG_MAX, ARG_MIN } from './arg_min_max.js';
import { CONCATENATION } from './concatenation.js';
import { EXPAND_DIMS } from './expand_dims.js';
import { GATHER } from './gather.js';
import { PACK } from './pack.js';
import { PAD, PADV2 } from './pad.js';
import { MEAN, REDUCE_ALL, REDUCE_MAX, REDUCE_MIN, SUM } from './reduce.js';
import { RESIZE_BILINEAR } from './resize_bilinear.js';
import { RESIZE_NEAREST_NEIGHBOR } from './resize_nearest_neighbor.js';
import { SHAPE } from './shape.js';
import { SLICE } from './slice.js';
import { SPLIT, SPLIT_V } from './split.js';
import { SQUEEZE } from './squeeze.js';
import { STRIDED_SLICE } from './strided_slice.js';
import { TRANSPOSE } from './transpose.js';
import { UNPACK } from './unpack.js';
// -- imports: recurrent and variables
import { ASSIGN_VARIABLE } from './assign_variable.js';
import { CALL_ONCE } from './call_once.js';
import { READ_VARIABLE } from './read_variable.js';
import { UNIDIRECTIONAL_SEQUENCE_LSTM } from './unidirectional_sequence_lstm.js';
import { VAR_HANDLE } from './var_handle.js';
// -- imports: Signal library (the audio front end's custom ops)
import { SignalEnergy } from './signal/energy.js';
import { SignalFftAutoScale } from './signal/fft_auto_scale.js';
import { SignalFilterBank } from './signal/filter_bank.js';
import { SignalFilterBankLog } from './signal/filter_bank_log.js';
import { SignalFilterBankSpectralSubtraction } from './signal/filter_bank_spectral_subtraction.js';
import { SignalFilterBankSquareRoot } from './signal/filter_bank_square_root.js';
import { SignalIrfft } from './signal/irfft.js';
import { SignalPCAN } from './signal/pcan.js';
import { SignalRfft } from './signal/rfft.js';
import { SignalWindow } from './signal/window.js';

/** Every kernel the library has. */
export const ALL_KERNELS: readonly Kernel[] = [
  // -- kernels: linear algebra
  CAST, DEQUANTIZE, FULLY_CONNECTED, LOG_SOFTMAX, QUANTIZE, RESHAPE, SOFTMAX, SVDF,
  // -- kernels: convolution and pooling
  CONV_2D, DEPTHWISE_CONV_2D, TRANSPOSE_CONV, AVERAGE_POOL_2D, MAX_POOL_2D,
  // -- kernels: elementwise and activations
  ADD, SUB, MUL, DIV, MINIMUM, MAXIMUM, SQUARED_DIFFERENCE,
  LOGISTIC, TANH, RELU, RELU6, RELU_N1_TO_1, LEAKY_RELU, PRELU, HARD_SWISH, ELU,
  // -- kernels: shapes and data movement, reductions, resize
  PAD, PADV2, STRIDED_SLICE, SLICE, CONCATENATION, SPLIT, SPLIT_V, PACK, UNPACK, TRANSPOSE, SQUEEZE, EXPAND_DIMS,
  SHAPE, GATHER, MEAN, SUM, REDUCE_MAX, REDUCE_MIN, REDUCE_ALL, ARG_MAX, ARG_MIN, RESIZE_NEAREST_NEIGHBOR, RESIZE_BILINEAR,
  // -- kernels: recurrent and variables
  ASSIGN_VARIABLE, CALL_ONCE, READ_VARIABLE, UNIDIRECTIONAL_SEQUENCE_LSTM, VAR_HANDLE,
  // -- kernels: Signal library (custom ops)
  SignalWindow, SignalFftAutoScale, SignalRfft, SignalEnergy, SignalFilterBank, SignalFilterBankSquareRoot,
  SignalFilterBankSpectralSubtraction, SignalPCAN, SignalFilterBankLog, SignalIrfft,
];

/** A resolver with every kernel registered. */
export function allOps(): OpResolver {
  return new OpResolver(ALL_KERNELS);
}
