// Hybrid models: float32 activations with quantized (int8, uint8) weights, the TFLite
// converter's "dynamic range quantization". TFLite's interpreter runs them; TFLM refuses them
// in prepare, and so do we, but with a failure that says what the model is and what to do,
// not a type mismatch between input and weights.
import type { PrepareContext } from '../../core/kernel.js';
import type { Tensor } from '../../core/tensor.js';
import { TensorType, typeName } from '../../core/types.js';

/** True when the weights' type marks a hybrid model (float32 activations, quantized weights). */
export function isHybrid(activation: Tensor, weights: Tensor): boolean {
  const w = weights.type;
  return activation.type === TensorType.FLOAT32 && (w === TensorType.INT8 || w === TensorType.UINT8);
}

/** Fails naming the hybrid model when `activation` is float32 and `weights` quantized; else returns. */
export function refuseHybrid(ctx: PrepareContext, activation: Tensor, weights: Tensor, weightsName: string): void {
  if (!isHybrid(activation, weights)) return;
  ctx.fail(`hybrid model: float32 input ${activation.describe()} with ${typeName(weights.type)} ${weightsName} ` +
    `${weights.describe()} (dynamic range quantization) is not supported, as in TFLM; ` +
    'convert the model with full-integer quantization (int8 activations and weights: a representative dataset ' +
    'and TFLITE_BUILTINS_INT8), or keep it all float32');
}
