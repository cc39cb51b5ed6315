// tflite-xs: the device API (core + kernels). Runs unchanged in Node and in XS.
export { ModelError, OpError, ArenaError, UsageError, TfliteError } from './core/errors.js';
export { MAX_NAME_BYTES } from './core/flatbuffer.js';
export { readModel, readOptions, toBytes, isModel, MAX_TENSOR_BYTES, MAX_EMPTY_TENSOR_SPAN, MAX_DESCRIPTION_BYTES, type Model, type TensorInfo, type OperatorInfo, type SubgraphInfo, type Quantization, type Options } from './core/model.js';
export { Interpreter, type InterpreterOptions } from './core/interpreter.js';
export { Tensor } from './core/tensor.js';
export { OpResolver } from './core/resolver.js';
export { planMemory, ARENA_ALIGNMENT } from './core/planner.js';
export { TensorType, typeName, elementSize } from './core/types.js';
export type { Kernel, Node, PrepareContext, Scratch } from './core/kernel.js';
export { ALL_KERNELS, allOps } from './kernels/all.js';
export * from './kernels/index.js';
