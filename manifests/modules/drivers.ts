// The module "tflite-xs/drivers", re-exporting "tflite-xs/drivers/index" (see tflite-xs.ts).
export * from "tflite-xs/drivers/index";
