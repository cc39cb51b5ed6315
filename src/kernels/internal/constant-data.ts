// A constant tensor's values at prepare time. The interpreter gives constants a full, aligned
// view in both prepare runs (the model's bytes, or an aligned copy of misaligned ones: in the
// arena when binding, its own when sizing), so prepare reads them in place and copies nothing.
import type { Tensor } from '../../core/tensor.js';
import type { TensorData } from '../../core/types.js';

export function constantData(tensor: Tensor): TensorData {
  return tensor.data;
}
