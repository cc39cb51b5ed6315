// CALL_ONCE (TFLM call_once.cc): runs the initialization subgraph at the first invoke, typically
// to ASSIGN_VARIABLE the initial values of resource variables.
import type { Kernel, Node, PrepareContext, SubgraphHandle } from '../core/kernel.js';

export interface CallOnceData {
  /** The subgraph's handle: its invoke() runs it (its tensors are prepare's only). */
  init: SubgraphHandle;
  hasRun: boolean;
}

function prepare(ctx: PrepareContext, node: Node): CallOnceData {
  if (node.inputs.length !== 0) ctx.fail(`has ${node.inputs.length} inputs, expected 0`);
  if (node.outputs.length !== 0) ctx.fail(`has ${node.outputs.length} outputs, expected 0`);
  const index = Number(node.options.initSubgraphIndex ?? 0);
  if (!Number.isInteger(index) || index <= 0) ctx.fail(`init subgraph index ${index} must name a subgraph other than the main one`);
  return { init: ctx.subgraph(index), hasRun: false };
}

function evalCallOnce(data: CallOnceData): void {
  if (data.hasRun) return;
  data.init.invoke();
  data.hasRun = true;
}

/**
 * TFLM keeps has_run across MicroInterpreter::Reset(), so its reset variables lose their initial
 * values; re-arming here makes resetVariables() give the state of a freshly allocated interpreter.
 */
function reset(data: CallOnceData): void {
  data.hasRun = false;
}

export const CALL_ONCE: Kernel<CallOnceData> = Object.freeze({
  code: 129,
  name: 'CALL_ONCE',
  options: 'CallOnceOptions',
  types: Object.freeze(['none']),
  prepare,
  eval: evalCallOnce,
  reset,
});
