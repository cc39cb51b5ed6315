// CIRCULAR_BUFFER (TFLM kernels/circular_buffer.cc and circular_buffer_common.cc, a custom op of
// TFLM's strided streaming convolution models): each invoke shifts the output's slots one
// towards the start and appends the input; it then ends the invoke early (kTfLiteAbort:
// core/abort.ts, Interpreter.invoke() returns false) until cycles_max invokes have passed, so
// the layers after it run once per period. int8 only, as TFLM.
//
// Without a cycles_max option (or with one ≤ 0) TFLM guesses the period from the output shape
// and a count of such operators prepared so far (its two streaming models): 1 for 5, 13 or 25
// slots or the fifth such operator with a [.., .., 2, 96] output, else 2. TFLM's count is one
// static for the process; here it is one per interpreter (ctx.shared), which is what it
// amounts to for one model in a fresh process.
//
// The output is the buffer: it must keep its values between invokes, as a variable tensor
// does (TFLM's comment says the output is one; like TFLM, prepare does not insist).
import { ABORT_INVOKE } from '../core/abort.js';
import { flexInt, flexMap } from '../core/flexbuffers.js';
import type { Kernel, Node, PrepareContext } from '../core/kernel.js';
import { TensorType } from '../core/types.js';

export interface CircularBufferData {
  input: Int8Array;
  output: Int8Array;
  /** Values in the output's first batch's slots but the last: the ones that move. */
  moved: number;
  depth: number;
  cyclesMax: number;
  cyclesUntilRun: number;
}

const SHARED_COUNT = 'CIRCULAR_BUFFER prepare count';

function prepare(ctx: PrepareContext, node: Node): CircularBufferData {
  let cyclesMax = 0;
  if (node.customOptions && node.customOptions.length > 0) {
    cyclesMax = flexInt(flexMap(node.customOptions, `${node.opName} (operator ${node.index}) custom options`), 'cycles_max', 0);
  }
  if (node.inputs.length !== 1 || !node.inputs[0]) ctx.fail(`has ${node.inputs.length} inputs, expected 1`);
  if (node.outputs.length !== 1) ctx.fail(`has ${node.outputs.length} outputs, expected 1`);
  const input = node.inputs[0]!, output = node.outputs[0];
  if (input.rank !== 4) ctx.fail(`input ${input.describe()} must have 4 dimensions [1, 1, 1, depth]`);
  if (output.rank !== 4) ctx.fail(`output ${output.describe()} must have 4 dimensions [1, slots, 1, depth]`);
  if (input.shape[0] !== output.shape[0] || input.shape[1] !== 1 || input.shape[2] !== output.shape[2] || input.shape[3] !== output.shape[3]) {
    ctx.fail(`input ${input.describe()} must be [${output.shape[0]}, 1, ${output.shape[2]}, ${output.shape[3]}] for output ${output.describe()}`);
  }
  if (input.type !== output.type) ctx.fail(`input ${input.describe()} and output ${output.describe()} must have the same type`);
  if (input.type !== TensorType.INT8) ctx.fail(`input ${input.describe()}: only int8 is supported, as in TFLM`);
  const slots = output.shape[1], depth = output.shape[2] * output.shape[3];
  // TFLM would memmove (slots - 1)·depth bytes: with no slot that is a negative size.
  if (slots < 1) ctx.fail(`output ${output.describe()} must have at least one slot`);
  if (cyclesMax <= 0) {
    const count = ((ctx.shared.get(SHARED_COUNT) as number | undefined) ?? 0) + 1;
    if (slots === 5 || slots === 13 || slots === 25 || (count === 5 && output.shape[2] === 2 && output.shape[3] === 96)) {
      cyclesMax = 1;
      ctx.shared.set(SHARED_COUNT, 0);
    } else {
      cyclesMax = 2;
      ctx.shared.set(SHARED_COUNT, count);
    }
  }
  return {
    input: input.data as Int8Array, output: output.data as Int8Array, moved: (slots - 1) * depth, depth,
    cyclesMax, cyclesUntilRun: cyclesMax,
  };
}

function evaluate(data: CircularBufferData): void {
  const output = data.output, input = data.input, moved = data.moved, depth = data.depth;
  output.copyWithin(0, depth, moved + depth);
  for (let i = 0; i < depth; i++) output[moved + i] = input[i];
  if (--data.cyclesUntilRun !== 0) throw ABORT_INVOKE;
  data.cyclesUntilRun = data.cyclesMax;
}

function reset(data: CircularBufferData): void {
  data.cyclesUntilRun = data.cyclesMax;
}

export const CIRCULAR_BUFFER: Kernel<CircularBufferData> = Object.freeze({
  code: 32, name: 'CIRCULAR_BUFFER', types: Object.freeze(['int8']), prepare, eval: evaluate, reset,
});
