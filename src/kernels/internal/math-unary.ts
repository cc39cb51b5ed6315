// What the math group's one-input kernels share (ABS, NEG, CEIL, FLOOR, ROUND, SQRT, RSQRT,
// SQUARE, EXP, LOG, SIN, COS, LOGICAL_NOT, ZEROS_LIKE): TFLM's GenericPrepare checks (one input,
// one output of the input's type), the element count eval may touch, and a kernel built from a
// loop over the whole tensor. Each kernel module keeps its own loop, so eval makes no call per
// element.
import type { Kernel, Node, PrepareContext } from '../../core/kernel.js';
import type { Tensor } from '../../core/tensor.js';
import type { TensorData } from '../../core/types.js';

/** Op data of a whole-tensor unary kernel: the two views. */
export interface UnaryMathData {
  input: TensorData;
  output: TensorData;
}

/**
 * One input of one of `types` and one output of its type and element count (TFLM walks the
 * input's element count and writes as many outputs).
 */
export function prepareUnaryMath(ctx: PrepareContext, node: Node, types: readonly string[]): { input: Tensor; output: Tensor } {
  if (node.inputs.length !== 1) ctx.fail(`takes 1 input, the model gives ${node.inputs.length}`);
  if (node.outputs.length !== 1) ctx.fail(`has 1 output, the model gives ${node.outputs.length}`);
  const input = node.inputs[0], output = node.outputs[0];
  if (!input) return ctx.fail('the input is required');
  if (!types.includes(input.typeName)) ctx.fail(`input type ${input.typeName} is not supported (supported: ${types.join(', ')})`);
  if (output.type !== input.type) ctx.fail(`output type ${output.typeName} differs from the input type ${input.typeName}`);
  if (output.elementCount !== input.elementCount) {
    ctx.fail(`output shape [${output.dims().join(', ')}] does not hold the input's ${input.elementCount} elements`);
  }
  return { input, output };
}

/** A frozen kernel whose eval runs `loop(input, output)` once: float32 math, bool logic. */
export function unaryKernel(code: number, name: string, types: readonly string[], loop: (input: TensorData, output: TensorData) => void): Kernel<UnaryMathData> {
  const frozenTypes = Object.freeze(types.slice());
  return Object.freeze({
    code,
    name,
    types: frozenTypes,
    prepare: Object.freeze((ctx: PrepareContext, node: Node): UnaryMathData => {
      const { input, output } = prepareUnaryMath(ctx, node, frozenTypes);
      return { input: input.data, output: output.data };
    }),
    eval: Object.freeze((data: UnaryMathData): void => loop(data.input, data.output)),
  });
}
