// IF (TFLM if.cc): runs the then- or else-subgraph on inputs 1.., by the bool in input 0, and
// copies that subgraph's outputs into the operator's outputs. Both branches are prepared (in
// the same arena plan, after the caller's tensors) and must take the operator's inputs and give
// its outputs, by count, type and size (TFLM checks only the then-branch's counts).
import type { Kernel, Node, PrepareContext, SubgraphHandle } from '../core/kernel.js';
import type { Tensor } from '../core/tensor.js';
import { TensorType, type TensorData } from '../core/types.js';
import { copyViews, requireCopyable, viewsOf, type SubgraphViews } from './internal/shape-group-subgraph.js';

export interface IfData {
  cond: Uint8Array;
  inputs: TensorData[];
  outputs: TensorData[];
  thenGraph: SubgraphHandle;
  thenInputs: TensorData[];
  thenOutputs: TensorData[];
  elseGraph: SubgraphHandle;
  elseInputs: TensorData[];
  elseOutputs: TensorData[];
}

function prepare(ctx: PrepareContext, node: Node): IfData {
  if (node.inputs.length < 1) ctx.fail('takes a condition input, the model gives none');
  for (let i = 0; i < node.inputs.length; i++) if (!node.inputs[i]) ctx.fail(`input ${i} is missing`);
  const cond = node.inputs[0] as Tensor;
  if (cond.type !== TensorType.BOOL) ctx.fail(`condition ${cond.describe()} must be bool`);
  if (cond.elementCount !== 1) ctx.fail(`condition ${cond.describe()} must hold one value`);
  const o = node.options as { thenSubgraphIndex: number; elseSubgraphIndex: number };
  const branches: SubgraphViews[] = [];
  for (const [index, what] of [[o.thenSubgraphIndex, 'then'], [o.elseSubgraphIndex, 'else']] as const) {
    if (!Number.isInteger(index) || index <= 0) ctx.fail(`${what} subgraph index ${index} must name a subgraph other than the main one`);
    const graph = ctx.subgraph(index);
    const ins = graph.inputs, outs = graph.outputs;
    if (ins.length !== node.inputs.length - 1) ctx.fail(`${what} subgraph ${index} takes ${ins.length} inputs, the operator gives ${node.inputs.length - 1}`);
    if (outs.length !== node.outputs.length) ctx.fail(`${what} subgraph ${index} gives ${outs.length} outputs, the operator has ${node.outputs.length}`);
    for (let i = 0; i < ins.length; i++) requireCopyable(ctx, node.inputs[i + 1] as Tensor, ins[i], `${what} subgraph input ${i}`);
    for (let i = 0; i < outs.length; i++) requireCopyable(ctx, outs[i], node.outputs[i], `output ${i}`);
    branches.push({ graph, inputs: viewsOf(ins), outputs: viewsOf(outs) });
  }
  return {
    cond: cond.data as Uint8Array, inputs: viewsOf(node.inputs, 1), outputs: viewsOf(node.outputs),
    thenGraph: branches[0].graph, thenInputs: branches[0].inputs, thenOutputs: branches[0].outputs,
    elseGraph: branches[1].graph, elseInputs: branches[1].inputs, elseOutputs: branches[1].outputs,
  };
}

function evalIf(d: IfData): void {
  if (d.cond[0] !== 0) {
    copyViews(d.inputs, d.thenInputs);
    d.thenGraph.invoke();
    copyViews(d.thenOutputs, d.outputs);
  } else {
    copyViews(d.inputs, d.elseInputs);
    d.elseGraph.invoke();
    copyViews(d.elseOutputs, d.outputs);
  }
}

export const IF: Kernel<IfData> = Object.freeze({
  code: 118,
  name: 'IF',
  options: 'IfOptions',
  types: Object.freeze(['any']),
  prepare,
  eval: evalIf,
});
