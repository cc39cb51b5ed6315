// tflite-xs: the device API's core. Runs unchanged in Node and in XS. Kernels are not here: an app
// imports only the ones its models use ("tflite-xs/kernels/<op>", or the resolver module
// `tflite-xs resolver` writes), so a Moddable build compiles and preloads only those;
// "tflite-xs/kernels" names every kernel and "tflite-xs/kernels/all" has allOps().
export { ModelError, OpError, ArenaError, UsageError, TfliteError } from './core/errors.js';
export { MAX_NAME_BYTES } from './core/flatbuffer.js';
export { readModel, readOptions, toBytes, isModel, MAX_TENSOR_BYTES, MAX_EMPTY_TENSOR_SPAN, MAX_DESCRIPTION_BYTES, type Model, type TensorInfo, type OperatorInfo, type SubgraphInfo, type Quantization, type Options } from './core/model.js';
export { Interpreter, MAX_ARENA_BYTES, MAX_SUBGRAPH_DEPTH, type InterpreterOptions } from './core/interpreter.js';
export type { MemoryPlan, GraphMemory, PlannedBuffer, TailTensor, OperatorMemory } from './core/allocator.js';
export { Tensor } from './core/tensor.js';
export { Profiler, type TickSource } from './core/profiler.js';
export { OpResolver } from './core/resolver.js';
export { planMemory, ARENA_ALIGNMENT } from './core/planner.js';
export { flexMap, flexFind, flexKeyAt, flexInt, flexBool, flexFloat, flexIntVector, type FlexMap } from './core/flexbuffers.js';
export { TENSOR_TYPES as TensorType, typeName, elementSize } from './core/types.js';
export type { Kernel, Node, PrepareContext, Scratch } from './core/kernel.js';
