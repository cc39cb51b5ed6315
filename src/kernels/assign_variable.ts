// ASSIGN_VARIABLE (TFLM assign_variable.cc): copies its value input into a resource variable,
// giving the variable its buffer at prepare time from the value's size.
import type { Kernel, Node, PrepareContext } from '../core/kernel.js';
import { allocateVariable, checkHandle, copyBytes, resourceVariables, variableBuffer, type VariableAccess } from './var_handle.js';

export type AssignVariableData = VariableAccess;

function prepare(ctx: PrepareContext, node: Node): AssignVariableData {
  if (node.inputs.length !== 2) ctx.fail(`has ${node.inputs.length} inputs, expected 2`);
  if (node.outputs.length !== 0) ctx.fail(`has ${node.outputs.length} outputs, expected 0`);
  const handle = checkHandle(ctx, node.inputs[0], 'resource input');
  const value = node.inputs[1];
  if (!value) return ctx.fail('value input is missing');
  allocateVariable(ctx, handle, value, 'value');
  return { registry: resourceVariables(ctx), handle: handle.data, value: value.bytes, index: node.index };
}

function evalAssignVariable(data: AssignVariableData): void {
  copyBytes(data.registry.arena, data.value, variableBuffer('ASSIGN_VARIABLE', data));
}

export const ASSIGN_VARIABLE: Kernel<AssignVariableData> = Object.freeze({
  code: 144,
  name: 'ASSIGN_VARIABLE',
  types: Object.freeze(['any']),
  prepare,
  eval: evalAssignVariable,
});
