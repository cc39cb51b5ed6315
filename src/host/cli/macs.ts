// Multiply-accumulates per inference, from the model's shapes alone (the same ops TFLM's
// baselines count: CONV_2D, DEPTHWISE_CONV_2D, TRANSPOSE_CONV, FULLY_CONNECTED, SVDF, LSTM).
import type { Model } from '../../core/model.js';

export function countMacs(model: Model): { total: number; perOperator: number[] } {
  const graph = model.subgraphs[0];
  const t = graph.tensors;
  const perOperator = graph.operators.map(op => {
    const input = (k: number) => (op.inputs[k] >= 0 ? t[op.inputs[k]] : null);
    const output = t[op.outputs[0]];
    switch (op.opName) {
      case 'CONV_2D': {
        // output elements × filter height × filter width × input channels per group
        const filter = input(1)!;
        return output.elementCount * filter.shape[1] * filter.shape[2] * filter.shape[3];
      }
      case 'DEPTHWISE_CONV_2D': {
        const filter = input(1)!;
        return output.elementCount * filter.shape[1] * filter.shape[2];
      }
      case 'TRANSPOSE_CONV': {
        // every input element meets every filter tap of its output channels
        const filter = input(1)!, data = input(2)!;
        return data.elementCount * filter.shape[0] * filter.shape[1] * filter.shape[2];
      }
      case 'FULLY_CONNECTED': {
        const weights = input(1)!;
        return (output.elementCount / weights.shape[0]) * weights.shape[0] * weights.shape[1];
      }
      case 'SVDF': {
        // feature matmul (filters × inputs) + time matmul (filters × memory)
        const features = input(1)!, time = input(2)!, data = input(0)!;
        const batches = data.shape[0];
        return batches * (features.shape[0] * features.shape[1] + time.shape[0] * time.shape[1]);
      }
      case 'UNIDIRECTIONAL_SEQUENCE_LSTM': {
        // 4 gates × (input weights + recurrent weights) per time step and batch
        const data = input(0)!, inputWeights = input(4)!, recurrentWeights = input(8)!;
        const steps = data.elementCount / data.shape[data.shape.length - 1];
        return steps * 4 * (inputWeights.elementCount + recurrentWeights.elementCount);
      }
      default:
        return 0;
    }
  });
  return { total: perOperator.reduce((a, b) => a + b, 0), perOperator };
}
