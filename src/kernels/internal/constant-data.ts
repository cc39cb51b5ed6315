// A constant tensor's values at prepare time. The interpreter binds typed views only in
// allocateTensors (after every prepare), and a constant's bytes may sit misaligned in the model,
// so prepare reads them through a view of its own (a copy when the bytes are misaligned).
import type { Tensor } from '../../core/tensor.js';
import { typedView, viewAlignment, type TensorData } from '../../core/types.js';

export function constantData(tensor: Tensor): TensorData {
  const data = tensor.data;
  if (data.byteLength === tensor.byteLength && tensor.byteLength > 0) return data;
  const bytes = tensor.bytes;
  const aligned = bytes.byteOffset % viewAlignment(tensor.type) === 0 ? bytes : bytes.slice();
  return typedView(tensor.type, aligned.buffer, aligned.byteOffset, aligned.byteLength);
}
