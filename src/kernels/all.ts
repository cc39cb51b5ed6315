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
// -- imports: math (issue 11, math group)
import { ABS } from './abs.js';
import { ADD_N } from './add_n.js';
import { CEIL } from './ceil.js';
import { COS } from './cos.js';
import { EQUAL } from './equal.js';
import { EXP } from './exp.js';
import { FILL } from './fill.js';
import { FLOOR } from './floor.js';
import { FLOOR_DIV } from './floor_div.js';
import { FLOOR_MOD } from './floor_mod.js';
import { GREATER } from './greater.js';
import { GREATER_EQUAL } from './greater_equal.js';
import { L2_NORMALIZATION } from './l2_normalization.js';
import { LESS } from './less.js';
import { LESS_EQUAL } from './less_equal.js';
import { LOG } from './log.js';
import { LOGICAL_AND } from './logical_and.js';
import { LOGICAL_NOT } from './logical_not.js';
import { LOGICAL_OR } from './logical_or.js';
import { NEG } from './neg.js';
import { NOT_EQUAL } from './not_equal.js';
import { POW } from './pow.js';
import { ROUND } from './round.js';
import { RSQRT } from './rsqrt.js';
import { SELECT_V2 } from './select_v2.js';
import { SIN } from './sin.js';
import { SQRT } from './sqrt.js';
import { SQUARE } from './square.js';
import { ZEROS_LIKE } from './zeros_like.js';
// -- imports: shape group (issue 11)
import { BATCH_MATMUL } from './batch_matmul.js';
import { BATCH_TO_SPACE_ND } from './batch_to_space_nd.js';
import { DEPTH_TO_SPACE } from './depth_to_space.js';
import { EMBEDDING_LOOKUP } from './embedding_lookup.js';
import { GATHER_ND } from './gather_nd.js';
import { IF } from './if.js';
import { MIRROR_PAD } from './mirror_pad.js';
import { REVERSE_V2 } from './reverse_v2.js';
import { SPACE_TO_BATCH_ND } from './space_to_batch_nd.js';
import { SPACE_TO_DEPTH } from './space_to_depth.js';
import { WHILE } from './while.js';
import { BROADCAST_ARGS } from './broadcast_args.js';
import { BROADCAST_TO } from './broadcast_to.js';
import { CUMSUM } from './cumsum.js';
import { DYNAMIC_UPDATE_SLICE } from './dynamic_update_slice.js';
import { L2_POOL_2D } from './l2_pool_2d.js';
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
// -- imports: Signal library, stateful framing ops
import { SignalDelay } from './signal/delay.js';
import { SignalFramer } from './signal/framer.js';
import { SignalOverlapAdd } from './signal/overlap_add.js';
import { SignalStacker } from './signal/stacker.js';
// -- imports: TFLM's custom ops (issue 11, ops group)
import { TFLite_Detection_PostProcess } from './detection_postprocess.js';
import { CIRCULAR_BUFFER } from './circular_buffer.js';
import { TFLM_DECODE } from './tflm_decode.js';

/** Every kernel the library has. */
export const ALL_KERNELS: readonly Kernel[] = Object.freeze([
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
  // -- kernels: math (issue 11, math group)
  ABS, ADD_N, CEIL, COS, EQUAL, EXP, FILL, FLOOR, FLOOR_DIV, FLOOR_MOD,
  GREATER, GREATER_EQUAL, L2_NORMALIZATION, LESS, LESS_EQUAL, LOG, LOGICAL_AND, LOGICAL_NOT, LOGICAL_OR, NEG,
  NOT_EQUAL, POW, ROUND, RSQRT, SELECT_V2, SIN, SQRT, SQUARE, ZEROS_LIKE,
  // -- kernels: shape group (issue 11)
  REVERSE_V2, BATCH_TO_SPACE_ND, SPACE_TO_BATCH_ND, DEPTH_TO_SPACE, SPACE_TO_DEPTH, GATHER_ND, MIRROR_PAD, BATCH_MATMUL, IF, WHILE, EMBEDDING_LOOKUP,
  BROADCAST_TO, BROADCAST_ARGS, CUMSUM, DYNAMIC_UPDATE_SLICE, L2_POOL_2D,
  // -- kernels: Signal library (custom ops)
  SignalWindow, SignalFftAutoScale, SignalRfft, SignalEnergy, SignalFilterBank, SignalFilterBankSquareRoot,
  SignalFilterBankSpectralSubtraction, SignalPCAN, SignalFilterBankLog, SignalIrfft,
  SignalFramer, SignalStacker, SignalOverlapAdd, SignalDelay,
  // -- kernels: TFLM's custom ops (issue 11, ops group)
  TFLite_Detection_PostProcess, CIRCULAR_BUFFER, TFLM_DECODE,
]);

/** A resolver with every kernel registered. */
export function allOps(): OpResolver {
  return new OpResolver(ALL_KERNELS);
}
