// What the math group's broadcasting two-input kernels share (comparisons, LOGICAL_AND/OR,
// FLOOR_DIV, FLOOR_MOD, POW): the checks, the op data (views, the broadcast record, the segment
// the types chose) and eval, which runs the segment over the plan.
import type { Kernel, Node, PrepareContext } from '../../core/kernel.js';
import type { Tensor } from '../../core/tensor.js';
import { TensorType, type TensorData } from '../../core/types.js';
import type { Segment } from './broadcast.js';
import { planBroadcastRecord, runBroadcast2 } from './math-broadcast.js';

export interface BinaryMathData {
  a: TensorData;
  b: TensorData;
  out: TensorData;
  /** Broadcast plan from index 0, then the kernel's own int32 fields from `at`. */
  record: Int32Array;
  at: number;
  segment: Segment<BinaryMathData>;
  /** A kernel's small parameter (the comparison), and the operator index for eval errors. */
  kind: number;
  opIndex: number;
}

export interface BinaryMathTensors {
  input1: Tensor;
  input2: Tensor;
  output: Tensor;
  data: BinaryMathData;
}

/**
 * Two inputs of one of `types` and of one type, one output (bool where `boolOutput`, else the
 * inputs' type) of the broadcast shape; the plan in the arena with `extra` int32 fields after it.
 * `maxRank`: TFLM's broadcasting loops handle up to 4 dimensions.
 */
export function prepareBinaryMath(
  ctx: PrepareContext, node: Node, types: readonly string[], boolOutput: boolean, extra: number, segment: Segment<BinaryMathData>,
): BinaryMathTensors {
  if (node.inputs.length !== 2) ctx.fail(`takes 2 inputs, the model gives ${node.inputs.length}`);
  if (node.outputs.length !== 1) ctx.fail(`has 1 output, the model gives ${node.outputs.length}`);
  const input1 = node.inputs[0], input2 = node.inputs[1], output = node.outputs[0];
  if (!input1 || !input2) return ctx.fail('both inputs are required');
  if (!types.includes(input1.typeName)) ctx.fail(`input type ${input1.typeName} is not supported (supported: ${types.join(', ')})`);
  if (input2.type !== input1.type) ctx.fail(`inputs differ in type: ${input1.typeName} and ${input2.typeName}`);
  if (boolOutput ? output.type !== TensorType.BOOL : output.type !== input1.type) {
    ctx.fail(`output type ${output.typeName} must be ${boolOutput ? 'bool' : input1.typeName}`);
  }
  const { record, at } = planBroadcastRecord(ctx, [input1.shape, input2.shape], output.shape, 4, extra);
  const data: BinaryMathData = {
    a: input1.data, b: input2.data, out: output.data, record, at, segment, kind: 0, opIndex: node.index,
  };
  return { input1, input2, output, data };
}

export function evalBinaryMath(data: BinaryMathData): void {
  runBroadcast2(data.record, data.a, data.b, data.out, data, data.segment);
}

/** A frozen kernel object. */
export function binaryKernel(
  code: number, name: string, types: readonly string[], prepare: (ctx: PrepareContext, node: Node) => BinaryMathData,
  evalFn: (data: BinaryMathData) => void = evalBinaryMath,
): Kernel<BinaryMathData> {
  return Object.freeze({ code, name, types: Object.freeze(types.slice()), prepare, eval: evalFn });
}
