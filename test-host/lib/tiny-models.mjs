// Small models of our own, written by our writer: what the core tests run when the shared
// fixtures (../shared/fixtures) are not here.
import { writeModel } from './host.mjs';

/** y = W·x + b, int8, 4 inputs, 3 outputs. */
export function tinyFullyConnected() {
  return writeModel({
    description: 'tiny FULLY_CONNECTED int8 (test-host/lib/tiny-models.mjs)',
    subgraphs: [{
      tensors: [
        { name: 'x', type: 'int8', shape: [1, 4], scale: 0.5, zeroPoint: -3 },
        { name: 'w', type: 'int8', shape: [3, 4], data: [1, -2, 3, -4, 5, -6, 7, -8, 9, -10, 11, -12], scale: 0.25, zeroPoint: 0 },
        { name: 'b', type: 'int32', shape: [3], data: [10, -20, 30], scale: 0.125, zeroPoint: 0 },
        { name: 'y', type: 'int8', shape: [1, 3], scale: 1, zeroPoint: 2 },
      ],
      inputs: [0], outputs: [3],
      operators: [{ op: 'FULLY_CONNECTED', inputs: [0, 1, 2], outputs: [3] }],
    }],
  });
}

/** y = W·x + b, float32, 1 input, 2 outputs (the shape of hello_world's first layer). */
export function tinyFullyConnectedFloat() {
  return writeModel({
    description: 'tiny FULLY_CONNECTED float32 (test-host/lib/tiny-models.mjs)',
    subgraphs: [{
      tensors: [
        { name: 'x', type: 'float32', shape: [1, 1] },
        { name: 'w', type: 'float32', shape: [2, 1], data: [0.5, -1.5] },
        { name: 'b', type: 'float32', shape: [2], data: [0.25, 1] },
        { name: 'y', type: 'float32', shape: [1, 2] },
      ],
      inputs: [0], outputs: [3],
      operators: [{ op: 'FULLY_CONNECTED', inputs: [0, 1, 2], outputs: [3] }],
    }],
  });
}
