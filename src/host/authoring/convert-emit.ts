// Writes the converter's graph as a .tflite: float32 as it is, or full-integer int8 (int8
// input, output and activations, int8 weights, int32 bias) from calibrated ranges.
import { ConversionError, type Graph, type GraphOp } from './convert-graph.js';
import { activationParams, clamp, quantizePerChannel, roundHalfAway, type Range } from './convert-quantize.js';
import { writeModel, type WriterOperator, type WriterTensor } from './tflite-writer.js';

/** Operator versions as TFLite's converter numbers them for int8 tensors (float is version 1). */
const INT8_VERSIONS: Readonly<Record<GraphOp['op'], number>> = {
  FULLY_CONNECTED: 4, CONV_2D: 3, DEPTHWISE_CONV_2D: 3, MAX_POOL_2D: 2, AVERAGE_POOL_2D: 2, MEAN: 2,
  RESHAPE: 1, RELU: 2, RELU6: 2, LOGISTIC: 2, TANH: 2, SOFTMAX: 2,
};

export function emitFloat(graph: Graph, description: string): Uint8Array {
  const tensors: WriterTensor[] = graph.tensors.map(t => ({ name: t.name, type: 'float32', shape: t.shape }));
  const add = (t: WriterTensor) => tensors.push(t) - 1;
  const operators = graph.ops.map((op): WriterOperator => {
    const inputs = [op.input];
    if (op.weights) {
      inputs.push(add({ name: `${op.layer}/weights`, type: 'float32', shape: op.weights.shape, data: op.weights.values }));
      inputs.push(op.bias ? add({ name: `${op.layer}/bias`, type: 'float32', shape: [op.bias.length], data: op.bias }) : -1);
    }
    if (op.constant) inputs.push(add({ name: `${op.layer}/${op.op === 'MEAN' ? 'axes' : 'shape'}`, type: 'int32', shape: [op.constant.length], data: Int32Array.from(op.constant) }));
    const version = op.op === 'DEPTHWISE_CONV_2D' && (op.options.dilationWFactor !== 1 || op.options.dilationHFactor !== 1) ? 2 : 1;
    return { op: op.op, inputs, outputs: [op.output], options: op.options, version };
  });
  return writeModel({ description, subgraphs: [{ name: 'main', tensors, inputs: [graph.input], outputs: graph.outputs, operators }] });
}

export function emitInt8(graph: Graph, ranges: readonly (Range | null)[], description: string): Uint8Array {
  const params: { scale: number; zeroPoint: number }[] = [];
  graph.tensors.forEach((t, i) => {
    if (t.fixed) params[i] = t.fixed;
    else if (t.tie !== undefined) params[i] = params[t.tie];
    else if (ranges[i]) params[i] = activationParams(ranges[i]!);
    else throw new ConversionError(`convert: no calibrated range for tensor "${t.name}"`);
  });
  const tensors: WriterTensor[] = graph.tensors.map((t, i) => ({ name: t.name, type: 'int8', shape: t.shape, scale: params[i].scale, zeroPoint: params[i].zeroPoint }));
  const add = (t: WriterTensor) => tensors.push(t) - 1;
  const operators = graph.ops.map((op): WriterOperator => {
    const inputs = [op.input];
    if (op.weights) {
      const w = op.weights;
      // Per channel for convolutions, as TFLite's converter does; per tensor for FULLY_CONNECTED.
      const axis = op.op === 'FULLY_CONNECTED' ? -1 : w.channelAxis;
      const q = quantizePerChannel(w.values, w.shape, axis);
      inputs.push(add({ name: `${op.layer}/weights`, type: 'int8', shape: w.shape, data: q.values, scale: q.scales, zeroPoint: 0, quantizedDimension: Math.max(axis, 0) }));
      if (op.bias) {
        const inScale = params[op.input].scale;
        const biasScales = q.scales.map(s => Math.fround(inScale * s));
        const values = new Int32Array(op.bias.length);
        for (let c = 0; c < values.length; c++) {
          values[c] = clamp(roundHalfAway(op.bias[c] / biasScales[biasScales.length === 1 ? 0 : c]), -2147483647, 2147483647);
        }
        inputs.push(add({ name: `${op.layer}/bias`, type: 'int32', shape: [values.length], data: values, scale: biasScales, zeroPoint: 0, quantizedDimension: 0 }));
      } else {
        inputs.push(-1);
      }
    }
    if (op.constant) inputs.push(add({ name: `${op.layer}/${op.op === 'MEAN' ? 'axes' : 'shape'}`, type: 'int32', shape: [op.constant.length], data: Int32Array.from(op.constant) }));
    return { op: op.op, inputs, outputs: [op.output], options: op.options, version: INT8_VERSIONS[op.op] };
  });
  return writeModel({ description, subgraphs: [{ name: 'main', tensors, inputs: [graph.input], outputs: graph.outputs, operators }] });
}
