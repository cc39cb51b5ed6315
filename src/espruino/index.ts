// The Espruino module "tflite-xs" (dist/espruino/tflite-xs.js): the core, the kernels of
// ./kernels.ts and create(), the one call an Espruino program needs. Espruino hands a module's
// file or an uploaded model around as a String as often as as bytes, so create() takes both.
import { ArenaError, ModelError, UsageError } from '../core/errors.js';
import { Interpreter } from '../core/interpreter.js';
import type { Kernel } from '../core/kernel.js';
import { OpResolver } from '../core/resolver.js';
import { ESPRUINO_KERNELS } from './kernels.js';

export { ModelError, OpError, ArenaError, UsageError, TfliteError } from '../core/errors.js';
export { readModel, toBytes } from '../core/model.js';
export { Interpreter } from '../core/interpreter.js';
export { Tensor } from '../core/tensor.js';
export { OpResolver } from '../core/resolver.js';
export { TENSOR_TYPES as TensorType, typeName } from '../core/types.js';
export { ESPRUINO_KERNELS } from './kernels.js';
export { Emitter } from '../components/emitter.js';
export { Model } from '../components/model.js';

export interface CreateOptions {
  /** The kernels: a resolver or a list of kernels. Default: every kernel this module carries. */
  ops?: OpResolver | readonly Kernel[];
  /** Arena bytes; default exactly what the model's plan needs. */
  arenaSize?: number;
}

/**
 * The most bytes a model or an arena may span on Espruino: it keeps a typed array's byteOffset in
 * 16 bits, so no view can start 64 KiB or more into its buffer (a tensor there would fail with
 * Espruino's own "byteOffset too large" mid-load).
 */
export const ESPRUINO_MAX_BUFFER = 65536;

/** Espruino's utility object; absent in Node and XS. */
declare const E: {
  toArrayBuffer(s: string): ArrayBuffer;
  toFlatString?(s: string): string | undefined;
  toString(...data: unknown[]): string | undefined;
  getAddressOf?(v: unknown, flatOnly: boolean): number;
} | undefined;

/**
 * The model's bytes from what Espruino programs hold: bytes, an ArrayBuffer, or a String of
 * bytes (`require("Storage").read("model.tflite")`, `require("fs").readFileSync(...)`, `atob(...)`).
 * On Espruino the bytes must lie in one flat block: a String or buffer Espruino keeps as a chain
 * of variables costs a walk along the chain at every read (a 34 KB model then takes minutes to
 * allocate). A String from Storage is flat already (it is the flash itself) and is viewed in
 * place; any other chained String or buffer is copied once into a flat one.
 */
export function modelBytes(model: unknown): Uint8Array | ArrayBuffer {
  // Measured before any conversion: E.toFlatString on a String too long for one block can
  // corrupt Espruino's heap (seen on its Linux build, 2v29), and no such model could load.
  if (onEspruino()) {
    const sized = model as { byteLength?: unknown } | null;
    const length = typeof model === 'string' ? model.length
      : sized !== null && typeof sized === 'object' && typeof sized.byteLength === 'number' ? sized.byteLength : 0;
    if (length > ESPRUINO_MAX_BUFFER) {
      throw new ModelError(`the model is ${length} bytes: on Espruino a model may be at most ${ESPRUINO_MAX_BUFFER} bytes (its typed arrays cannot start 64 KiB or more into a buffer)`);
    }
  }
  return flatBytes(model);
}

function onEspruino(): boolean {
  return typeof E !== 'undefined' && !!E && typeof E.toArrayBuffer === 'function';
}

function flatBytes(model: unknown): Uint8Array | ArrayBuffer {
  const espruino = onEspruino() ? E : undefined;
  if (typeof model === 'string') {
    if (espruino) {
      const flat = espruino.toFlatString ? espruino.toFlatString(model) : undefined;
      return espruino.toArrayBuffer(flat === undefined ? model : flat);
    }
    const bytes = new Uint8Array(model.length);
    for (let i = 0; i < model.length; i++) {
      const c = model.charCodeAt(i);
      if (c > 255) throw new UsageError(`create: a model given as a String must hold bytes (char ${i} is ${c})`);
      bytes[i] = c;
    }
    return bytes;
  }
  if (espruino && espruino.getAddressOf && model !== null && typeof model === 'object') {
    const buffer = model instanceof ArrayBuffer ? model : (model as Uint8Array).buffer;
    if (buffer instanceof ArrayBuffer && espruino.getAddressOf(buffer, true) === 0) {
      const flat = espruino.toString(model instanceof ArrayBuffer ? new Uint8Array(model) : model);
      if (flat !== undefined) return espruino.toArrayBuffer(flat);
    }
  }
  return model as Uint8Array;
}

/**
 * An interpreter for `model`, its tensors allocated in an arena of exactly the size its plan
 * needs (the arena is sized by planning first, so no guess as Espruino's "tensorflow" module asks).
 */
export function create(model: unknown, options?: CreateOptions): Interpreter {
  const ops = options ? options.ops : undefined;
  const resolver = ops === undefined ? new OpResolver(ESPRUINO_KERNELS) : ops instanceof OpResolver ? ops : new OpResolver(ops);
  const espruino = onEspruino();
  const interpreter = new Interpreter(modelBytes(model), {
    resolver,
    arenaSize: options ? options.arenaSize : undefined,
    maxArenaBytes: espruino ? ESPRUINO_MAX_BUFFER : undefined,
  });
  try {
    interpreter.allocateTensors();
  } catch (error) {
    if (espruino && error instanceof ArenaError && error.bytesNeeded > ESPRUINO_MAX_BUFFER) {
      throw new ArenaError(error.bytesNeeded, ESPRUINO_MAX_BUFFER, `the model needs an arena of ${error.bytesNeeded} bytes: on Espruino an arena may be at most ${ESPRUINO_MAX_BUFFER} bytes (its typed arrays cannot start 64 KiB or more into a buffer)`);
    }
    throw error;
  }
  return interpreter;
}
