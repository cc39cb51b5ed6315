// IF and WHILE (control flow): the views through which they copy tensors into and out of another
// subgraph. A subgraph handle's Tensors exist only while prepare runs, so their data views are
// captured here; the copies at eval are TFLM's CopyOpInputsToSubgraphInputs and friends.
import type { PrepareContext, SubgraphHandle } from '../../core/kernel.js';
import type { Tensor } from '../../core/tensor.js';
import type { TensorData } from '../../core/types.js';

/**
 * Checks that tensor `to` can receive `from`'s bytes (TFLM compares byte sizes; here the types
 * must match as well, since the copy is element-wise between typed views) and that it is not a
 * constant, whose bytes are the model's.
 */
export function requireCopyable(ctx: PrepareContext, from: Tensor, to: Tensor, what: string): void {
  if (from.type !== to.type || from.byteLength !== to.byteLength) {
    ctx.fail(`${what}: ${to.describe()} cannot take ${from.describe()} (type and size must match)`);
  }
  if (to.isConstant) ctx.fail(`${what}: ${to.describe()} is a constant and cannot be written`);
}

/** The data views of tensors, kept in the op data (not the Tensors). */
export function viewsOf(tensors: readonly (Tensor | null)[], from = 0): TensorData[] {
  const out: TensorData[] = [];
  for (let i = from; i < tensors.length; i++) out.push((tensors[i] as Tensor).data);
  return out;
}

/** Copies each view of `from` into the same-indexed view of `to`, skipping shared memory. */
export function copyViews(from: readonly TensorData[], to: readonly TensorData[]): void {
  const n = from.length;
  for (let i = 0; i < n; i++) {
    const src = from[i], dst = to[i];
    if (src !== dst) dst.set(src as never);
  }
}

/** The subgraph's handle and its input and output views, checked against a count. */
export interface SubgraphViews {
  graph: SubgraphHandle;
  inputs: TensorData[];
  outputs: TensorData[];
}
