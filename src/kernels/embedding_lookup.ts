// EMBEDDING_LOOKUP (TFLM embedding_lookup.cc): output row i is row lookup[i] of `value`
// (flattened to 2-D). float32 → float32 and int8 → int8 copy rows; int8 → float32 (hybrid,
// symmetric weights) dequantizes them with the value's scale. An index outside the rows is an
// error naming the op, as in TFLM.
import type { Kernel, Node, PrepareContext } from '../core/kernel.js';
import { OpError } from '../core/errors.js';
import { TensorType, type TensorData } from '../core/types.js';
import { requireShape, requireType } from './internal/shape-util.js';
import { requireOperands } from './internal/shape-group.js';

export interface EmbeddingLookupData {
  lookup: Int32Array;
  value: TensorData;
  output: TensorData;
  rows: number;
  columns: number;
  /** Hybrid int8 → float32: the value's scale; 0 for a plain copy. */
  scale: number;
  index: number;
}

function prepare(ctx: PrepareContext, node: Node): EmbeddingLookupData {
  const [lookup, value] = requireOperands(ctx, node, 2, 1);
  const output = node.outputs[0];
  if (lookup.rank !== 1) ctx.fail(`lookup ${lookup.describe()} must have 1 dimension`);
  requireType(ctx, lookup, [TensorType.INT32], 'lookup');
  if (value.rank < 2) ctx.fail(`value ${value.describe()} must have at least 2 dimensions`);
  requireType(ctx, value, [TensorType.FLOAT32, TensorType.INT8], 'value');
  if (value.type === TensorType.FLOAT32) requireType(ctx, output, [TensorType.FLOAT32], 'output');
  else requireType(ctx, output, [TensorType.FLOAT32, TensorType.INT8], 'output');
  let scale = 0;
  if (value.type === TensorType.INT8 && output.type === TensorType.FLOAT32) {
    if (!value.quantization) ctx.fail(`value ${value.describe()} must be quantized`);
    if (value.zeroPoint !== 0) ctx.fail(`value ${value.describe()} must have zero point 0 (symmetric)`);
    scale = value.scale;
  }
  // TFLM writes the output's dimensions ([lookups, value dims 1..]); ours must be those.
  const shape = [lookup.shape[0], ...Array.from(value.shape).slice(1)];
  requireShape(ctx, output, shape, 'output');
  const rows = value.shape[0];
  return {
    lookup: lookup.data as Int32Array, value: value.data, output: output.data,
    rows, columns: rows === 0 ? 0 : value.elementCount / rows, scale, index: node.index,
  };
}

function evalEmbeddingLookup(d: EmbeddingLookupData): void {
  const lookup = d.lookup, value = d.value, output = d.output, rows = d.rows, columns = d.columns, scale = d.scale;
  if (rows === 0) return;
  const n = lookup.length;
  for (let i = 0; i < n; i++) {
    const row = lookup[i];
    if (row < 0 || row >= rows) throw new OpError('EMBEDDING_LOOKUP', d.index, `index ${row} is out of bounds [0, ${rows - 1}]`);
    let p = row * columns, q = i * columns;
    if (scale === 0) {
      for (let k = 0; k < columns; k++) output[q++] = value[p++];
    } else {
      for (let k = 0; k < columns; k++) output[q++] = Math.fround(scale * value[p++]);
    }
  }
}

export const EMBEDDING_LOOKUP: Kernel<EmbeddingLookupData> = Object.freeze({
  code: 7,
  name: 'EMBEDDING_LOOKUP',
  types: Object.freeze(['float32', 'int8', 'int8→float32']),
  prepare,
  eval: evalEmbeddingLookup,
});
