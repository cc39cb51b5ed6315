// Which kernels an interpreter may use, registered explicitly like TFLM's MicroMutableOpResolver
// so that an app's bundle carries only the kernels its model needs.
import type { Kernel } from './kernel.js';
import { UsageError } from './errors.js';

export const CUSTOM_CODE = 32;

export class OpResolver {
  private readonly builtins: (Kernel | undefined)[] = [];
  private readonly customs: Kernel[] = [];

  constructor(kernels: readonly Kernel[] = []) {
    for (const k of kernels) this.add(k);
  }

  add(kernel: Kernel): this {
    if (Object.isFrozen(this.builtins)) throw new UsageError('OpResolver.add: this resolver is frozen (made at preload); make a new OpResolver');
    if (!kernel || typeof kernel.prepare !== 'function' || typeof kernel.eval !== 'function') {
      throw new UsageError('OpResolver.add takes a kernel with prepare() and eval()');
    }
    if (kernel.code === CUSTOM_CODE) this.customs.push(kernel);
    else this.builtins[kernel.code] = kernel;
    return this;
  }

  /**
   * Freezes the resolver and its tables, so that one made in a preloaded module (the resolver
   * module `tflite-xs resolver` writes) stays in flash instead of being aliased in RAM.
   */
  freeze(): this {
    Object.freeze(this.builtins);
    Object.freeze(this.customs);
    return Object.freeze(this);
  }

  find(code: number, customName: string): Kernel | undefined {
    if (code === CUSTOM_CODE) {
      for (const k of this.customs) if (k.name === customName) return k;
      return undefined;
    }
    return this.builtins[code];
  }

  /** Every kernel registered, builtins by code then customs. */
  kernels(): Kernel[] {
    return this.builtins.filter((k): k is Kernel => k !== undefined).concat(this.customs);
  }
}
Object.freeze(OpResolver.prototype);
