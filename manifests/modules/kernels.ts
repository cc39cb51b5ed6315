// The module "tflite-xs/kernels", re-exporting "tflite-xs/kernels/index" (see tflite-xs.ts): every
// kernel, for manifests/tflite-xs-all-kernels.json only.
export * from "tflite-xs/kernels/index";
