// The module "tflite-xs": the library's core under its bare name. A module that named src/index
// directly would resolve its "./core/..." imports against "tflite-xs" (to "core/..."), so the
// name re-exports "tflite-xs/index", whose relative imports resolve under "tflite-xs/".
export * from "tflite-xs/index";
