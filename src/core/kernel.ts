// The contract between the interpreter and a kernel. A kernel validates and precomputes in
// `prepare` (once, at allocateTensors) and computes in `eval` (every invoke, no allocation).
import type { Options } from './model.js';
import type { Tensor } from './tensor.js';
import type { TensorData } from './types.js';

/** One operator instance: its tensors and options, as the kernel sees them. */
export interface Node {
  /** Operator index within its subgraph. */
  readonly index: number;
  readonly opName: string;
  readonly version: number;
  /** Input tensors in model order; null where the model leaves an optional input out (-1). */
  readonly inputs: readonly (Tensor | null)[];
  readonly outputs: readonly Tensor[];
  readonly intermediates: readonly (Tensor | null)[];
  /** Builtin options parsed as the kernel's `options` table (defaults where the model has none). */
  readonly options: Options;
  readonly customOptions: Uint8Array | null;
}

/** A buffer the planner places in the arena; `data` is set once the arena exists. */
export interface Scratch {
  data: TensorData;
}

export interface PrepareContext {
  /** Throws an OpError naming this operator. */
  fail(message: string): never;
  /** Scratch memory for this operator's eval only; other operators reuse the bytes. */
  requestScratch(type: number, length: number): Scratch;
  /** Memory that keeps its contents across invokes (kernel state), outside the planned part. */
  requestPersistent(type: number, length: number): Scratch;
  /** Runs another subgraph of the model (control flow ops). */
  subgraph(index: number): SubgraphHandle;
  /** A store shared by every operator of this interpreter (resource variables). */
  readonly shared: Map<string, unknown>;
  /**
   * Asks for `bytes` of RAM outside the arena to hold a repacked copy of constant weights (faster
   * inner loops). Granted only within the interpreter's `weightCacheBytes` budget (default 0, so
   * weights stay in flash); a kernel that is refused must run from the original weights.
   */
  reserveWeightCache(bytes: number): boolean;
}

export interface SubgraphHandle {
  readonly inputs: readonly Tensor[];
  readonly outputs: readonly Tensor[];
  invoke(): void;
}

export interface Kernel<D = any> {
  /** BuiltinOperator code (32 for CUSTOM). */
  readonly code: number;
  /** Builtin operator name, or the custom code for CUSTOM kernels. */
  readonly name: string;
  /** Name of the BuiltinOptions table the operator carries (e.g. "Conv2DOptions"). */
  readonly options?: string;
  /** Types supported, for the README's op table: e.g. ["float32", "int8", "int16x8"]. */
  readonly types: readonly string[];
  prepare(ctx: PrepareContext, node: Node): D;
  eval(node: Node, data: D): void;
  /** Called by resetVariables() and allocateTensors() for kernels that keep state. */
  reset?(node: Node, data: D): void;
}
