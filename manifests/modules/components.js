// The module "tflite-xs/components", re-exporting "tflite-xs/components/index" (see tflite-xs.js).
export * from "tflite-xs/components/index";
