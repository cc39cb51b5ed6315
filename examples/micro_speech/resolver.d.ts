import type { Kernel, OpResolver } from "tflite-xs";

export declare const KERNELS: readonly Kernel[];
export declare const resolver: OpResolver;
