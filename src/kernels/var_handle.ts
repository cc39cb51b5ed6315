// VAR_HANDLE (TFLM var_handle.cc, micro_resource_variable.cc): names a resource variable by
// (container, shared_name) and writes its id into a resource (int32) tensor. The variables
// themselves live in a registry kept in the interpreter's shared store (one per prepare run);
// READ_VARIABLE and ASSIGN_VARIABLE give each one its buffer (persistent arena memory) when they
// are prepared.
import { OpError } from '../core/errors.js';
import type { Kernel, Node, PrepareContext } from '../core/kernel.js';
import type { Tensor } from '../core/tensor.js';
import { TensorType, type TensorData } from '../core/types.js';
import { wholeBytes } from './internal/shape-util.js';

export interface ResourceVariable {
  id: number;
  container: string;
  sharedName: string;
  /** The variable's bytes (persistent arena memory) once an operator has sized it, else null. */
  buffer: Uint8Array | null;
  /** Byte the buffer is filled with at allocation and reset: the int8 zero point, as TFLM memsets it. */
  fill: number;
}

/** What eval needs of the variables (op data holds it; nothing of prepare's Tensors). */
export interface ResourceVariables {
  list: ResourceVariable[];
  /** A byte view of the whole arena the buffers live in (null until one is sized). */
  arena: Uint8Array | null;
}

const REGISTRY_KEY = 'resource-variables';
const HANDLES_KEY = 'resource-variable-handles';
const SIZES_KEY = 'resource-variable-sizes';

/** The prepare run's variable registry, created on first use. */
export function resourceVariables(ctx: PrepareContext): ResourceVariables {
  let registry = ctx.shared.get(REGISTRY_KEY) as ResourceVariables | undefined;
  if (!registry) {
    registry = { list: [], arena: null };
    ctx.shared.set(REGISTRY_KEY, registry);
  }
  return registry;
}

/** A map in the prepare run's shared store (dropped with it after allocateTensors). */
function sharedMap<K, V>(ctx: PrepareContext, key: string): Map<K, V> {
  let map = ctx.shared.get(key) as Map<K, V> | undefined;
  if (!map) {
    map = new Map();
    ctx.shared.set(key, map);
  }
  return map;
}

/** The variable each VAR_HANDLE output tensor names, known at prepare time. */
function handles(ctx: PrepareContext): Map<Tensor, ResourceVariable> {
  return sharedMap(ctx, HANDLES_KEY);
}

/** Sizes given to the variables in this prepare run (eval reads its buffers' lengths instead). */
function byteLengths(ctx: PrepareContext): Map<ResourceVariable, number> {
  return sharedMap(ctx, SIZES_KEY);
}

/** Checks that a tensor can carry a resource id: resource or int32, one element. */
export function checkHandle(ctx: PrepareContext, handle: Tensor | null, what: string): Tensor {
  if (!handle) return ctx.fail(`${what} is missing`);
  if (handle.type !== TensorType.RESOURCE && handle.type !== TensorType.INT32) {
    ctx.fail(`${what} ${handle.describe()} must be a resource (or int32) tensor`);
  }
  if (handle.elementCount !== 1) ctx.fail(`${what} ${handle.describe()} must hold one resource id`);
  return handle;
}

/**
 * MicroResourceVariables::Allocate: the first operator to size a variable gives it a persistent
 * buffer of `tensor`'s byte size, filled with the tensor's int8-cast zero point. Handles that
 * come from outside the subgraph are resolved at eval time instead (as TFLM does).
 */
export function allocateVariable(ctx: PrepareContext, handle: Tensor, tensor: Tensor, what: string): void {
  const registry = resourceVariables(ctx);
  const variable = handles(ctx).get(handle);
  if (!variable) return;
  const buffer = variable.buffer;
  if (!buffer) {
    // The size is the tensor's (from the model), not the view's: the sizing run's views are empty.
    variable.buffer = ctx.persistent(TensorType.UINT8, tensor.byteLength) as Uint8Array;
    byteLengths(ctx).set(variable, tensor.byteLength);
    variable.fill = tensor.quantization ? tensor.zeroPoint & 255 : 0;
    if (!ctx.sizing && !registry.arena) registry.arena = wholeBytes(ctx, variable.buffer.buffer);
  } else if (byteLengths(ctx).get(variable) !== tensor.byteLength) {
    ctx.fail(`${what} ${tensor.describe()} has ${tensor.byteLength} bytes, but variable "${variable.sharedName}" holds ${byteLengths(ctx).get(variable)}`);
  }
}

/** Op data of READ_VARIABLE and ASSIGN_VARIABLE: the registry, the handle's and the value's data. */
export interface VariableAccess {
  registry: ResourceVariables;
  handle: TensorData;
  /** The value's bytes (ASSIGN_VARIABLE's input, READ_VARIABLE's output). */
  value: Uint8Array;
  /** Operator index, for errors. */
  index: number;
}

/** The buffer of the variable a resource id names, checked against the bytes an operator moves (eval time). */
export function variableBuffer(name: string, data: VariableAccess): Uint8Array {
  // The id can come from a graph input (as in TFLM), so a bad one is the model's or the user's
  // doing, named as this operator's error, not a kernel failure.
  const id = data.handle[0], list = data.registry.list;
  const variable = id >= 0 && id < list.length ? list[id] : undefined;
  if (!variable) throw new OpError(name, data.index, `resource variable ${id} does not exist`);
  const buffer = variable.buffer;
  if (!buffer) throw new OpError(name, data.index, `resource variable "${variable.sharedName}" was never given a size by ASSIGN_VARIABLE or READ_VARIABLE`);
  const n = data.value.length;
  if (buffer.length !== n) {
    throw new OpError(name, data.index, `resource variable "${variable.sharedName}" holds ${buffer.length} bytes, the tensor ${n}`);
  }
  return buffer;
}

/** Copies `n` bytes between two views, with copyWithin on the arena's view when they share it (XS's set() would copy the source first). */
export function copyBytes(arena: Uint8Array | null, source: Uint8Array, target: Uint8Array): void {
  if (arena !== null && source.buffer === arena.buffer && target.buffer === arena.buffer) {
    const from = source.byteOffset;
    if (from !== target.byteOffset) arena.copyWithin(target.byteOffset, from, from + source.length);
  } else {
    target.set(source);
  }
}

export interface VarHandleData {
  variable: ResourceVariable;
  output: TensorData;
}

function prepare(ctx: PrepareContext, node: Node): VarHandleData {
  if (node.inputs.length !== 0) ctx.fail(`has ${node.inputs.length} inputs, expected 0`);
  if (node.outputs.length !== 1) ctx.fail(`has ${node.outputs.length} outputs, expected 1`);
  const output = checkHandle(ctx, node.outputs[0], 'output');
  const container = String(node.options.container ?? '');
  const sharedName = String(node.options.sharedName ?? '');
  const registry = resourceVariables(ctx);
  // FindId: a model may leave the container out to save space; then any container matches.
  let variable: ResourceVariable | undefined;
  for (const v of registry.list) {
    if ((container === '' || container === v.container) && sharedName === v.sharedName) {
      variable = v;
      break;
    }
  }
  if (!variable) {
    variable = { id: registry.list.length, container, sharedName, buffer: null, fill: 0 };
    registry.list.push(variable);
  }
  handles(ctx).set(output, variable);
  return { variable, output: output.data };
}

function evalVarHandle(data: VarHandleData): void {
  // The output lives in the planned arena, so the id is written at every invoke.
  data.output[0] = data.variable.id;
}

/** ResetAll: the variable goes back to its fill byte (resetVariables and allocateTensors). */
function reset(data: VarHandleData): void {
  const buffer = data.variable.buffer;
  if (buffer) buffer.fill(data.variable.fill);
}

export const VAR_HANDLE: Kernel<VarHandleData> = Object.freeze({
  code: 142,
  name: 'VAR_HANDLE',
  options: 'VarHandleOptions',
  types: Object.freeze(['resource']),
  prepare,
  eval: evalVarHandle,
  reset,
});
