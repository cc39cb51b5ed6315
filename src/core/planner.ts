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
  // Placed buffers in offset order (ties in placement order), as parallel arrays: each gap
  // search is one tight walk, with no filter or sort, even when thousands are alive at once.
  // Plain arrays: this runs before the arena exists, and nothing may be a typed array outside it.
  const placedFirst: number[] = new Array(count).fill(0), placedLast: number[] = new Array(count).fill(0);
  const placedStart: number[] = new Array(count).fill(0), placedEnd: number[] = new Array(count).fill(0);
  let placed = 0;
  let total = 0;
  for (const i of order) {
    const { size, first, last } = requests[i];
    const need = alignUp(size, ARENA_ALIGNMENT);
    let candidate = 0;
    for (let k = 0; k < placed; k++) {
      if (placedFirst[k] > last || first > placedLast[k]) continue;
      if (placedStart[k] >= candidate + need) break;
      if (placedEnd[k] > candidate) candidate = placedEnd[k];
    }
    offsets[i] = candidate;
    let at = placed;
    while (at > 0 && placedStart[at - 1] > candidate) at--;
    for (const list of [placedFirst, placedLast, placedStart, placedEnd]) list.copyWithin(at + 1, at, placed);
    placedFirst[at] = first;
    placedLast[at] = last;
    placedStart[at] = candidate;
    placedEnd[at] = candidate + alignUp(size, ARENA_ALIGNMENT);
    placed++;
    if (size > 0) total = Math.max(total, candidate + need);
  }
  return { offsets, size: total };
}
