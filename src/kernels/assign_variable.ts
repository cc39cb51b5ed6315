// ASSIGN_VARIABLE (TFLM assign_variable.cc): copies its value input into a resource variable,
// giving the variable its buffer at prepare time from the value's size.
import type { Kernel, Node, PrepareContext } from '../core/kernel.js';
import { allocateVariable, checkHandle, resourceVariables, variableById, type ResourceVariable } from './var_handle.js';

export interface AssignVariableData {
  variables: ResourceVariable[];
}

function prepare(ctx: PrepareContext, node: Node): AssignVariableData {
  if (node.inputs.length !== 2) ctx.fail(`has ${node.inputs.length} inputs, expected 2`);
  if (node.outputs.length !== 0) ctx.fail(`has ${node.outputs.length} outputs, expected 0`);
  const handle = checkHandle(ctx, node.inputs[0], 'resource input');
  const value = node.inputs[1];
  if (!value) return ctx.fail('value input is missing');
  allocateVariable(ctx, handle, value, 'value');
  return { variables: resourceVariables(ctx).list };
}

function evalAssignVariable(node: Node, data: AssignVariableData): void {
  const value = node.inputs[1]!.bytes;
  const variable = variableById(node, data.variables, node.inputs[0]!.data[0], value.length);
  (variable.buffer!.data as Uint8Array).set(value);
}

export const ASSIGN_VARIABLE: Kernel<AssignVariableData> = {
  code: 144,
  name: 'ASSIGN_VARIABLE',
  types: ['any'],
  prepare,
  eval: evalAssignVariable,
};
