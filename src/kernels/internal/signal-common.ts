// Shared by the Signal library's kernels (TFLM signal/micro/kernels): their custom options, the
// checks every one of their prepare functions makes, and the small integer helpers of
// signal/src (most significant bit, 64-bit products) that their arithmetic needs exactly.
import type { Node, PrepareContext } from '../../core/kernel.js';
import { flexMap, type FlexMap } from '../../core/flexbuffers.js';
import type { Tensor } from '../../core/tensor.js';
import { typeName } from '../../core/types.js';

/** The operator's flexbuffers options map (a ModelError names the operator if they are bad). */
export function signalOptions(node: Node): FlexMap {
  return flexMap(node.customOptions, `${node.opName} (operator ${node.index}) custom options`);
}

/** TF_LITE_ENSURE_EQ(NumInputs / NumOutputs), as a named failure. */
export function expectCounts(ctx: PrepareContext, node: Node, inputs: number, outputs: number): void {
  if (node.inputs.length !== inputs) ctx.fail(`has ${node.inputs.length} inputs, expected ${inputs}`);
  if (node.outputs.length !== outputs) ctx.fail(`has ${node.outputs.length} outputs, expected ${outputs}`);
}

/** Input `i`, present, of `type`, with `rank` dimensions (-1: any). */
export function expectInput(ctx: PrepareContext, node: Node, i: number, name: string, type: number, rank: number): Tensor {
  const t = node.inputs[i];
  if (!t) return ctx.fail(`input ${i} (${name}) is missing`);
  expectTensor(ctx, t, name, type, rank);
  return t;
}

export function expectOutput(ctx: PrepareContext, node: Node, i: number, name: string, type: number, rank: number): Tensor {
  const t = node.outputs[i];
  expectTensor(ctx, t, name, type, rank);
  return t;
}

function expectTensor(ctx: PrepareContext, t: Tensor, name: string, type: number, rank: number): void {
  if (t.type !== type) ctx.fail(`${name} ${t.describe()} must be ${typeName(type)}`);
  if (rank >= 0 && t.rank !== rank) ctx.fail(`${name} ${t.describe()} must have ${rank} dimension${rank === 1 ? '' : 's'}`);
}

/** An option that must lie in [min, max] (TFLM would shift by it or index with it unchecked). */
export function expectRange(ctx: PrepareContext, name: string, value: number, min: number, max: number): number {
  if (!(value >= min && value <= max)) ctx.fail(`option ${name} = ${value} must be in [${min}, ${max}]`);
  return value;
}

/** MostSignificantBit32 of TFLM's GCC build: 32 - clz(x), and 32 for 0 (the __builtin_clz path). */
export function msb32(x: number): number {
  return x === 0 ? 32 : 32 - Math.clz32(x);
}

const TWO_32 = 4294967296;

/**
 * Low 32 bits (unsigned) of ((a·b + c·d) mod 2^64) >> shift, for uint32 a, b, c, d and
 * shift in [0, 63]: the uint64 products of spectral subtraction and PCAN, exact in doubles by
 * splitting b and d into 16-bit halves.
 */
export function mulAddShiftU64(a: number, b: number, c: number, d: number, shift: number): number {
  const high = a * (b >>> 16) + c * (d >>> 16); // < 2^49
  const low = a * (b & 0xffff) + c * (d & 0xffff); // < 2^49
  const highLow = high % 65536, highHigh = (high - highLow) / 65536; // < 2^33
  const t = highLow * 65536 + low; // < 2^50
  const lo = t % TWO_32;
  const hi = (highHigh + (t - lo) / TWO_32) % TWO_32;
  return shiftU64(hi, lo, shift);
}

/** Low 32 bits (unsigned) of the uint64 (hi, lo) >> shift, shift in [0, 63]. */
export function shiftU64(hi: number, lo: number, shift: number): number {
  if (shift === 0) return lo >>> 0;
  if (shift >= 32) return hi >>> (shift - 32);
  return ((lo >>> shift) | (hi << (32 - shift))) >>> 0;
}
