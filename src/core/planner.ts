// Greedy memory planner in the manner of TFLM's GreedyMemoryPlanner: buffers are placed largest
// first, each at the lowest offset where it overlaps no already-placed buffer that is alive at
// the same time. Lifetimes are operator indices, inclusive at both ends.

export const ARENA_ALIGNMENT = 16;

export interface PlanRequest {
  size: number;
  first: number;
  last: number;
}

export interface Plan {
  offsets: number[];
  /** Bytes the planned buffers need, aligned to ARENA_ALIGNMENT. */
  size: number;
}

export function alignUp(n: number, alignment: number): number {
  return Math.ceil(n / alignment) * alignment;
}

export function planMemory(requests: readonly PlanRequest[]): Plan {
  const count = requests.length;
  const order: number[] = [];
  for (let i = 0; i < count; i++) order.push(i);
  // Largest first; among equals, the earlier-born first, then request order (deterministic).
  order.sort((a, b) => requests[b].size - requests[a].size || requests[a].first - requests[b].first || a - b);
  const offsets: number[] = new Array(count).fill(0);
  const placed: number[] = [];
  let total = 0;
  for (const i of order) {
    const { size, first, last } = requests[i];
    const need = alignUp(size, ARENA_ALIGNMENT);
    // Live neighbours, by offset; take the first gap that holds this buffer.
    const live = placed.filter(j => requests[j].first <= last && first <= requests[j].last)
      .sort((a, b) => offsets[a] - offsets[b]);
    let candidate = 0;
    for (const j of live) {
      if (offsets[j] >= candidate + need) break;
      candidate = Math.max(candidate, offsets[j] + alignUp(requests[j].size, ARENA_ALIGNMENT));
    }
    offsets[i] = candidate;
    placed.push(i);
    if (size > 0) total = Math.max(total, candidate + need);
  }
  return { offsets, size: total };
}
