// Views a loaded model's kernels share. A typed-array view costs an XS kernel about 4 heap slots
// (64 B), as much as 64 int8 weights, and every property of an op data object one more: an
// operator that kept a view per tensor, table and scratch buffer would hold more in slots than
// TFLM's op data holds in bytes. So an operator keeps its numbers in an Int32 record in the
// arena and, for each tensor, a view number and an element index: the view number picks a view
// of the whole buffer (the arena, or the model's bytes) in `SharedViews.views`, which every
// operator of the interpreter shares. Its op data is then `{ at, s }` (3 slots).
import type { PrepareContext } from '../../core/kernel.js';
import { TensorType, type TensorData } from '../../core/types.js';

const KEY = 'tflite-xs.shared-views';

type ViewConstructor = { new (buffer: ArrayBufferLike, byteOffset: number, length: number): TensorData; readonly BYTES_PER_ELEMENT: number };

/** One object per prepare run, held by the op data of every operator using it. */
export interface SharedViews {
  /** The arena as int32: operators' records, per-channel tables, packed weights. */
  readonly rec: Int32Array;
  /** Eight doubles in the arena for the sums of one group of rows (int8-rows.ts, packed-int8.ts). */
  readonly sums: Float64Array;
  /**
   * Views by number: each views a whole buffer from some element on (0 for most; a later one
   * lets one index read a row that many elements later: int8-rows.ts's shifted rows).
   */
  readonly views: TensorData[];
}

/** The run's shared views, made at the first call (the same point in both prepare runs). */
export function sharedViews(ctx: PrepareContext): SharedViews {
  let s = ctx.shared.get(KEY) as SharedViews | undefined;
  if (!s) {
    const sums = ctx.persistent(TensorType.FLOAT64, 8) as Float64Array;
    const buffer = sums.buffer;
    const rec = new Int32Array(buffer, 0, Math.floor(buffer.byteLength / 4));
    s = { rec, sums, views: [rec] };
    ctx.shared.set(KEY, s);
  }
  return s;
}

function find(list: TensorData[], buffer: ArrayBufferLike, type: unknown, shift: number, from: number): number {
  for (let i = from; i < list.length; i++) {
    const v = list[i];
    if (v.buffer === buffer && v.constructor === type && v.byteOffset === shift * v.BYTES_PER_ELEMENT) return i;
  }
  return -1;
}

function make(list: TensorData[], buffer: ArrayBufferLike, type: unknown, shift: number): number {
  const C = type as ViewConstructor;
  const whole = Math.floor(buffer.byteLength / C.BYTES_PER_ELEMENT);
  const start = shift < whole ? shift : whole;
  list.push(new C(buffer, start * C.BYTES_PER_ELEMENT, whole - start));
  return list.length - 1;
}

/** Number (in s.views) of a view of `view`'s whole buffer, of its type (made once per run). */
export function viewNumber(s: SharedViews, view: TensorData): number {
  const i = find(s.views, view.buffer, view.constructor, 0, 0);
  return i >= 0 ? i : make(s.views, view.buffer, view.constructor, 0);
}

/**
 * Number of the first of `n` consecutive views of `view`'s whole buffer starting `stride`,
 * 2·stride ... n·stride elements in: index i in the k-th reads element i + k·stride. Shared by
 * operators whose rows have the same length in the same buffer.
 */
export function shiftedViews(s: SharedViews, view: TensorData, stride: number, n: number): number {
  const list = s.views, buffer = view.buffer, type = view.constructor;
  for (let i = find(list, buffer, type, stride, 0); i >= 0; i = find(list, buffer, type, stride, i + 1)) {
    let k = 1;
    while (k < n && i + k < list.length && list[i + k].buffer === buffer && list[i + k].constructor === type &&
      list[i + k].byteOffset === (k + 1) * stride * list[i + k].BYTES_PER_ELEMENT) k++;
    if (k === n) return i;
  }
  const first = list.length;
  for (let k = 1; k <= n; k++) make(list, buffer, type, k * stride);
  return first;
}

/** Index of `view`'s first element within its whole buffer viewed with its own type. */
export function indexIn(view: TensorData): number {
  return view.byteOffset / view.BYTES_PER_ELEMENT;
}

/** The run's shared view of `view`'s whole buffer, of its type (for kernels that keep the view itself). */
export function wholeView<T extends TensorData>(ctx: PrepareContext, view: T): T {
  const s = sharedViews(ctx);
  return s.views[viewNumber(s, view)] as T;
}
