// The module "tflite-xs/components", re-exporting "tflite-xs/components/index" (see tflite-xs.ts).
export * from "tflite-xs/components/index";
