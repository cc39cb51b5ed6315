// Written by `tflite-xs resolver`: the kernels these models use, and no other (ADD, CAST, CONCATENATION, DEPTHWISE_CONV_2D, DIV, FULLY_CONNECTED, MAXIMUM, MINIMUM, MUL, RESHAPE, SOFTMAX, STRIDED_SLICE, SignalEnergy, SignalFftAutoScale, SignalFilterBank, SignalFilterBankLog, SignalFilterBankSpectralSubtraction, SignalFilterBankSquareRoot, SignalPCAN, SignalRfft, SignalWindow).
// Regenerate it when the models change; manifest_resolver.json lists the same kernels' modules.
import { OpResolver } from "tflite-xs";
import { ADD } from "tflite-xs/kernels/add";
import { CAST } from "tflite-xs/kernels/cast";
import { CONCATENATION } from "tflite-xs/kernels/concatenation";
import { DEPTHWISE_CONV_2D } from "tflite-xs/kernels/depthwise_conv_2d";
import { DIV } from "tflite-xs/kernels/div";
import { FULLY_CONNECTED } from "tflite-xs/kernels/fully_connected";
import { MAXIMUM, MINIMUM } from "tflite-xs/kernels/minimum_maximum";
import { MUL } from "tflite-xs/kernels/mul";
import { RESHAPE } from "tflite-xs/kernels/reshape";
import { SignalEnergy } from "tflite-xs/kernels/signal/energy";
import { SignalFftAutoScale } from "tflite-xs/kernels/signal/fft_auto_scale";
import { SignalFilterBank } from "tflite-xs/kernels/signal/filter_bank";
import { SignalFilterBankLog } from "tflite-xs/kernels/signal/filter_bank_log";
import { SignalFilterBankSpectralSubtraction } from "tflite-xs/kernels/signal/filter_bank_spectral_subtraction";
import { SignalFilterBankSquareRoot } from "tflite-xs/kernels/signal/filter_bank_square_root";
import { SignalPCAN } from "tflite-xs/kernels/signal/pcan";
import { SignalRfft } from "tflite-xs/kernels/signal/rfft";
import { SignalWindow } from "tflite-xs/kernels/signal/window";
import { SOFTMAX } from "tflite-xs/kernels/softmax";
import { STRIDED_SLICE } from "tflite-xs/kernels/strided_slice";

/** The kernels, for new OpResolver(KERNELS) or new Model({ model, kernels: KERNELS }). */
export const KERNELS = Object.freeze([ADD, CAST, CONCATENATION, DEPTHWISE_CONV_2D, DIV, FULLY_CONNECTED, MAXIMUM, MINIMUM, MUL, RESHAPE, SOFTMAX, STRIDED_SLICE, SignalEnergy, SignalFftAutoScale, SignalFilterBank, SignalFilterBankLog, SignalFilterBankSpectralSubtraction, SignalFilterBankSquareRoot, SignalPCAN, SignalRfft, SignalWindow]);

/** A frozen resolver holding them (it stays in flash when this module is preloaded). */
export const resolver = new OpResolver(KERNELS).freeze();
