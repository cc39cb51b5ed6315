// READ_VARIABLE (TFLM read_variable.cc): copies a resource variable's bytes into the output.
import type { Kernel, Node, PrepareContext } from '../core/kernel.js';
import { allocateVariable, checkHandle, copyBytes, resourceVariables, variableBuffer, type VariableAccess } from './var_handle.js';

export type ReadVariableData = VariableAccess;

function prepare(ctx: PrepareContext, node: Node): ReadVariableData {
  if (node.inputs.length !== 1) ctx.fail(`has ${node.inputs.length} inputs, expected 1`);
  if (node.outputs.length !== 1) ctx.fail(`has ${node.outputs.length} outputs, expected 1`);
  const handle = checkHandle(ctx, node.inputs[0], 'resource input');
  const output = node.outputs[0];
  // TFLM sizes variables in ASSIGN_VARIABLE only; sizing here too lets a model read a variable
  // that nothing assigns (it holds its fill value) instead of failing at eval.
  allocateVariable(ctx, handle, output, 'output');
  return { registry: resourceVariables(ctx), handle: handle.data, value: output.bytes, index: node.index };
}

function evalReadVariable(data: ReadVariableData): void {
  copyBytes(data.registry.arena, variableBuffer('READ_VARIABLE', data), data.value);
}

export const READ_VARIABLE: Kernel<ReadVariableData> = Object.freeze({
  code: 143,
  name: 'READ_VARIABLE',
  types: Object.freeze(['any']),
  prepare,
  eval: evalReadVariable,
});
