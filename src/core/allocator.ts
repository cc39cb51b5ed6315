// The arena's layout, as TFLM's MicroAllocator: tensor lifetimes -> the planned head (tensors
// and scratch that reuse bytes, placed by the greedy planner) -> the persistent tail (variable
// tensors, misaligned constants' copies, kernels' persistent requests) -> views.
//
// Everything here runs inside allocateTensors(), before the arena exists, so it makes plain
// arrays only (no typed array outside the arena).
import type { SubgraphInfo } from './model.js';
import { alignUp, ARENA_ALIGNMENT, planMemory, type PlanRequest } from './planner.js';
import { elementSize, typeName, viewAlignment } from './types.js';

/** What one prepare run asked of a subgraph. */
export interface GraphRequests {
  info: SubgraphInfo;
  /** Per tensor: its data in the model (non-null for constants). */
  constants: (Uint8Array | null)[];
  scratch: BufferRequest[];
  persistent: BufferRequest[];
}

export interface BufferRequest {
  type: number;
  length: number;
  /** Operator that asked (its index in the subgraph). */
  op: number;
}

/** Where a tensor's bytes are. */
export const enum Place {
  /** In the model (a constant, aligned for its type). */
  MODEL = -1,
  /** Nowhere: no operator reads or writes it. */
  UNUSED = -2,
}

export interface GraphLayout {
  /** Per tensor: arena byte offset, or a Place. */
  tensorOffsets: number[];
  scratchOffsets: number[];
  persistentOffsets: number[];
  /** First and last operator each tensor is alive in (planned tensors; -1 otherwise). */
  first: number[];
  last: number[];
}

export interface ArenaLayout {
  graphs: GraphLayout[];
  /** Bytes of the planned (reused) head. */
  plannedBytes: number;
  /** Bytes of the whole arena: head, then the persistent tail. */
  totalBytes: number;
  /** Misaligned constants' copies in the tail: [arenaOffset, source] pairs, one per distinct (offset, size). */
  copies: { offset: number; source: Uint8Array }[];
}

export function requestBytes(r: BufferRequest): number {
  return r.length * elementSize(r.type);
}

/** Lays out every subgraph's buffers. Graphs are planned one after another: a control-flow subgraph never shares bytes with its caller. */
export function layoutArena(requests: readonly GraphRequests[]): ArenaLayout {
  const graphs: GraphLayout[] = [];
  let head = 0;
  for (const g of requests) {
    const layout = planGraph(g, head);
    graphs.push(layout.graph);
    head += layout.bytes;
  }
  let tail = head;
  const copies: { offset: number; source: Uint8Array }[] = [];
  // One copy per distinct (byte offset, size) in the model: tensors sharing a buffer share it,
  // and two views of different sizes at one offset get their own (a size keyed by offset alone
  // would let the larger overrun the smaller's copy).
  const copied = new Map<string, number>();
  for (let gi = 0; gi < requests.length; gi++) {
    const g = requests[gi], offsets = graphs[gi].tensorOffsets;
    const tensors = g.info.tensors;
    for (let t = 0; t < tensors.length; t++) {
      const info = tensors[t];
      if (info.isVariable) {
        offsets[t] = tail;
        tail = alignUp(tail + info.byteLength, ARENA_ALIGNMENT);
        continue;
      }
      const source = g.constants[t];
      if (!source || source.byteOffset % viewAlignment(info.type) === 0) continue;
      const key = `${source.byteOffset}:${source.byteLength}`;
      let offset = copied.get(key);
      if (offset === undefined) {
        offset = tail;
        copied.set(key, offset);
        copies.push({ offset, source });
        tail = alignUp(tail + source.byteLength, ARENA_ALIGNMENT);
      }
      offsets[t] = offset;
    }
    const persistent = graphs[gi].persistentOffsets;
    for (const r of g.persistent) {
      persistent.push(tail);
      tail = alignUp(tail + requestBytes(r), ARENA_ALIGNMENT);
    }
  }
  return { graphs, plannedBytes: head, totalBytes: tail, copies };
}

function planGraph(g: GraphRequests, base: number): { graph: GraphLayout; bytes: number } {
  const info = g.info, tensors = info.tensors, operators = info.operators;
  const count = tensors.length;
  const first: number[] = new Array(count).fill(-1), last: number[] = new Array(count).fill(-1);
  const touch = (k: number, at: number) => {
    if (first[k] < 0 || at < first[k]) first[k] = at;
    if (at > last[k]) last[k] = at;
  };
  for (let i = 0; i < info.inputs.length; i++) touch(info.inputs[i], 0);
  for (let at = 0; at < operators.length; at++) {
    const op = operators[at];
    for (let i = 0; i < op.inputs.length; i++) if (op.inputs[i] >= 0) touch(op.inputs[i], at);
    for (let i = 0; i < op.outputs.length; i++) touch(op.outputs[i], at);
    for (let i = 0; i < op.intermediates.length; i++) if (op.intermediates[i] >= 0) touch(op.intermediates[i], at);
  }
  const end = Math.max(operators.length - 1, 0);
  for (let i = 0; i < info.outputs.length; i++) touch(info.outputs[i], end);

  const tensorOffsets: number[] = new Array(count).fill(Place.UNUSED);
  const planned: PlanRequest[] = [];
  const owners: number[] = [];
  for (let t = 0; t < count; t++) {
    if (tensors[t].isVariable) continue;
    if (g.constants[t]) { tensorOffsets[t] = Place.MODEL; continue; }
    if (first[t] < 0) continue;
    planned.push({ size: tensors[t].byteLength, first: first[t], last: last[t] });
    owners.push(t);
  }
  for (const s of g.scratch) planned.push({ size: requestBytes(s), first: s.op, last: s.op });
  const plan = planMemory(planned);
  for (let i = 0; i < owners.length; i++) tensorOffsets[owners[i]] = base + plan.offsets[i];
  const scratchOffsets: number[] = [];
  for (let i = owners.length; i < planned.length; i++) scratchOffsets.push(base + plan.offsets[i]);
  for (let t = 0; t < count; t++) {
    if (tensorOffsets[t] < 0) { first[t] = -1; last[t] = -1; }
  }
  return { graph: { tensorOffsets, scratchOffsets, persistentOffsets: [], first, last }, bytes: plan.size };
}

/**
 * The plan as text, as TFLM's PrintMemoryPlan: per subgraph, each planned buffer (offset, size,
 * lifetime), then per operator the bytes alive and the peak.
 */
export function describeLayout(requests: readonly GraphRequests[], layout: ArenaLayout): string[] {
  const lines: string[] = [];
  lines.push(`arena ${layout.totalBytes} bytes: planned head ${layout.plannedBytes}, persistent tail ${layout.totalBytes - layout.plannedBytes}`);
  for (let gi = 0; gi < requests.length; gi++) {
    const g = requests[gi], l = layout.graphs[gi];
    const ops = g.info.operators;
    lines.push(`subgraph ${g.info.index}${g.info.name ? ` "${g.info.name}"` : ''}: ${ops.length} operators`);
    const alive: number[] = new Array(Math.max(ops.length, 1)).fill(0);
    for (let t = 0; t < g.info.tensors.length; t++) {
      const info = g.info.tensors[t], offset = l.tensorOffsets[t];
      if (offset < 0) continue;
      const where = info.isVariable || l.first[t] < 0 ? 'tail (variable or copy)' : `ops ${l.first[t]}..${l.last[t]}`;
      lines.push(`  tensor ${String(t).padStart(4)} ${typeName(info.type).padEnd(8)} ${String(info.byteLength).padStart(9)} B at ${String(offset).padStart(9)}  ${where}${info.name ? `  ${info.name.slice(0, 60)}` : ''}`);
      for (let at = l.first[t]; at >= 0 && at <= l.last[t]; at++) alive[at] += alignUp(info.byteLength, ARENA_ALIGNMENT);
    }
    for (let i = 0; i < g.scratch.length; i++) {
      const s = g.scratch[i];
      lines.push(`  scratch     ${typeName(s.type).padEnd(8)} ${String(requestBytes(s)).padStart(9)} B at ${String(l.scratchOffsets[i]).padStart(9)}  op ${s.op}`);
      alive[s.op] += alignUp(requestBytes(s), ARENA_ALIGNMENT);
    }
    let persistentBytes = 0;
    for (const r of g.persistent) persistentBytes += alignUp(requestBytes(r), ARENA_ALIGNMENT);
    lines.push(`  persistent: ${g.persistent.length} buffers, ${persistentBytes} B`);
    let peak = 0;
    for (let at = 0; at < ops.length; at++) {
      if (alive[at] > alive[peak]) peak = at;
      lines.push(`  op ${String(at).padStart(4)} ${ops[at].opName.padEnd(24)} ${String(alive[at]).padStart(9)} B alive`);
    }
    if (ops.length) lines.push(`  peak: op ${peak} ${ops[peak].opName}, ${alive[peak]} B`);
  }
  return lines;
}
