// READ_VARIABLE (TFLM read_variable.cc): copies a resource variable's bytes into the output.
import type { Kernel, Node, PrepareContext } from '../core/kernel.js';
import { allocateVariable, checkHandle, resourceVariables, variableById, type ResourceVariable } from './var_handle.js';

export interface ReadVariableData {
  variables: ResourceVariable[];
}

function prepare(ctx: PrepareContext, node: Node): ReadVariableData {
  if (node.inputs.length !== 1) ctx.fail(`has ${node.inputs.length} inputs, expected 1`);
  if (node.outputs.length !== 1) ctx.fail(`has ${node.outputs.length} outputs, expected 1`);
  const handle = checkHandle(ctx, node.inputs[0], 'resource input');
  // TFLM sizes variables in ASSIGN_VARIABLE only; sizing here too lets a model read a variable
  // that nothing assigns (it holds its fill value) instead of failing at eval.
  allocateVariable(ctx, handle, node.outputs[0], 'output');
  return { variables: resourceVariables(ctx).list };
}

function evalReadVariable(node: Node, data: ReadVariableData): void {
  const output = node.outputs[0].bytes;
  const variable = variableById(node, data.variables, node.inputs[0]!.data[0], output.length);
  output.set(variable.buffer!.data as Uint8Array);
}

export const READ_VARIABLE: Kernel<ReadVariableData> = {
  code: 143,
  name: 'READ_VARIABLE',
  types: ['any'],
  prepare,
  eval: evalReadVariable,
};
