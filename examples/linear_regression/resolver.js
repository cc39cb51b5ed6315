// Written by `tflite-xs resolver`: the kernels these models use, and no other (FULLY_CONNECTED).
// Regenerate it when the models change; manifest_resolver.json lists the same kernels' modules.
import { OpResolver } from "tflite-xs";
import { FULLY_CONNECTED } from "tflite-xs/kernels/fully_connected";

/** The kernels, for new OpResolver(KERNELS) or new Model({ model, kernels: KERNELS }). */
export const KERNELS = Object.freeze([FULLY_CONNECTED]);

/** A frozen resolver holding them (it stays in flash when this module is preloaded). */
export const resolver = new OpResolver(KERNELS).freeze();
