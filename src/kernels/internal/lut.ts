// Lookup tables for the activations. An int8 activation is a function of one int8 value, so
// prepare runs the exact integer routine TFLM runs per element once for each of the 256 inputs,
// and eval only indexes the table (bit-exact by construction). The int16 LOGISTIC and TANH
// kernels interpolate TFLM's 256-entry sigmoid table.
import type { PrepareContext } from '../../core/kernel.js';
import { TensorType, type TensorData } from '../../core/types.js';

/**
 * TFLM's sigmoid_table_uint16 (kernels/internal/common.h): sigmoid(i / 24) in unsigned 0.16
 * fixed point (within one step of 65536 * sigmoid(i / 24); TFLM's exact values, which no simple
 * rounding of the formula reproduces). The int16 LOGISTIC and TANH interpolate it.
 */
export const SIGMOID_TABLE_UINT16: readonly number[] = Object.freeze([
  32768, 33451, 34133, 34813, 35493, 36169, 36843, 37513, 38180, 38841, 39498, 40149, 40794, 41432, 42064, 42688,
  43304, 43912, 44511, 45102, 45683, 46255, 46817, 47369, 47911, 48443, 48964, 49475, 49975, 50464, 50942, 51409,
  51865, 52311, 52745, 53169, 53581, 53983, 54374, 54755, 55125, 55485, 55834, 56174, 56503, 56823, 57133, 57433,
  57724, 58007, 58280, 58544, 58800, 59048, 59288, 59519, 59743, 59959, 60168, 60370, 60565, 60753, 60935, 61110,
  61279, 61441, 61599, 61750, 61896, 62036, 62172, 62302, 62428, 62549, 62666, 62778, 62886, 62990, 63090, 63186,
  63279, 63368, 63454, 63536, 63615, 63691, 63765, 63835, 63903, 63968, 64030, 64090, 64148, 64204, 64257, 64308,
  64357, 64405, 64450, 64494, 64536, 64576, 64614, 64652, 64687, 64721, 64754, 64786, 64816, 64845, 64873, 64900,
  64926, 64950, 64974, 64997, 65019, 65039, 65060, 65079, 65097, 65115, 65132, 65149, 65164, 65179, 65194, 65208,
  65221, 65234, 65246, 65258, 65269, 65280, 65291, 65301, 65310, 65319, 65328, 65337, 65345, 65352, 65360, 65367,
  65374, 65381, 65387, 65393, 65399, 65404, 65410, 65415, 65420, 65425, 65429, 65433, 65438, 65442, 65445, 65449,
  65453, 65456, 65459, 65462, 65465, 65468, 65471, 65474, 65476, 65479, 65481, 65483, 65485, 65488, 65489, 65491,
  65493, 65495, 65497, 65498, 65500, 65501, 65503, 65504, 65505, 65507, 65508, 65509, 65510, 65511, 65512, 65513,
  65514, 65515, 65516, 65517, 65517, 65518, 65519, 65520, 65520, 65521, 65522, 65522, 65523, 65523, 65524, 65524,
  65525, 65525, 65526, 65526, 65526, 65527, 65527, 65528, 65528, 65528, 65529, 65529, 65529, 65529, 65530, 65530,
  65530, 65530, 65531, 65531, 65531, 65531, 65531, 65532, 65532, 65532, 65532, 65532, 65532, 65533, 65533, 65533,
  65533, 65533, 65533, 65533, 65533, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65535,
]);

/**
 * The table of an int8 -> int8 function, indexed by the input's low byte (`q & 255`), in the
 * arena's persistent tail (256 bytes, as TFLM's int8 activation tables). `fn` returns the int32
 * result before the cast to int8; the table stores it saturated to int8. Filled in the binding
 * run only (the sizing run's view is empty).
 */
export function int8Table(ctx: PrepareContext, fn: (q: number) => number): Int8Array {
  const table = ctx.persistent(TensorType.INT8, 256) as Int8Array;
  if (!ctx.sizing) {
    for (let q = -128; q < 128; q++) {
      const v = fn(q);
      table[q & 255] = v < -128 ? -128 : v > 127 ? 127 : v;
    }
  }
  return table;
}

/** output[i] = table[input[i] & 255] for int8 tensors. */
export function applyInt8Table(input: TensorData, output: TensorData, table: Int8Array): void {
  const n = output.length;
  for (let i = 0; i < n; i++) output[i] = table[input[i] & 255];
}

/**
 * TFLM's CheckedLog2: log2(x) rounded, and whether x is within 1e-3 (in log2) of that power of
 * two. Computed in float as TFLM does.
 */
export function checkedLog2(x: number): { log2: number; exact: boolean } {
  const f = Math.fround;
  const xLog2 = f(f(Math.log(x)) * f(1 / f(Math.log(2))));
  const rounded = xLog2 < 0 ? -Math.round(-xLog2) : Math.round(xLog2);
  const fraction = f(xLog2 - rounded);
  return { log2: rounded, exact: Math.abs(fraction) < f(1e-3) };
}
