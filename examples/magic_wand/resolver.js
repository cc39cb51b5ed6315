// Written by `tflite-xs resolver`: the kernels these models use, and no other (AVERAGE_POOL_2D, CONV_2D, FULLY_CONNECTED, MAX_POOL_2D, RESHAPE, SOFTMAX).
// Regenerate it when the models change; manifest_resolver.json lists the same kernels' modules.
import { OpResolver } from "tflite-xs";
import { AVERAGE_POOL_2D } from "tflite-xs/kernels/average_pool_2d";
import { CONV_2D } from "tflite-xs/kernels/conv_2d";
import { FULLY_CONNECTED } from "tflite-xs/kernels/fully_connected";
import { MAX_POOL_2D } from "tflite-xs/kernels/max_pool_2d";
import { RESHAPE } from "tflite-xs/kernels/reshape";
import { SOFTMAX } from "tflite-xs/kernels/softmax";

/** The kernels, for new OpResolver(KERNELS) or new Model({ model, kernels: KERNELS }). */
export const KERNELS = Object.freeze([AVERAGE_POOL_2D, CONV_2D, FULLY_CONNECTED, MAX_POOL_2D, RESHAPE, SOFTMAX]);

/** A frozen resolver holding them (it stays in flash when this module is preloaded). */
export const resolver = new OpResolver(KERNELS).freeze();
