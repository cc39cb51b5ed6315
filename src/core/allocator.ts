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

/**
 * Lays out every subgraph's buffers. Graphs are planned one after another: a control-flow
 * subgraph never shares bytes with its caller. `preserveAll` (TFLM's preserve_all_tensors) keeps
 * every planned tensor alive to the end of its subgraph, so no tensor's bytes are reused.
 */
export function layoutArena(requests: readonly GraphRequests[], preserveAll = false): ArenaLayout {
  const graphs: GraphLayout[] = [];
  let head = 0;
  for (const g of requests) {
    const layout = planGraph(g, head, preserveAll);
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

function planGraph(g: GraphRequests, base: number, preserveAll: boolean): { graph: GraphLayout; bytes: number } {
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
  if (preserveAll) for (let t = 0; t < count; t++) if (first[t] >= 0) last[t] = end;

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

/** One planned buffer of the head: a tensor, or a kernel's scratch (tensor -1). */
export interface PlannedBuffer {
  tensor: number;
  name: string;
  type: string;
  bytes: number;
  offset: number;
  /** First and last operator it is alive in (inclusive). */
  first: number;
  last: number;
}

/** A buffer of the persistent tail that belongs to a tensor: a variable, or a misaligned constant's copy. */
export interface TailTensor {
  tensor: number;
  name: string;
  type: string;
  bytes: number;
  offset: number;
}

export interface OperatorMemory {
  index: number;
  op: string;
  /** Tensors alive across this operator (planned in the head), by index. */
  tensors: number[];
  scratchBytes: number;
  /** Head bytes in use while it runs: its live tensors and its scratch, each aligned. */
  bytes: number;
}

export interface GraphMemory {
  subgraph: number;
  name: string;
  /** Where this subgraph's part of the head starts. */
  headOffset: number;
  headBytes: number;
  buffers: PlannedBuffer[];
  tail: TailTensor[];
  persistentBuffers: number;
  persistentBytes: number;
  operators: OperatorMemory[];
  /** The operator with the most head bytes in use (the first of equals); null with no operators. */
  peak: { index: number; op: string; bytes: number } | null;
}

export interface MemoryPlan {
  arenaBytes: number;
  headBytes: number;
  tailBytes: number;
  graphs: GraphMemory[];
}

/** The layout as data: which buffer lives where and when, and the bytes in use at each operator. */
export function memoryPlanOf(requests: readonly GraphRequests[], layout: ArenaLayout): MemoryPlan {
  const graphs: GraphMemory[] = [];
  let headOffset = 0;
  for (let gi = 0; gi < requests.length; gi++) {
    const g = requests[gi], l = layout.graphs[gi];
    const ops = g.info.operators;
    const operators: OperatorMemory[] = [];
    for (let at = 0; at < ops.length; at++) operators.push({ index: at, op: ops[at].opName, tensors: [], scratchBytes: 0, bytes: 0 });
    const buffers: PlannedBuffer[] = [], tail: TailTensor[] = [];
    let end = headOffset;
    for (let t = 0; t < g.info.tensors.length; t++) {
      const info = g.info.tensors[t], offset = l.tensorOffsets[t];
      if (offset < 0) continue;
      if (info.isVariable || l.first[t] < 0) {
        tail.push({ tensor: t, name: info.name, type: typeName(info.type), bytes: info.byteLength, offset });
        continue;
      }
      buffers.push({ tensor: t, name: info.name, type: typeName(info.type), bytes: info.byteLength, offset, first: l.first[t], last: l.last[t] });
      end = Math.max(end, offset + alignUp(info.byteLength, ARENA_ALIGNMENT));
      for (let at = l.first[t]; at <= l.last[t]; at++) {
        operators[at].tensors.push(t);
        operators[at].bytes += alignUp(info.byteLength, ARENA_ALIGNMENT);
      }
    }
    for (let i = 0; i < g.scratch.length; i++) {
      const s = g.scratch[i], bytes = requestBytes(s);
      buffers.push({ tensor: -1, name: '', type: typeName(s.type), bytes, offset: l.scratchOffsets[i], first: s.op, last: s.op });
      if (bytes > 0) end = Math.max(end, l.scratchOffsets[i] + alignUp(bytes, ARENA_ALIGNMENT));
      operators[s.op].scratchBytes += alignUp(bytes, ARENA_ALIGNMENT);
      operators[s.op].bytes += alignUp(bytes, ARENA_ALIGNMENT);
    }
    let persistentBytes = 0;
    for (const r of g.persistent) persistentBytes += alignUp(requestBytes(r), ARENA_ALIGNMENT);
    let peak: GraphMemory['peak'] = null;
    for (const o of operators) if (!peak || o.bytes > peak.bytes) peak = { index: o.index, op: o.op, bytes: o.bytes };
    graphs.push({
      subgraph: g.info.index, name: g.info.name, headOffset, headBytes: end - headOffset, buffers, tail,
      persistentBuffers: g.persistent.length, persistentBytes, operators, peak,
    });
    headOffset = end;
  }
  return { arenaBytes: layout.totalBytes, headBytes: layout.plannedBytes, tailBytes: layout.totalBytes - layout.plannedBytes, graphs };
}

/**
 * The plan as text, as TFLM's PrintMemoryPlan: per subgraph, each planned buffer (offset, size,
 * lifetime), then per operator the bytes alive and the peak.
 */
export function describeLayout(requests: readonly GraphRequests[], layout: ArenaLayout): string[] {
  const plan = memoryPlanOf(requests, layout);
  const lines: string[] = [];
  lines.push(`arena ${plan.arenaBytes} bytes: planned head ${plan.headBytes}, persistent tail ${plan.tailBytes}`);
  for (const g of plan.graphs) {
    lines.push(`subgraph ${g.subgraph}${g.name ? ` "${g.name}"` : ''}: ${g.operators.length} operators`);
    const row = (what: string, type: string, bytes: number, offset: number, where: string, name: string) =>
      `  ${what} ${type.padEnd(8)} ${String(bytes).padStart(9)} B at ${String(offset).padStart(9)}  ${where}${name ? `  ${name.slice(0, 60)}` : ''}`;
    for (const b of g.buffers) {
      lines.push(b.tensor >= 0
        ? row(`tensor ${String(b.tensor).padStart(4)}`, b.type, b.bytes, b.offset, `ops ${b.first}..${b.last}`, b.name)
        : row('scratch    ', b.type, b.bytes, b.offset, `op ${b.first}`, ''));
    }
    for (const t of g.tail) lines.push(row(`tensor ${String(t.tensor).padStart(4)}`, t.type, t.bytes, t.offset, 'tail (variable or copy)', t.name));
    lines.push(`  persistent: ${g.persistentBuffers} buffers, ${g.persistentBytes} B`);
    for (const o of g.operators) lines.push(`  op ${String(o.index).padStart(4)} ${o.op.padEnd(24)} ${String(o.bytes).padStart(9)} B alive`);
    if (g.peak) lines.push(`  peak: op ${g.peak.index} ${g.peak.op}, ${g.peak.bytes} B`);
  }
  return lines;
}
