// VAR_HANDLE (TFLM var_handle.cc, micro_resource_variable.cc): names a resource variable by
// (container, shared_name) and writes its id into a resource (int32) tensor. The variables
// themselves live in a registry kept in the interpreter's shared store; READ_VARIABLE and
// ASSIGN_VARIABLE give each one its buffer (persistent arena memory) when they are prepared.
import { OpError } from '../core/errors.js';
import type { Kernel, Node, PrepareContext, Scratch } from '../core/kernel.js';
import type { Tensor } from '../core/tensor.js';
import { TensorType } from '../core/types.js';

export interface ResourceVariable {
  id: number;
  container: string;
  sharedName: string;
  /** Uint8Array of the variable's bytes once an operator has sized it, else null. */
  buffer: Scratch | null;
  byteLength: number;
  /** Byte the buffer is filled with at allocation and reset: the int8 zero point, as TFLM memsets it. */
  fill: number;
}

export interface ResourceVariables {
  list: ResourceVariable[];
  /** The variable each VAR_HANDLE output tensor names, known at prepare time. */
  handles: Map<Tensor, ResourceVariable>;
}

const REGISTRY_KEY = 'resource-variables';

/** The interpreter's variable registry, created on first use. */
export function resourceVariables(ctx: PrepareContext): ResourceVariables {
  let registry = ctx.shared.get(REGISTRY_KEY) as ResourceVariables | undefined;
  if (!registry) {
    registry = { list: [], handles: new Map() };
    ctx.shared.set(REGISTRY_KEY, registry);
  }
  return registry;
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
export function allocateVariable(ctx: PrepareContext, handle: Tensor, tensor: Tensor, what: string): ResourceVariable | null {
  const variable = resourceVariables(ctx).handles.get(handle) ?? null;
  if (!variable) return null;
  if (!variable.buffer) {
    variable.buffer = ctx.requestPersistent(TensorType.UINT8, tensor.byteLength);
    variable.byteLength = tensor.byteLength;
    variable.fill = tensor.quantization ? tensor.zeroPoint & 255 : 0;
  } else if (variable.byteLength !== tensor.byteLength) {
    ctx.fail(`${what} ${tensor.describe()} has ${tensor.byteLength} bytes, but variable "${variable.sharedName}" holds ${variable.byteLength}`);
  }
  return variable;
}

/** The variable a resource id names, checked against the bytes an operator moves (eval time). */
export function variableById(node: Node, list: ResourceVariable[], id: number, byteLength: number): ResourceVariable {
  // The id can come from a graph input (as in TFLM), so a bad one is the model's or the user's
  // doing, named as this operator's error, not a kernel failure.
  const variable = id >= 0 && id < list.length ? list[id] : undefined;
  if (!variable) throw new OpError(node.opName, node.index, `resource variable ${id} does not exist`);
  if (!variable.buffer) throw new OpError(node.opName, node.index, `resource variable "${variable.sharedName}" was never given a size by ASSIGN_VARIABLE or READ_VARIABLE`);
  if (variable.byteLength !== byteLength) {
    throw new OpError(node.opName, node.index, `resource variable "${variable.sharedName}" holds ${variable.byteLength} bytes, the tensor ${byteLength}`);
  }
  return variable;
}

export interface VarHandleData {
  variable: ResourceVariable;
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
    variable = { id: registry.list.length, container, sharedName, buffer: null, byteLength: 0, fill: 0 };
    registry.list.push(variable);
  }
  registry.handles.set(output, variable);
  return { variable };
}

function evalVarHandle(node: Node, data: VarHandleData): void {
  // The output lives in the planned arena, so the id is written at every invoke.
  node.outputs[0].data[0] = data.variable.id;
}

/** ResetAll: the variable goes back to its fill byte (resetVariables and allocateTensors). */
function reset(node: Node, data: VarHandleData): void {
  const buffer = data.variable.buffer;
  if (buffer) (buffer.data as Uint8Array).fill(data.variable.fill);
}

export const VAR_HANDLE: Kernel<VarHandleData> = {
  code: 142,
  name: 'VAR_HANDLE',
  options: 'VarHandleOptions',
  types: ['resource'],
  prepare,
  eval: evalVarHandle,
  reset,
};
