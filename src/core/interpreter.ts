// The interpreter: prepares every operator, plans the arena, binds tensors to it, and runs the
// kernels in order. All the work that does not change between invokes happens in
// allocateTensors(); invoke() only walks arrays built there.
import { ArenaError, ModelError, OpError, TfliteError, UsageError } from './errors.js';
import type { Kernel, Node, PrepareContext, Scratch, SubgraphHandle } from './kernel.js';
import { readModel, readOptions, type Model, type Options, type SubgraphInfo } from './model.js';
import { alignUp, ARENA_ALIGNMENT, planMemory, type PlanRequest } from './planner.js';
import type { OpResolver } from './resolver.js';
import { Tensor } from './tensor.js';
import { elementSize, typedView, typeName, TensorType, viewAlignment, type TensorData } from './types.js';

export interface InterpreterOptions {
  resolver: OpResolver;
  /** Bytes to allocate for the arena. Left out: exactly what the plan needs. */
  arenaSize?: number;
  /** A caller-owned arena to plan into (must be large enough). */
  arena?: ArrayBuffer;
  /**
   * RAM (bytes, outside the arena) kernels may spend on repacked copies of constant weights for
   * speed. Default 0: weights are read in place, from flash on a device.
   */
  weightCacheBytes?: number;
}

/** Arena sizes over this are refused before anything is allocated. */
// XS ends the whole machine (uncatchably: xsnap exits "not enough memory") when an ArrayBuffer of
// 1 GB cannot be had, so a hostile plan must be refused well below that; as model.ts's MAX_TENSOR_BYTES.
export const MAX_ARENA_BYTES = 0x10000000;

const NO_OPTIONS: Options = {};
/** Shared by the many nodes with no intermediates; frozen, so no kernel can fill it for the others. */
const NO_TENSORS: readonly (Tensor | null)[] = Object.freeze([]);

interface ScratchRequest {
  handle: Scratch;
  type: number;
  length: number;
  op: number;
  persistent: boolean;
}

class Graph implements SubgraphHandle {
  readonly info: SubgraphInfo;
  readonly tensors: Tensor[];
  readonly inputs: Tensor[];
  readonly outputs: Tensor[];
  kernels: Kernel[] = [];
  nodes: Node[] = [];
  opData: unknown[] = [];
  scratch: ScratchRequest[] = [];
  /** Set by the interpreter while it runs this graph's operators, for error messages. */
  current = -1;

  constructor(model: Model, info: SubgraphInfo) {
    this.info = info;
    this.tensors = info.tensors.map(t => new Tensor(t, model.buffers[t.buffer] ?? null));
    this.inputs = Array.from(info.inputs, i => this.tensors[i]);
    this.outputs = Array.from(info.outputs, i => this.tensors[i]);
  }

  invoke(): void {
    const kernels = this.kernels, nodes = this.nodes, opData = this.opData;
    const count = kernels.length;
    let i = 0;
    try {
      for (; i < count; i++) kernels[i].eval(nodes[i], opData[i]);
    } catch (error) {
      if (error instanceof TfliteError) throw error;
      const node = nodes[i];
      throw new OpError(node.opName, node.index, `failed in eval: ${(error as Error)?.message ?? error}`);
    }
  }
}

export class Interpreter {
  readonly model: Model;
  private readonly resolver: OpResolver;
  private readonly arenaOption: ArrayBuffer | undefined;
  private readonly arenaSizeOption: number | undefined;
  private readonly graphs: (Graph | undefined)[] = [];
  private readonly preparing: boolean[] = [];
  private readonly shared = new Map<string, unknown>();
  private main: Graph | null = null;
  private arena: ArrayBuffer | null = null;
  private allocated = false;
  private usedBytes = 0;
  private plannedBytes = 0;
  private readonly weightCacheBudget: number;
  private weightCacheUsed = 0;

  constructor(model: Model | Uint8Array | ArrayBuffer | object, options: InterpreterOptions) {
    if (!options || typeof options !== 'object' || !options.resolver || typeof options.resolver.find !== 'function') {
      throw new UsageError('new Interpreter(model, {resolver}) needs an OpResolver (for example allOps)');
    }
    this.model = isModel(model) ? model : readModel(model);
    this.resolver = options.resolver;
    if (options.arena !== undefined && !(options.arena instanceof ArrayBuffer)) {
      throw new UsageError('options.arena must be an ArrayBuffer');
    }
    if (options.arenaSize !== undefined && !(Number.isInteger(options.arenaSize) && options.arenaSize >= 0)) {
      throw new UsageError(`options.arenaSize must be a whole number of bytes, got ${options.arenaSize}`);
    }
    if (options.weightCacheBytes !== undefined && !(Number.isInteger(options.weightCacheBytes) && options.weightCacheBytes >= 0)) {
      throw new UsageError(`options.weightCacheBytes must be a whole number of bytes, got ${options.weightCacheBytes}`);
    }
    this.arenaOption = options.arena;
    this.arenaSizeOption = options.arenaSize;
    this.weightCacheBudget = options.weightCacheBytes ?? 0;
  }

  /** RAM outside the arena that kernels took for repacked weights (within weightCacheBytes). */
  get weightCacheBytes(): number {
    this.requireAllocated('weightCacheBytes');
    return this.weightCacheUsed;
  }

  /** Bytes of the arena the plan uses: planned tensors and scratch, then persistent data. */
  get arenaBytes(): number {
    this.requireAllocated('arenaBytes');
    return this.usedBytes;
  }

  /** Bytes of the planned (reused) part of the arena alone. */
  get plannedArenaBytes(): number {
    this.requireAllocated('plannedArenaBytes');
    return this.plannedBytes;
  }

  get inputCount(): number {
    return this.model.subgraphs[0].inputs.length;
  }

  get outputCount(): number {
    return this.model.subgraphs[0].outputs.length;
  }

  get operatorCount(): number {
    return this.model.subgraphs[0].operators.length;
  }

  input(index: number): Tensor {
    return this.pick(this.requireAllocated('input()').inputs, index, 'input');
  }

  output(index: number): Tensor {
    return this.pick(this.requireAllocated('output()').outputs, index, 'output');
  }

  /** Any tensor of the main subgraph by index. */
  tensor(index: number): Tensor {
    return this.pick(this.requireAllocated('tensor()').tensors, index, 'tensor');
  }

  /**
   * Copies values into input `index`. The array must be of the tensor's own type (Float32Array for
   * float32, Int8Array for int8, ...) or a Uint8Array of its raw bytes; to quantize real values
   * use `input(i).quantize(values)`.
   */
  setInput(index: number, values: ArrayBufferView): void {
    const tensor = this.input(index);
    if (tensor.isConstant) throw new UsageError(`input ${index} ${tensor.describe()} is a constant of the model and cannot be written`);
    if (!ArrayBuffer.isView(values)) throw new UsageError(`setInput(${index}): expected a typed array, got ${typeof values}`);
    if (values instanceof Uint8Array && tensor.type !== TensorType.UINT8 && tensor.type !== TensorType.BOOL) {
      if (values.byteLength !== tensor.byteLength) {
        throw new UsageError(`input ${index} ${tensor.describe()} takes ${tensor.byteLength} bytes, got ${values.byteLength}`);
      }
      tensor.bytes.set(values);
      return;
    }
    const data = tensor.data;
    if (values.constructor !== data.constructor) {
      throw new UsageError(`input ${index} ${tensor.describe()} takes a ${data.constructor.name}, got a ${values.constructor.name}`);
    }
    const typed = values as unknown as TensorData;
    if (typed.length !== data.length) {
      throw new UsageError(`input ${index} ${tensor.describe()} takes ${data.length} elements, got ${typed.length}`);
    }
    (data as Float32Array).set(typed as Float32Array);
  }

  allocateTensors(): this {
    if (this.allocated) return this;
    const graphs = this.graphs;
    graphs.length = 0;
    this.shared.clear();
    this.weightCacheUsed = 0;
    try {
      this.prepareGraph(0);
      this.bind(graphs.filter((g): g is Graph => g !== undefined));
    } catch (error) {
      graphs.length = 0;
      this.shared.clear();
      throw error;
    }
    this.main = graphs[0]!;
    this.allocated = true;
    this.resetVariables();
    return this;
  }

  invoke(): void {
    this.requireAllocated('invoke()').invoke();
  }

  /** Runs operator `index` of the main subgraph alone, on the tensors as they are: for profiling. */
  invokeOperator(index: number): void {
    const graph = this.requireAllocated('invokeOperator()');
    if (!Number.isInteger(index) || index < 0 || index >= graph.kernels.length) {
      throw new UsageError(`operator ${index} does not exist: the model has ${graph.kernels.length} operators`);
    }
    graph.kernels[index].eval(graph.nodes[index], graph.opData[index]);
  }

  /** Name of operator `index` of the main subgraph. */
  operatorName(index: number): string {
    const ops = this.model.subgraphs[0].operators;
    if (!Number.isInteger(index) || index < 0 || index >= ops.length) throw new UsageError(`operator ${index} does not exist`);
    return ops[index].opName;
  }

  /** Sets every variable tensor back to its initial state (zero, or the zero point for int8). */
  resetVariables(): void {
    for (const graph of this.graphs) {
      if (!graph) continue;
      for (const t of graph.tensors) {
        if (t.isVariable) t.bytes.fill(t.type === TensorType.INT8 ? t.zeroPoint & 255 : 0);
      }
      for (let i = 0; i < graph.kernels.length; i++) {
        const k = graph.kernels[i];
        if (k.reset) k.reset(graph.nodes[i], graph.opData[i]);
      }
    }
  }

  private requireAllocated(what: string): Graph {
    if (!this.main) throw new UsageError(`${what} before allocateTensors()`);
    return this.main;
  }

  private pick(list: readonly Tensor[], index: number, what: string): Tensor {
    if (!Number.isInteger(index) || index < 0 || index >= list.length) {
      throw new UsageError(`${what} ${index} does not exist: the model has ${list.length} ${what}${list.length === 1 ? '' : 's'}`);
    }
    return list[index];
  }

  private prepareGraph(index: number): Graph {
    const infos = this.model.subgraphs;
    if (!Number.isInteger(index) || index < 0 || index >= infos.length) {
      throw new ModelError(`subgraph ${index} does not exist (model has ${infos.length})`);
    }
    const existing = this.graphs[index];
    if (existing) return existing;
    if (this.preparing[index]) throw new ModelError(`subgraph ${index} calls itself`);
    this.preparing[index] = true;
    try {
      const graph = new Graph(this.model, infos[index]);
      for (const op of graph.info.operators) {
        const code = this.model.operatorCodes[op.opcodeIndex];
        const kernel = this.resolver.find(op.builtinCode, code.customCode);
        if (!kernel) throw new OpError(op.opName, op.index, `no kernel for ${op.opName} in the op resolver${index ? ` (subgraph ${index})` : ''}`);
        const node: Node = {
          index: op.index,
          opName: op.opName,
          version: op.version,
          inputs: Array.from(op.inputs, i => (i < 0 ? null : graph.tensors[i])),
          outputs: Array.from(op.outputs, i => graph.tensors[i]),
          intermediates: op.intermediates.length ? Array.from(op.intermediates, i => (i < 0 ? null : graph.tensors[i])) : NO_TENSORS,
          options: kernel.options ? readOptions(this.model, index, op, kernel.options) : NO_OPTIONS,
          customOptions: op.customOptions,
        };
        const data = this.prepareNode(graph, kernel, node);
        graph.kernels.push(kernel);
        graph.nodes.push(node);
        graph.opData.push(data);
      }
      this.graphs[index] = graph;
      return graph;
    } finally {
      this.preparing[index] = false;
    }
  }

  private prepareNode(graph: Graph, kernel: Kernel, node: Node): unknown {
    const fail = (message: string): never => {
      throw new OpError(node.opName, node.index, message);
    };
    const request = (persistent: boolean) => (type: number, length: number): Scratch => {
      const size = elementSize(type);
      if (!(Number.isInteger(length) && length >= 0) || size === 0 || length * size > MAX_ARENA_BYTES) {
        fail(`asked for ${length} elements of ${typeName(type)} scratch`);
      }
      const handle: Scratch = { data: new Uint8Array(0) };
      graph.scratch.push({ handle, type, length, op: graph.nodes.length, persistent });
      return handle;
    };
    const ctx: PrepareContext = {
      fail,
      requestScratch: request(false),
      requestPersistent: request(true),
      subgraph: (i: number) => this.prepareGraph(i),
      shared: this.shared,
      reserveWeightCache: (bytes: number) => {
        if (!(bytes >= 0) || this.weightCacheUsed + bytes > this.weightCacheBudget) return false;
        this.weightCacheUsed += bytes;
        return true;
      },
    };
    try {
      return kernel.prepare(ctx, node);
    } catch (error) {
      if (error instanceof TfliteError) throw error;
      throw new OpError(node.opName, node.index, `failed in prepare: ${(error as Error)?.message ?? error}`);
    }
  }

  /** Plans every graph's buffers, makes (or checks) the arena and points every tensor into it. */
  private bind(graphs: Graph[]): void {
    interface Placement { graph: Graph; tensor?: Tensor; scratch?: ScratchRequest; offset: number }
    const placements: Placement[] = [];
    let head = 0;
    // Graphs are planned one after another: control-flow subgraphs never share bytes with their callers.
    for (const graph of graphs) {
      const requests: PlanRequest[] = [];
      const owners: Placement[] = [];
      const opCount = graph.nodes.length;
      const first = new Int32Array(graph.tensors.length).fill(-1);
      const last = new Int32Array(graph.tensors.length).fill(-1);
      const touch = (k: number, at: number) => {
        if (first[k] < 0 || at < first[k]) first[k] = at;
        if (at > last[k]) last[k] = at;
      };
      for (let i = 0; i < graph.info.inputs.length; i++) touch(graph.info.inputs[i], 0);
      graph.info.operators.forEach((op, at) => {
        for (const k of op.inputs) if (k >= 0) touch(k, at);
        for (const k of op.outputs) touch(k, at);
        for (const k of op.intermediates) if (k >= 0) touch(k, at);
      });
      for (let i = 0; i < graph.info.outputs.length; i++) touch(graph.info.outputs[i], Math.max(opCount - 1, 0));
      for (const tensor of graph.tensors) {
        if (tensor.isConstant || tensor.isVariable || first[tensor.index] < 0) continue;
        requests.push({ size: tensor.byteLength, first: first[tensor.index], last: last[tensor.index] });
        owners.push({ graph, tensor, offset: 0 });
      }
      for (const s of graph.scratch) {
        if (s.persistent) continue;
        requests.push({ size: s.length * elementSize(s.type), first: s.op, last: s.op });
        owners.push({ graph, scratch: s, offset: 0 });
      }
      const plan = planMemory(requests);
      owners.forEach((p, i) => { p.offset = head + plan.offsets[i]; placements.push(p); });
      head += plan.size;
    }
    this.plannedBytes = head;
    // Persistent tail: variable tensors, kernel state, constants whose bytes are misaligned for their type.
    let tail = head;
    const copies: { tensor: Tensor; offset: number; source: Uint8Array }[] = [];
    // Arena offset of each misaligned constant's copy, by its position in the model: tensors
    // sharing one buffer share one copy, so a file cannot multiply its bytes in the arena.
    const copied = new Map<number, number>();
    for (const graph of graphs) {
      for (const tensor of graph.tensors) {
        if (tensor.isVariable) {
          placements.push({ graph, tensor, offset: tail });
          tail = alignUp(tail + tensor.byteLength, ARENA_ALIGNMENT);
        } else if (tensor.isConstant && (tensor.bytes.byteOffset % viewAlignment(tensor.type)) !== 0) {
          let offset = copied.get(tensor.bytes.byteOffset);
          if (offset === undefined) {
            offset = tail;
            copied.set(tensor.bytes.byteOffset, offset);
            tail = alignUp(tail + tensor.byteLength, ARENA_ALIGNMENT);
          }
          copies.push({ tensor, offset, source: tensor.bytes });
        }
      }
      for (const s of graph.scratch) {
        if (!s.persistent) continue;
        placements.push({ graph, scratch: s, offset: tail });
        tail = alignUp(tail + s.length * elementSize(s.type), ARENA_ALIGNMENT);
      }
    }
    const needed = tail;
    if (needed > MAX_ARENA_BYTES) throw new ArenaError(needed, MAX_ARENA_BYTES);
    let arena: ArrayBuffer;
    if (this.arenaOption) {
      if (this.arenaOption.byteLength < needed) throw new ArenaError(needed, this.arenaOption.byteLength);
      arena = this.arenaOption;
      new Uint8Array(arena, 0, needed).fill(0);
    } else if (this.arenaSizeOption !== undefined) {
      if (this.arenaSizeOption < needed) throw new ArenaError(needed, this.arenaSizeOption);
      arena = new ArrayBuffer(this.arenaSizeOption);
    } else {
      arena = new ArrayBuffer(needed);
    }
    for (const p of placements) {
      if (p.tensor) {
        const data = typedView(p.tensor.type, arena, p.offset, p.tensor.byteLength);
        p.tensor.data = data;
        // uint8 and bool data is already a Uint8Array: one view serves as both.
        p.tensor.bytes = data instanceof Uint8Array ? data : new Uint8Array(arena, p.offset, p.tensor.byteLength);
      } else if (p.scratch) {
        const s = p.scratch;
        s.handle.data = typedView(s.type, arena, p.offset, s.length * elementSize(s.type));
      }
    }
    for (const c of copies) {
      const bytes = new Uint8Array(arena, c.offset, c.tensor.byteLength);
      bytes.set(c.source);
      c.tensor.bytes = bytes;
      c.tensor.data = c.tensor.type === TensorType.UINT8 || c.tensor.type === TensorType.BOOL ? bytes : typedView(c.tensor.type, arena, c.offset, c.tensor.byteLength);
    }
    for (const graph of graphs) {
      for (const tensor of graph.tensors) {
        if (tensor.isConstant && tensor.data.length === 0 && tensor.byteLength > 0) {
          const b = tensor.bytes;
          tensor.data = tensor.type === TensorType.UINT8 || tensor.type === TensorType.BOOL ? b : typedView(tensor.type, b.buffer, b.byteOffset, b.byteLength);
        }
      }
    }
    this.arena = arena;
    this.usedBytes = needed;
  }

  /** The arena the plan lives in (after allocateTensors). */
  get arenaBuffer(): ArrayBuffer {
    this.requireAllocated('arenaBuffer');
    return this.arena!;
  }
}

function isModel(value: unknown): value is Model {
  return value !== null && typeof value === 'object' && 'subgraphs' in (value as object) && 'reader' in (value as object);
}
