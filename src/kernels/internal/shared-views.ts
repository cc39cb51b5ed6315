// Views a loaded model's kernels share. A typed-array view costs an XS kernel about 4 heap slots
// (64 B), as much as 64 int8 weights: an operator that kept a view per tensor, table and scratch
// buffer would hold more in views than TFLM's op data holds in bytes. So a kernel can instead
// keep one element index into a view of the whole buffer (the arena, or the model's bytes) that
// every operator of the interpreter shares: `wholeView()` makes it once per prepare run and
// buffer and type (in ctx.shared), `indexIn()` gives a view's first element within it.
import type { PrepareContext } from '../../core/kernel.js';
import { TensorType, type TensorData } from '../../core/types.js';

const VIEWS_KEY = 'tflite-xs.shared-views';
const SUMS_KEY = 'tflite-xs.group-sums';

type ViewConstructor = { new (buffer: ArrayBufferLike, byteOffset: number, length: number): TensorData; readonly BYTES_PER_ELEMENT: number };

/** A view of the whole buffer under `view`, of the same type, shared by the run's operators. */
export function wholeView<T extends TensorData>(ctx: PrepareContext, view: T): T {
  let list = ctx.shared.get(VIEWS_KEY) as TensorData[] | undefined;
  if (!list) {
    list = [];
    ctx.shared.set(VIEWS_KEY, list);
  }
  const buffer = view.buffer, type = view.constructor;
  for (let i = 0; i < list.length; i++) {
    const v = list[i];
    if (v.buffer === buffer && v.constructor === type) return v as T;
  }
  const C = type as unknown as ViewConstructor;
  const whole = new C(buffer, 0, Math.floor(buffer.byteLength / C.BYTES_PER_ELEMENT));
  list.push(whole);
  return whole as T;
}

/** Index of `view`'s first element within its whole buffer viewed with its own type. */
export function indexIn(view: TensorData): number {
  return view.byteOffset / view.BYTES_PER_ELEMENT;
}

/**
 * Eight doubles for the sums of one group of rows (int8-rows.ts, packed-int8.ts), in the arena's
 * tail, one for every operator of the interpreter (each fills and reads them within its eval).
 */
export function groupSums(ctx: PrepareContext): Float64Array {
  let sums = ctx.shared.get(SUMS_KEY) as Float64Array | undefined;
  if (!sums) {
    sums = ctx.persistent(TensorType.FLOAT64, 8) as Float64Array;
    ctx.shared.set(SUMS_KEY, sums);
  }
  return sums;
}
