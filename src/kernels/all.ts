// Every kernel, for apps that would rather not list their model's ops (the `allOps` resolver).
// An app that registers kernels one by one carries only those: kernels are separate modules.
import type { Kernel } from '../core/kernel.js';
import { OpResolver } from '../core/resolver.js';
// -- imports: linear algebra (FULLY_CONNECTED, SOFTMAX, QUANTIZE, ...)
// -- imports: convolution and pooling
// -- imports: elementwise and activations
// -- imports: shapes and data movement, reductions, resize
// -- imports: recurrent and variables

/** Every kernel the library has. */
export const ALL_KERNELS: readonly Kernel[] = [
  // -- kernels: linear algebra
  // -- kernels: convolution and pooling
  // -- kernels: elementwise and activations
  // -- kernels: shapes and data movement, reductions, resize
  // -- kernels: recurrent and variables
];

/** A resolver with every kernel registered. */
export function allOps(): OpResolver {
  return new OpResolver(ALL_KERNELS);
}
