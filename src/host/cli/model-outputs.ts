// A copy of a .tflite whose main subgraph lists other tensors as its outputs: how `diff` gets
// every intermediate tensor out of reference TFLite, which only exposes outputs (and keeps an
// output's memory for it, as TFLM's preserve_all_tensors would). The flatbuffer is patched, not
// rewritten: the new outputs vector goes at the end of the file and the subgraph's field points
// to it (offsets only point forward, and the end is after everything), so the rest of the file,
// options and buffers included, stays byte for byte what it was.
import { InputProblem } from './args.js';

// Field numbers in schema.fbs: Model.subgraphs is field 2, SubGraph.outputs is field 2.
const MODEL_SUBGRAPHS = 2;
const SUBGRAPH_OUTPUTS = 2;

/** Position of field `field` of the table at `table`, or 0 when the table does not have it. */
function fieldPosition(view: DataView, table: number, field: number): number {
  const vtable = table - view.getInt32(table, true);
  const entry = 4 + 2 * field;
  if (vtable < 0 || vtable + 4 > view.byteLength || entry >= view.getUint16(vtable, true)) return 0;
  const offset = view.getUint16(vtable + entry, true);
  return offset ? table + offset : 0;
}

/** `model` with subgraph 0's outputs replaced by `outputs` (tensor indices, in that order). */
export function withOutputs(model: Uint8Array, outputs: readonly number[]): Uint8Array {
  const fail = (why: string): never => { throw new InputProblem(`cannot list the model's intermediate tensors as outputs: ${why}`); };
  const start = (model.length + 3) & ~3;
  const out = new Uint8Array(start + 4 + 4 * outputs.length);
  out.set(model);
  const view = new DataView(out.buffer);
  if (model.length < 8) fail('the file is too short');
  const root = view.getUint32(0, true);
  const subgraphsField = fieldPosition(view, root, MODEL_SUBGRAPHS);
  if (!subgraphsField) fail('the model has no subgraphs');
  const subgraphs = subgraphsField + view.getUint32(subgraphsField, true);
  if (view.getUint32(subgraphs, true) < 1) fail('the model has no subgraphs');
  const first = subgraphs + 4 + view.getUint32(subgraphs + 4, true);
  const outputsField = fieldPosition(view, first, SUBGRAPH_OUTPUTS);
  if (!outputsField) fail('its main subgraph has no outputs field to point elsewhere');
  view.setUint32(start, outputs.length, true);
  outputs.forEach((t, i) => view.setInt32(start + 4 + 4 * i, t, true));
  view.setUint32(outputsField, start - outputsField, true);
  return out;
}
