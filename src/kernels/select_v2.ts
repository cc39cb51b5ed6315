// SELECT_V2 (TFLM select.cc, reference/select.h): out = condition ? x : y with the three operands
// broadcast onto the output (TFLM's BroadcastSelect5DSlow, up to 5D). Condition bool; x, y and
// output float32, int8 or int16, one type (values are copied, so quantization passes through).
import type { Kernel, Node, PrepareContext } from '../core/kernel.js';
import { TensorType, type TensorData } from '../core/types.js';
import { planBroadcastRecord, runSelect } from './internal/math-broadcast.js';

export interface SelectData {
  condition: TensorData;
  x: TensorData;
  y: TensorData;
  output: TensorData;
  record: Int32Array;
}

const TYPES: readonly string[] = Object.freeze(['float32', 'int8', 'int16']);

function prepare(ctx: PrepareContext, node: Node): SelectData {
  if (node.inputs.length !== 3) ctx.fail(`takes 3 inputs, the model gives ${node.inputs.length}`);
  if (node.outputs.length !== 1) ctx.fail(`has 1 output, the model gives ${node.outputs.length}`);
  const condition = node.inputs[0], x = node.inputs[1], y = node.inputs[2], output = node.outputs[0];
  if (!condition || !x || !y) return ctx.fail('all three inputs are required');
  if (condition.type !== TensorType.BOOL) ctx.fail(`condition type ${condition.typeName} must be bool`);
  if (!TYPES.includes(x.typeName)) ctx.fail(`input type ${x.typeName} is not supported (supported: ${TYPES.join(', ')})`);
  if (y.type !== x.type) ctx.fail(`inputs differ in type: ${x.typeName} and ${y.typeName}`);
  if (output.type !== x.type) ctx.fail(`output type ${output.typeName} differs from the input type ${x.typeName}`);
  const { record } = planBroadcastRecord(ctx, [condition.shape, x.shape, y.shape], output.shape, 5, 0);
  return { condition: condition.data, x: x.data, y: y.data, output: output.data, record };
}

function evalSelect(data: SelectData): void {
  runSelect(data.record, data.condition, data.x, data.y, data.output);
}

export const SELECT_V2: Kernel<SelectData> = Object.freeze({
  code: 123,
  name: 'SELECT_V2',
  types: Object.freeze(['float32', 'int8', 'int16']),
  prepare,
  eval: evalSelect,
});
