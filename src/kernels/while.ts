// WHILE (TFLM while.cc): copies the operator's inputs to its outputs, then while the condition
// subgraph's bool output is true, runs the body subgraph on the outputs and copies its results
// back. As TFLM, there is no bound on the number of iterations: the loop ends only when the
// model's own condition says so (a model whose condition never turns false runs forever, as it
// would under TFLM). Nesting depth is bounded by the interpreter (MAX_SUBGRAPH_DEPTH).
import type { Kernel, Node, PrepareContext, SubgraphHandle } from '../core/kernel.js';
import type { Tensor } from '../core/tensor.js';
import { TensorType, type TensorData } from '../core/types.js';
import { copyViews, requireCopyable, viewsOf } from './internal/shape-group-subgraph.js';

export interface WhileData {
  inputs: TensorData[];
  outputs: TensorData[];
  cond: SubgraphHandle;
  condInputs: TensorData[];
  /** The condition subgraph's first output (bool). */
  condValue: Uint8Array;
  body: SubgraphHandle;
  bodyInputs: TensorData[];
  bodyOutputs: TensorData[];
}

function prepare(ctx: PrepareContext, node: Node): WhileData {
  const n = node.inputs.length;
  for (let i = 0; i < n; i++) if (!node.inputs[i]) ctx.fail(`input ${i} is missing`);
  if (node.outputs.length !== n) ctx.fail(`has ${node.outputs.length} outputs for ${n} inputs (they must be as many)`);
  const o = node.options as { condSubgraphIndex: number; bodySubgraphIndex: number };
  for (const [index, what] of [[o.condSubgraphIndex, 'condition'], [o.bodySubgraphIndex, 'body']] as const) {
    if (!Number.isInteger(index) || index <= 0) ctx.fail(`${what} subgraph index ${index} must name a subgraph other than the main one`);
  }
  const cond = ctx.subgraph(o.condSubgraphIndex), body = ctx.subgraph(o.bodySubgraphIndex);
  if (cond.inputs.length !== n) ctx.fail(`condition subgraph takes ${cond.inputs.length} inputs, the operator gives ${n}`);
  if (body.inputs.length !== n) ctx.fail(`body subgraph takes ${body.inputs.length} inputs, the operator gives ${n}`);
  if (body.outputs.length !== n) ctx.fail(`body subgraph gives ${body.outputs.length} outputs, the operator has ${n}`);
  if (cond.outputs.length < 1) ctx.fail('condition subgraph has no output');
  const flag = cond.outputs[0];
  if (flag.type !== TensorType.BOOL || flag.elementCount < 1) ctx.fail(`condition output ${flag.describe()} must be a bool`);
  for (let i = 0; i < n; i++) {
    const input = node.inputs[i] as Tensor, output = node.outputs[i];
    requireCopyable(ctx, input, output, `output ${i}`);
    requireCopyable(ctx, output, cond.inputs[i], `condition input ${i}`);
    requireCopyable(ctx, output, body.inputs[i], `body input ${i}`);
    requireCopyable(ctx, body.outputs[i], output, `output ${i} (from the body)`);
  }
  return {
    inputs: viewsOf(node.inputs), outputs: viewsOf(node.outputs),
    cond, condInputs: viewsOf(cond.inputs), condValue: flag.data as Uint8Array,
    body, bodyInputs: viewsOf(body.inputs), bodyOutputs: viewsOf(body.outputs),
  };
}

function evalWhile(d: WhileData): void {
  const outputs = d.outputs, cond = d.cond, body = d.body, condInputs = d.condInputs, flag = d.condValue;
  copyViews(d.inputs, condInputs);
  copyViews(d.inputs, outputs);
  cond.invoke();
  while (flag[0] !== 0) {
    copyViews(outputs, d.bodyInputs);
    body.invoke();
    copyViews(d.bodyOutputs, outputs);
    copyViews(outputs, condInputs);
    cond.invoke();
  }
}

export const WHILE: Kernel<WhileData> = Object.freeze({
  code: 119,
  name: 'WHILE',
  options: 'WhileOptions',
  types: Object.freeze(['any']),
  prepare,
  eval: evalWhile,
});
