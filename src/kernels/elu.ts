// ELU (TFLM elu.cc, reference/elu.h): expm1(x) for x < 0, x otherwise. int8 runs from the table
// TFLM's PopulateLookupTable builds: dequantize, transform, requantize, all in float.
import type { Kernel, Node, PrepareContext } from '../core/kernel.js';
import { TensorType, type TensorData } from '../core/types.js';
import { prepareUnary, requireQuantized } from './internal/elementwise.js';
import { applyInt8Table, int8Table } from './internal/lut.js';
import { roundHalfAway } from './internal/quantization.js';

export interface EluData {
  input: TensorData;
  output: TensorData;
  /** int8: the table (256 bytes in the arena); float32: null. */
  table: Int8Array | null;
}

const TYPES: readonly string[] = Object.freeze(['float32', 'int8']);

function prepare(ctx: PrepareContext, node: Node): EluData {
  const { input, output } = prepareUnary(ctx, node, TYPES);
  const data: EluData = { input: input.data, output: output.data, table: null };
  if (input.type === TensorType.FLOAT32) return data;
  requireQuantized(ctx, input, 'input');
  requireQuantized(ctx, output, 'output');
  const f = Math.fround;
  const inverseScale = f(1 / output.scale);
  const inScale = input.scale, inZero = input.zeroPoint, outZero = output.zeroPoint;
  data.table = int8Table(ctx, q => {
    const x = f(inScale * (q - inZero));
    const y = x < 0 ? f(f(Math.exp(x)) - 1) : x;
    // The float sum of the rounded value and the zero point, then a truncating cast.
    return Math.trunc(f(roundHalfAway(f(y * inverseScale)) + outZero));
  });
  return data;
}

function evalElu(data: EluData): void {
  const input = data.input, output = data.output;
  if (data.table !== null) {
    applyInt8Table(input, output, data.table);
    return;
  }
  const n = output.length, expm1 = Math.expm1;
  for (let i = 0; i < n; i++) {
    const v = input[i];
    output[i] = v < 0 ? expm1(v) : v;
  }
}

export const ELU: Kernel<EluData> = Object.freeze<Kernel<EluData>>({
  code: 111,
  name: 'ELU',
  types: TYPES,
  prepare,
  eval: evalElu,
});
