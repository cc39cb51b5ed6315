// The interpreter: prepares every operator, lays out the arena, and runs the kernels in order.
//
// allocateTensors() prepares the model twice (kernel.ts says why): a sizing run that collects
// every buffer the kernels ask for, then the arena's layout (allocator.ts) and the arena itself,
// then a binding run whose views are the real ones. What is kept afterwards is the arena, the
// kernels and their op data: Node and Tensor objects and the model's parsed description are
// dropped, so a loaded model costs the arena plus a few XS slots per operator.
import { layoutArena, describeLayout, memoryPlanOf, Place, type MemoryPlan, type ArenaLayout, type BufferRequest, type GraphRequests } from './allocator.js';
import { ABORT_INVOKE } from './abort.js';
import { ArenaError, ModelError, OpError, TfliteError, UsageError } from './errors.js';
import type { Kernel, Node, PrepareContext, Scratch, SubgraphHandle } from './kernel.js';
import { isModel, readModel, readOptions, type Model, type SubgraphInfo, type TensorInfo } from './model.js';
import { Profiler } from './profiler.js';
import type { OpResolver } from './resolver.js';
import { Tensor, viewOf } from './tensor.js';
import { elementSize, emptyView, typedView, typeName, TensorType, viewAlignment, type TensorData } from './types.js';

export interface InterpreterOptions {
  resolver: OpResolver;
  /** Bytes to allocate for the arena. Left out: exactly what the plan needs. */
  arenaSize?: number;
  /** A caller-owned arena to plan into (must be large enough; not resizable). */
  arena?: ArrayBuffer;
  /**
   * Arena bytes kernels may spend on repacked copies of constant weights for speed (counted in
   * arenaBytes). Default 0: weights are read in place, from flash on a device.
   */
  weightCacheBytes?: number;
  /**
   * The largest arena this interpreter may plan or allocate; a model that needs more is refused
   * with the bytes it would need, before anything is allocated. Default MAX_ARENA_BYTES (the
   * host's bound); on a device pass what the heap can really give.
   */
  maxArenaBytes?: number;
  /**
   * Times every operator of the main subgraph at each invoke (profiler.ts): 16 bytes per operator
   * in the arena's persistent tail, nothing allocated per invoke. One profiler per interpreter.
   */
  profiler?: Profiler;
  /**
   * Keeps every tensor of the model until the end of each invoke, as TFLM's preserve_all_tensors:
   * every planned tensor lives to the last operator of its subgraph, so no tensor's bytes are
   * reused and `tensor(i)` reads any intermediate after invoke(). The arena grows to the sum of
   * the tensors (see memoryLayout()); for debugging (`tflite-xs diff`), not for a device.
   */
  preserveAllTensors?: boolean;
}

/** Arena sizes over this are refused before anything is allocated. */
// XS ends the whole machine (uncatchably: xsnap exits "not enough memory") when an ArrayBuffer of
// 1 GB cannot be had, so a hostile plan must be refused well below that; as model.ts's MAX_TENSOR_BYTES.
export const MAX_ARENA_BYTES = 0x10000000;

/**
 * Control-flow subgraphs may nest this deep (CALL_ONCE, IF, WHILE). Preparing and invoking a
 * nested subgraph recurses, and XS's native stack is small: a file must not choose the depth.
 */
export const MAX_SUBGRAPH_DEPTH = 16;

const NO_OPTIONS = Object.freeze({});
/** Interpreter.flags bits. */
const ALLOCATING = 1, PRESERVE_ALL = 2;
/** Shared by the many nodes with no intermediates; frozen, so no kernel can fill it for the others. */
const NO_TENSORS: readonly (Tensor | null)[] = Object.freeze([]);

/** A subgraph as it runs: its kernels and their op data, nothing else. */
class Graph implements SubgraphHandle {
  readonly kernels: Kernel[] = [];
  readonly data: unknown[] = [];
  /** The prepare run's view of this graph, while allocateTensors() runs. */
  prep: GraphPrep | null = null;

  get inputs(): readonly Tensor[] {
    if (!this.prep) throw new UsageError('a subgraph\'s tensors are only there while it is prepared');
    return this.prep.inputs;
  }

  get outputs(): readonly Tensor[] {
    if (!this.prep) throw new UsageError('a subgraph\'s tensors are only there while it is prepared');
    return this.prep.outputs;
  }

  invoke(): void {
    const kernels = this.kernels, data = this.data;
    const count = kernels.length;
    let i = 0;
    try {
      for (; i < count; i++) kernels[i].eval(data[i]);
    } catch (error) {
      if (error instanceof TfliteError || error === ABORT_INVOKE) throw error;
      throw new OpError(kernels[i].name, i, `failed in eval: ${describeError(error)}`);
    }
  }

  /** invoke() with a tick before and after each operator, as TFLM's ScopedMicroProfiler. */
  invokeProfiled(profiler: Profiler): void {
    const kernels = this.kernels, data = this.data;
    const tick = profiler.tick, last = profiler.last!, sum = profiler.sum!;
    const count = kernels.length;
    let i = 0;
    try {
      for (; i < count; i++) {
        const start = tick();
        kernels[i].eval(data[i]);
        const ticks = tick() - start;
        last[i] = ticks;
        sum[i] += ticks;
      }
    } catch (error) {
      if (error instanceof TfliteError) throw error;
      throw new OpError(kernels[i].name, i, `failed in eval: ${describeError(error)}`);
    }
    profiler.invokes++;
  }

  reset(): void {
    const kernels = this.kernels, data = this.data;
    for (let i = 0; i < kernels.length; i++) {
      const k = kernels[i];
      if (k.reset) k.reset(data[i]);
    }
  }
}

Object.freeze(Graph.prototype);

/** One subgraph within one prepare run. */
interface GraphPrep {
  info: SubgraphInfo;
  graph: Graph;
  tensors: Tensor[];
  inputs: Tensor[];
  outputs: Tensor[];
  requests: GraphRequests;
  /** Binding run: this graph's place in the sizing run's requests and layout. */
  order: number;
  /** Main subgraph: the interpreter's own persistent views (ioRequests). */
  ioViews: TensorData[];
}

/** The state of one prepare run (sizing, or binding into `arena` by `layout`). */
interface Run {
  model: Model;
  layout: ArenaLayout | null;
  sized: readonly GraphRequests[] | null;
  arena: ArrayBuffer | null;
  byIndex: (GraphPrep | undefined)[];
  order: GraphPrep[];
  /** Subgraphs being prepared, innermost last. */
  stack: number[];
  shared: Map<string, unknown>;
  weightCacheUsed: number;
  /**
   * The buffer of this run's zero-length views (the sizing run's requests, tensors with no place).
   * Kernels write into what they asked for in both runs, a no-op on a zero-length view; but XS
   * refuses any write into a read-only buffer, even out of range ("read-only buffer"), and the
   * shared frozen empty views are read-only there (in flash, when preloaded). A fresh 0-byte
   * ArrayBuffer per run is writable everywhere.
   */
  emptyIn: ArrayBuffer;
}

export class Interpreter {
  private parsed: Model | null;
  private readonly modelBytes: Uint8Array;
  private readonly resolver: OpResolver;
  private readonly arenaOption: ArrayBuffer | undefined;
  private readonly arenaSizeOption: number | undefined;
  private readonly weightCacheBudget: number;
  private readonly maxArena: number;
  private readonly profiler: Profiler | null;
  private main: Graph | null = null;
  private graphs: Graph[] = [];
  private arena: ArrayBuffer | null = null;
  private arenaLength = 0;
  private usedBytes = 0;
  private plannedBytes = 0;
  private weightCacheUsed = 0;
  /**
   * ALLOCATING and PRESERVE_ALL bits in one field: every field is an XS slot (16 B) held for the
   * interpreter's life, and an option most apps never set should not cost one.
   */
  private flags = 0;
  private inputTensors: Tensor[] = [];
  private outputTensors: Tensor[] = [];
  /** Main subgraph: each tensor's arena offset or Place, in the arena's tail. */
  private tensorPlaces: Int32Array | null = null;
  /** Variable tensors of every subgraph: (offset, byteLength, fill byte) triples. */
  private variables: number[] = [];

  constructor(model: Model | Uint8Array | ArrayBuffer | object, options: InterpreterOptions) {
    if (!options || typeof options !== 'object' || !options.resolver || typeof options.resolver.find !== 'function') {
      throw new UsageError('new Interpreter(model, {resolver}) needs an OpResolver (for example allOps)');
    }
    if (options.arena !== undefined) {
      if (!(options.arena instanceof ArrayBuffer)) throw new UsageError('options.arena must be an ArrayBuffer');
      if ((options.arena as { resizable?: boolean }).resizable) throw new UsageError('options.arena must not be resizable: a shrunk arena would leave kernels reading nothing');
    }
    const max = options.maxArenaBytes ?? MAX_ARENA_BYTES;
    if (!(Number.isInteger(max) && max >= 0 && max <= MAX_ARENA_BYTES)) {
      throw new UsageError(`options.maxArenaBytes must be a whole number of bytes up to ${MAX_ARENA_BYTES}, got ${options.maxArenaBytes}`);
    }
    if (options.arenaSize !== undefined && !(Number.isInteger(options.arenaSize) && options.arenaSize >= 0)) {
      throw new UsageError(`options.arenaSize must be a whole number of bytes, got ${options.arenaSize}`);
    }
    if (options.arenaSize !== undefined && options.arenaSize > max) {
      throw new UsageError(`options.arenaSize ${options.arenaSize} is over the interpreter's limit of ${max} bytes (maxArenaBytes)`);
    }
    if (options.weightCacheBytes !== undefined && !(Number.isInteger(options.weightCacheBytes) && options.weightCacheBytes >= 0)) {
      throw new UsageError(`options.weightCacheBytes must be a whole number of bytes, got ${options.weightCacheBytes}`);
    }
    if (options.profiler !== undefined && !(options.profiler instanceof Profiler)) {
      throw new UsageError('options.profiler must be a Profiler (new Profiler(tickSource))');
    }
    if (options.preserveAllTensors !== undefined && typeof options.preserveAllTensors !== 'boolean') {
      throw new UsageError(`options.preserveAllTensors must be true or false, got ${String(options.preserveAllTensors)}`);
    }
    if (options.profiler && options.profiler.attached) throw new UsageError('options.profiler is already attached to another interpreter: make one per interpreter');
    this.parsed = isModel(model) ? model : readModel(model);
    this.modelBytes = this.parsed.bytes;
    this.resolver = options.resolver;
    this.arenaOption = options.arena;
    this.arenaSizeOption = options.arenaSize;
    this.weightCacheBudget = options.weightCacheBytes ?? 0;
    this.maxArena = max;
    this.profiler = options.profiler ?? null;
    if (options.preserveAllTensors === true) this.flags |= PRESERVE_ALL;
  }

  /** True when every tensor is kept to the end of the invoke (options.preserveAllTensors). */
  get preservesAllTensors(): boolean {
    return (this.flags & PRESERVE_ALL) !== 0;
  }

  /** The model's parsed description (parsed again on first use after allocateTensors(), then kept). */
  get model(): Model {
    if (!this.parsed) this.parsed = readModel(this.modelBytes);
    return this.parsed;
  }

  /** Arena bytes that kernels took for repacked weights (within weightCacheBytes). */
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

  /**
   * The arena's layout as text, like TFLM's PrintMemoryPlan: laid out again from a sizing run
   * (nothing of it is kept in RAM), the same layout allocateTensors() uses.
   */
  memoryPlan(): string[] {
    const requests = this.run(this.model, null, null, null).order.map(p => p.requests);
    return describeLayout(requests, layoutArena(requests, this.preservesAllTensors));
  }

  /**
   * The same layout as data: every planned buffer's offset, size and first and last operator, the
   * tensors alive and bytes in use at each operator, and the peak operator (allocator.ts MemoryPlan).
   */
  memoryLayout(): MemoryPlan {
    const requests = this.run(this.model, null, null, null).order.map(p => p.requests);
    return memoryPlanOf(requests, layoutArena(requests, this.preservesAllTensors));
  }

  get inputCount(): number {
    return this.main ? this.inputTensors.length : this.model.subgraphs[0].inputs.length;
  }

  get outputCount(): number {
    return this.main ? this.outputTensors.length : this.model.subgraphs[0].outputs.length;
  }

  get operatorCount(): number {
    return this.main ? this.main.kernels.length : this.model.subgraphs[0].operators.length;
  }

  input(index: number): Tensor {
    this.requireIntact('input()');
    return this.pick(this.inputTensors, index, 'input');
  }

  output(index: number): Tensor {
    this.requireIntact('output()');
    return this.pick(this.outputTensors, index, 'output');
  }

  /**
   * Any tensor of the main subgraph by index, made on demand (parses the model's description
   * once). A constant's data views the model's bytes: read it, never write it (quantize() and
   * setInput() refuse). An intermediate's view is into the arena, whose bytes later operators
   * reuse: after invoke() it holds the tensor's value only with options.preserveAllTensors.
   */
  tensor(index: number): Tensor {
    const places = this.requireAllocated('tensor()') && this.tensorPlaces!;
    const infos = this.model.subgraphs[0].tensors;
    if (!Number.isInteger(index) || index < 0 || index >= infos.length) {
      throw new UsageError(`tensor ${index} does not exist: the model has ${infos.length} tensors`);
    }
    const info = infos[index];
    const place = places[index];
    const source = info.isVariable ? null : this.model.buffers[info.buffer] ?? null;
    if (place >= 0) return new Tensor(info, typedView(info.type, this.arena!, place, info.byteLength), source !== null);
    if (place === Place.MODEL && source) return new Tensor(info, viewOf(info.type, source), true);
    return new Tensor(info, emptyView(info.type), false);
  }

  /**
   * Copies values into input `index`. The array must be of the tensor's own type (Float32Array for
   * float32, Int8Array for int8, ...) or a Uint8Array of its raw bytes; to quantize real values
   * use `input(i).quantize(values)`.
   */
  setInput(index: number, values: ArrayBufferView): void {
    const tensor = this.input(index);
    if (tensor.isConstant) throw new UsageError(`input ${index} ${tensor.describe()} is a constant of the model and cannot be written`);
    if (!ArrayBuffer.isView(values)) throw new UsageError(`setInput(${index}): expected a typed array, got ${values === null ? 'null' : typeof values}`);
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
    if (this.main) return this;
    if (this.flags & ALLOCATING) throw new UsageError('allocateTensors() called again while it runs (from inside a kernel\'s prepare)');
    this.flags |= ALLOCATING;
    try {
      this.allocate();
    } finally {
      this.flags &= ~ALLOCATING;
    }
    this.resetVariables();
    return this;
  }

  /**
   * Runs the model once. Returns true, or false when an operator ended the invoke early
   * (TFLM's kTfLiteAbort: CIRCULAR_BUFFER before its period is up); the operators after it did
   * not run, and the outputs they write hold what they held.
   */
  invoke(): boolean {
    const graph = this.requireIntact('invoke()');
    const profiler = this.profiler;
    try {
      if (profiler === null) graph.invoke();
      else graph.invokeProfiled(profiler);
    } catch (error) {
      if (error === ABORT_INVOKE) return false;
      throw error;
    }
    return true;
  }

  /** Runs operator `index` of the main subgraph alone, on the tensors as they are: for profiling. */
  invokeOperator(index: number): void {
    const graph = this.requireIntact('invokeOperator()');
    if (!Number.isInteger(index) || index < 0 || index >= graph.kernels.length) {
      throw new UsageError(`operator ${index} does not exist: the model has ${graph.kernels.length} operators`);
    }
    try {
      graph.kernels[index].eval(graph.data[index]);
    } catch (error) {
      if (error !== ABORT_INVOKE) throw error;
    }
  }

  /** Name of operator `index` of the main subgraph. */
  operatorName(index: number): string {
    const count = this.operatorCount;
    if (!Number.isInteger(index) || index < 0 || index >= count) throw new UsageError(`operator ${index} does not exist`);
    return this.main ? this.main.kernels[index].name : this.model.subgraphs[0].operators[index].opName;
  }

  /** Sets every variable tensor back to its initial state (zero, or the zero point for int8). */
  resetVariables(): void {
    this.requireAllocated('resetVariables()');
    const v = this.variables, bytes = new Uint8Array(this.arena!);
    for (let i = 0; i < v.length; i += 3) bytes.fill(v[i + 2], v[i], v[i] + v[i + 1]);
    for (const graph of this.graphs) graph.reset();
  }

  /** The arena the plan lives in (after allocateTensors). */
  get arenaBuffer(): ArrayBuffer {
    this.requireAllocated('arenaBuffer');
    return this.arena!;
  }

  private requireAllocated(what: string): Graph {
    if (!this.main) throw new UsageError(`${what} before allocateTensors()`);
    return this.main;
  }

  /** Allocated, and neither the arena nor the model's bytes detached or resized since (one check per call). */
  private requireIntact(what: string): Graph {
    const main = this.requireAllocated(what);
    if (this.arena!.byteLength !== this.arenaLength) throw new UsageError(`${what}: the arena was detached or resized after allocateTensors()`);
    if (this.modelBytes.byteLength === 0) throw new UsageError(`${what}: the model's bytes were detached after allocateTensors()`);
    return main;
  }

  private pick(list: readonly Tensor[], index: number, what: string): Tensor {
    if (!Number.isInteger(index) || index < 0 || index >= list.length) {
      throw new UsageError(`${what} ${index} does not exist: the model has ${list.length} ${what}${list.length === 1 ? '' : 's'}`);
    }
    return list[index];
  }

  private allocate(): void {
    const model = this.model;
    const sizing = this.run(model, null, null, null);
    const requests = sizing.order.map(p => p.requests);
    const layout = layoutArena(requests, this.preservesAllTensors);
    const needed = layout.totalBytes;
    if (needed > this.maxArena) throw new ArenaError(needed, this.maxArena);
    const arena = this.makeArena(needed);
    for (const c of layout.copies) new Uint8Array(arena, c.offset, c.source.byteLength).set(c.source);
    const binding = this.run(model, layout, requests, arena);
    const main = binding.order[0];
    this.graphs = binding.order.map(p => p.graph);
    for (const p of binding.order) p.graph.prep = null;
    const views = main.ioViews.slice();
    const places = views.shift() as Int32Array;
    const offsets = layout.graphs[0].tensorOffsets;
    for (let i = 0; i < offsets.length; i++) places[i] = offsets[i];
    this.tensorPlaces = places;
    this.inputTensors = main.inputs.map(t => this.userTensor(t, views));
    this.outputTensors = main.outputs.map(t => this.userTensor(t, views));
    if (this.profiler) {
      const both = views.shift() as Float64Array, n = both.length >> 1;
      this.profiler.attach(main.graph.kernels, new Float64Array(both.buffer, both.byteOffset, n), new Float64Array(both.buffer, both.byteOffset + 8 * n, n));
    }
    const variables: number[] = [];
    binding.order.forEach((p, gi) => {
      p.info.tensors.forEach((t, k) => {
        if (t.isVariable) variables.push(layout.graphs[gi].tensorOffsets[k], t.byteLength, t.type === TensorType.INT8 && t.quantization ? t.quantization.zeroPoint[0] & 255 : 0);
      });
    });
    this.variables = variables;
    this.arena = arena;
    this.arenaLength = arena.byteLength;
    this.usedBytes = needed;
    this.plannedBytes = layout.plannedBytes;
    this.weightCacheUsed = binding.weightCacheUsed;
    this.main = main.graph;
    // The parsed description is not needed to run: drop it (the model getter parses again on demand).
    this.parsed = null;
  }

  private makeArena(needed: number): ArrayBuffer {
    const given = this.arenaOption;
    if (given) {
      if ((given as { detached?: boolean }).detached) throw new UsageError('options.arena was detached');
      if (given.byteLength < needed) throw new ArenaError(needed, given.byteLength);
      new Uint8Array(given, 0, needed).fill(0);
      return given;
    }
    const size = this.arenaSizeOption ?? needed;
    if (size < needed) throw new ArenaError(needed, size);
    try {
      return new ArrayBuffer(size);
    } catch {
      throw new ArenaError(needed, 0, `the arena of ${size} bytes could not be allocated (the model needs ${needed})`);
    }
  }

  /**
   * A Tensor for the user that outlives allocateTensors(): its shape and quantization are copied
   * out of the parsed model (whose shared pools would otherwise stay alive) into the arena's
   * tail, where the interpreter asked for room for them (ioRequests).
   */
  private userTensor(t: Tensor, views: TensorData[]): Tensor {
    const info = t.info;
    const q = info.quantization;
    const shape = views.shift() as Int32Array;
    shape.set(info.shape);
    let quantization = null;
    if (q) {
      const scale = views.shift() as Float32Array, zeroPoint = views.shift() as Int32Array;
      scale.set(q.scale);
      zeroPoint.set(q.zeroPoint);
      quantization = { scale, zeroPoint, quantizedDimension: q.quantizedDimension };
    }
    const copy: TensorInfo = {
      index: info.index, name: info.name, type: info.type, shape, shapeSignature: null,
      buffer: info.buffer, isVariable: info.isVariable, elementCount: info.elementCount, byteLength: info.byteLength,
      quantization,
    };
    return new Tensor(copy, t.data, t.isConstant);
  }

  /** Room in the tail for what outlives allocateTensors(): tensor places and the inputs' and outputs' descriptions. */
  private ioRequests(run: Run, prep: GraphPrep): void {
    const ask = (type: number, length: number) => prep.ioViews.push(this.request(run, prep, null, true, type, length, -1));
    ask(TensorType.INT32, prep.info.tensors.length);
    for (const t of prep.inputs.concat(prep.outputs)) {
      ask(TensorType.INT32, t.rank);
      const q = t.quantization;
      if (q) {
        ask(TensorType.FLOAT32, q.scale.length);
        ask(TensorType.INT32, q.zeroPoint.length);
      }
    }
    // The profiler's figures, per operator: the last invoke's ticks, then their sum.
    if (this.profiler) ask(TensorType.FLOAT64, 2 * prep.info.operators.length);
  }

  /** One prepare run over every subgraph reachable from subgraph 0. */
  private run(model: Model, layout: ArenaLayout | null, sized: readonly GraphRequests[] | null, arena: ArrayBuffer | null): Run {
    const run: Run = {
      model, layout, sized, arena, byIndex: [], order: [], stack: [], shared: new Map(), weightCacheUsed: 0,
      emptyIn: new ArrayBuffer(0),
    };
    this.prepareGraph(run, 0, null);
    if (sized && run.order.length !== sized.length) throw new ModelError(`the model's subgraphs were prepared differently the second time (${run.order.length} vs ${sized.length})`);
    return run;
  }

  private prepareGraph(run: Run, index: number, caller: Node | null): GraphPrep {
    const infos = run.model.subgraphs;
    if (!Number.isInteger(index) || index < 0 || index >= infos.length) {
      throw new ModelError(`subgraph ${index} does not exist (model has ${infos.length})`);
    }
    const existing = run.byIndex[index];
    if (existing) {
      if (run.stack.indexOf(index) >= 0) throw new ModelError(`subgraph ${index} calls itself${caller ? ` (${caller.opName}, operator ${caller.index})` : ''}`);
      return existing;
    }
    if (run.stack.length >= MAX_SUBGRAPH_DEPTH) {
      throw new ModelError(`subgraphs nest deeper than ${MAX_SUBGRAPH_DEPTH} levels (subgraph ${index}${caller ? `, called by ${caller.opName} operator ${caller.index}` : ''})`);
    }
    const info = infos[index];
    const order = run.order.length;
    const requests: GraphRequests = { info, constants: [], scratch: [], persistent: [] };
    const tensors: Tensor[] = [];
    const layout = run.layout ? run.layout.graphs[order] : null;
    for (let k = 0; k < info.tensors.length; k++) {
      const t = info.tensors[k];
      const source = t.isVariable ? null : run.model.buffers[t.buffer] ?? null;
      requests.constants.push(source);
      tensors.push(new Tensor(t, this.dataOf(run, t, source, layout ? layout.tensorOffsets[k] : Place.UNUSED), source !== null));
    }
    const prep: GraphPrep = {
      info, graph: new Graph(), tensors, requests, order, ioViews: [],
      inputs: Array.from(info.inputs, i => tensors[i]),
      outputs: Array.from(info.outputs, i => tensors[i]),
    };
    prep.graph.prep = prep;
    run.byIndex[index] = prep;
    run.order.push(prep);
    run.stack.push(index);
    try {
      // The interpreter's own persistent bytes come first.
      if (order === 0) this.ioRequests(run, prep);
      for (const op of info.operators) {
        const code = run.model.operatorCodes[op.opcodeIndex];
        const kernel = this.resolver.find(op.builtinCode, code.customCode);
        if (!kernel) throw new OpError(op.opName, op.index, `no kernel for ${op.opName} in the op resolver${index ? ` (subgraph ${index})` : ''}`);
        if (typeof kernel.prepare !== 'function' || typeof kernel.eval !== 'function') throw new OpError(op.opName, op.index, 'the op resolver gave a kernel without prepare() and eval()');
        const node: Node = {
          index: op.index,
          opName: op.opName,
          version: op.version,
          inputs: Array.from(op.inputs, i => (i < 0 ? null : tensors[i])),
          outputs: Array.from(op.outputs, i => tensors[i]),
          intermediates: op.intermediates.length ? Array.from(op.intermediates, i => (i < 0 ? null : tensors[i])) : NO_TENSORS,
          options: kernel.options ? readOptions(run.model, index, op, kernel.options) : NO_OPTIONS,
          customOptions: op.customOptions,
        };
        const data = this.prepareNode(run, prep, kernel, node);
        prep.graph.kernels.push(kernel);
        prep.graph.data.push(data);
      }
    } finally {
      run.stack.pop();
    }
    const sized = run.sized ? run.sized[order] : null;
    if (sized && (sized.info !== info || sized.persistent.length !== requests.persistent.length || sized.scratch.length !== requests.scratch.length)) {
      throw new ModelError(`subgraph ${index} asked for different memory when prepared the second time`);
    }
    return prep;
  }

  /** A tensor's data for this run: the model's bytes for constants, the arena's when binding, else empty. */
  private dataOf(run: Run, t: TensorInfo, source: Uint8Array | null, offset: number): TensorData {
    if (source && offset === Place.MODEL) return viewOf(t.type, source);
    if (source && !run.arena) {
      if (source.byteOffset % viewAlignment(t.type) === 0) return viewOf(t.type, source);
      // Sizing a misaligned constant: kernels may read it to decide what to ask for. A copy for
      // this run only (TFLite aligns buffers, so real models never come here).
      const copy = new Uint8Array(source.byteLength);
      copy.set(source);
      return viewOf(t.type, copy);
    }
    if (!run.arena || offset < 0) return typedView(t.type, run.emptyIn, 0, 0);
    return typedView(t.type, run.arena, offset, t.byteLength);
  }

  private request(run: Run, prep: GraphPrep, node: Node | null, persistent: boolean, type: number, length: number, op: number): TensorData {
    const size = elementSize(type);
    if (!(Number.isInteger(length) && length >= 0) || size === 0 || length * size > this.maxArena) {
      const what = `asked for ${length} elements of ${typeName(type)} ${persistent ? 'persistent memory' : 'scratch'}`;
      if (node) throw new OpError(node.opName, node.index, what);
      throw new ModelError(what);
    }
    const list = persistent ? prep.requests.persistent : prep.requests.scratch;
    const r: BufferRequest = { type, length, op };
    const k = list.length;
    list.push(r);
    if (!run.layout || !run.arena || !run.sized) return typedView(type, run.emptyIn, 0, 0);
    const before = persistent ? run.sized[prep.order].persistent[k] : run.sized[prep.order].scratch[k];
    if (!before || before.type !== type || before.length !== length) {
      const where = node ? `${node.opName} (operator ${node.index})` : 'the interpreter';
      throw new ModelError(`${where} asked for different memory when prepared the second time`);
    }
    const g = run.layout.graphs[prep.order];
    const offset = persistent ? g.persistentOffsets[k] : g.scratchOffsets[k];
    return typedView(type, run.arena, offset, length * size);
  }

  private prepareNode(run: Run, prep: GraphPrep, kernel: Kernel, node: Node): unknown {
    const fail = (message: string): never => {
      throw new OpError(node.opName, node.index, message);
    };
    const op = prep.graph.kernels.length;
    const ctx: PrepareContext = {
      fail,
      sizing: run.arena === null,
      persistent: (type: number, length: number) => this.request(run, prep, node, true, type, length, op),
      scratch: (type: number, length: number) => this.request(run, prep, node, false, type, length, op),
      requestPersistent: (type: number, length: number): Scratch => ({ data: this.request(run, prep, node, true, type, length, op) }),
      requestScratch: (type: number, length: number): Scratch => ({ data: this.request(run, prep, node, false, type, length, op) }),
      subgraph: (i: number) => this.prepareGraph(run, i, node).graph,
      shared: run.shared,
      reserveWeightCache: (bytes: number) => {
        if (!(bytes >= 0) || run.weightCacheUsed + bytes > this.weightCacheBudget) return false;
        run.weightCacheUsed += bytes;
        return true;
      },
    };
    try {
      return kernel.prepare(ctx, node);
    } catch (error) {
      if (error instanceof TfliteError) throw error;
      throw new OpError(node.opName, node.index, `failed in prepare: ${describeError(error)}`);
    }
  }
}

Object.freeze(Interpreter.prototype);

function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  try {
    return String(error);
  } catch {
    return 'an unprintable value was thrown';
  }
}
