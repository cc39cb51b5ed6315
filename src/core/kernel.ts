// The contract between the interpreter and a kernel, in TFLM's shape: `prepare` validates the
// operator and computes its op data once (into the arena), `eval` computes at every invoke from
// that op data alone, allocating nothing.
//
// Memory, as TFLM's: every byte a kernel keeps lives in the interpreter's arena. Tables, per-
// channel multipliers, state and repacked weights come from `ctx.persistent()` (the arena's
// tail); buffers needed only while the operator runs come from `ctx.scratch()` (the planned
// head, shared with other operators). The op data object `prepare` returns holds the views it
// needs and a few numbers; everything else about the operator (Node, Tensor objects, options)
// is dropped after allocateTensors(), so it costs no RAM on the device.
//
// prepare runs twice. The first run sizes the arena: constants' data are real (views of the
// model), but every other tensor's data, and every view persistent() and scratch() return, has
// length 0 (element writes to it are no-ops; `.set()` of a non-empty source throws, so guard
// table filling with `if (!ctx.sizing)`). The second run, with the arena in place, must ask for
// the same memory in the same order; its views are the real ones, and its op data is kept.
import type { Options } from './model.js';
import type { Tensor } from './tensor.js';
import type { TensorData } from './types.js';

/** One operator instance as prepare sees it: its tensors and options. Not kept after allocateTensors(). */
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

/** Legacy handle form of a scratch or persistent buffer: `data` is the view once the arena exists. */
export interface Scratch {
  data: TensorData;
}

export interface PrepareContext {
  /** Throws an OpError naming this operator. */
  fail(message: string): never;
  /** True in the sizing run: views are empty and non-constant tensors have no data yet. */
  readonly sizing: boolean;
  /**
   * `length` elements of `type` in the arena's persistent tail, zero-filled at allocation, kept
   * across invokes: op data tables, lookup tables, kernel state, repacked weights.
   */
  persistent(type: number, length: number): TensorData;
  /** `length` elements of `type` for this operator's eval only; other operators reuse the bytes. */
  scratch(type: number, length: number): TensorData;
  /** @deprecated handle form of scratch(): `.data` is the view. */
  requestScratch(type: number, length: number): Scratch;
  /** @deprecated handle form of persistent(): `.data` is the view. */
  requestPersistent(type: number, length: number): Scratch;
  /** Prepares another subgraph of the model (control flow ops) and returns its handle. */
  subgraph(index: number): SubgraphHandle;
  /** A store shared by every operator of this interpreter's current prepare run (resource variables). */
  readonly shared: Map<string, unknown>;
  /**
   * Asks to spend `bytes` of arena on a repacked copy of constant weights (faster inner loops),
   * then taken with persistent(). Granted only within the interpreter's `weightCacheBytes`
   * budget (default 0, so weights stay in flash); a kernel that is refused must run from the
   * original weights.
   */
  reserveWeightCache(bytes: number): boolean;
}

export interface SubgraphHandle {
  /** The subgraph's input and output tensors (as prepare sees them: validate shapes and types). */
  readonly inputs: readonly Tensor[];
  readonly outputs: readonly Tensor[];
  /** Runs the subgraph's operators (eval time only). */
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
  /** Computes the operator from its op data alone (nothing else of the operator is kept). */
  eval(data: D): void;
  /** Called by resetVariables() and allocateTensors() for kernels that keep state. */
  reset?(data: D): void;
}
