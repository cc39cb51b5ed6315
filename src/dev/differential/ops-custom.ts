// Differential generators for TFLM's custom ops that reference TFLite also registers
// (TFLite_Detection_PostProcess): random single-op models with the options flexbuffers a
// converter writes. Merged into GENERATORS (ops.ts) with one spread line.
import { flexbuffersMap } from '../flexbuffers-writer.js';
import { act, CaseBuilder, type DataArray, type DiffCase } from './build.js';
import type { Rng } from './rng.js';

type Generator = (rng: Rng) => DiffCase;

/** Fast NMS writes num_detections entries and leaves the rest of its outputs as they were. */
function detectionsOnly(outputs: readonly DataArray[]): DataArray[] {
  const n = Math.max(0, Math.min(outputs[1].length, Number(outputs[3][0]) | 0));
  const keep = (o: DataArray, per: number) => Float32Array.from(o as Float32Array, (v, i) => (i < per * n ? v : 0));
  return [keep(outputs[0], 4), keep(outputs[1], 1), keep(outputs[2], 1), outputs[3]];
}

const detectionPostProcess: Generator = rng => {
  const numBoxes = rng.int(1, 40), numClasses = rng.int(1, 5), background = rng.bool(0.7);
  const classStride = numClasses + (background ? 1 : 0);
  const boxStride = rng.bool(0.8) ? 4 : rng.int(5, 8);
  const regular = rng.bool();
  // Reference TFLite refuses max_detections 0 with regular NMS (TFLM runs it: no detections).
  const maxDetections = rng.int(regular ? 1 : 0, 10);
  const detectionsPerClass = rng.int(1, 10);
  const scoreThreshold = rng.pick([0, 0.1, 0.3, 0.5, 0.9]);
  const iouThreshold = rng.pick([0.2, 0.5, 0.6, 1]);
  const scales = [rng.pick([10, 5, 8]), rng.pick([10, 5, 8]), rng.pick([5, 3, 4]), rng.pick([5, 3, 4])];
  // Ties (scores on a 1/8 grid) exercise the stable and partial sorts' orders.
  const ties = rng.bool(0.3);
  const boxes = Float32Array.from({ length: numBoxes * boxStride }, () => rng.float(-2, 2));
  const scores = Float32Array.from({ length: numBoxes * classStride }, () => (ties ? rng.int(0, 8) / 8 : rng.float(0, 1)));
  const anchors = new Float32Array(4 * numBoxes);
  for (let i = 0; i < numBoxes; i++) {
    anchors[4 * i] = rng.float(0, 1);
    anchors[4 * i + 1] = rng.float(0, 1);
    anchors[4 * i + 2] = rng.float(0.05, 0.5);
    anchors[4 * i + 3] = rng.float(0.05, 0.5);
  }
  const b = new CaseBuilder();
  const boxIn = b.input(act('float32', [1, numBoxes, boxStride]), boxes);
  const scoreIn = b.input(act('float32', [1, numBoxes, classStride]), scores);
  const anchorIn = rng.bool(0.7) ? b.constant(act('float32', [numBoxes, 4]), anchors) : b.input(act('float32', [numBoxes, 4]), anchors);
  const outputs = [
    b.output(act('float32', [1, maxDetections, 4])), b.output(act('float32', [1, maxDetections])),
    b.output(act('float32', [1, maxDetections])), b.output(act('float32', [1])),
  ];
  // One class per detection, as converters write it: with more, TFLM and TFLite place fast
  // NMS's outputs differently (TFLM counts categories, TFLite boxes).
  const customOptions = flexbuffersMap([
    ['max_detections', { int: maxDetections }], ['max_classes_per_detection', { int: 1 }],
    ['detections_per_class', { int: detectionsPerClass }], ['use_regular_nms', { bool: regular }],
    ['nms_score_threshold', { float: scoreThreshold }], ['nms_iou_threshold', { float: iouThreshold }],
    ['num_classes', { int: numClasses }],
    ['y_scale', { float: scales[0] }], ['x_scale', { float: scales[1] }], ['h_scale', { float: scales[2] }], ['w_scale', { float: scales[3] }],
  ], { width: 4 });
  b.op({ op: { custom: 'TFLite_Detection_PostProcess' }, inputs: [boxIn, scoreIn, anchorIn], outputs, customOptions });
  const params = { numBoxes, numClasses, background, boxStride, regular, maxDetections, detectionsPerClass, scoreThreshold, iouThreshold, scales, ties };
  const extra: Partial<DiffCase> = regular ? {} : { comparable: detectionsOnly };
  // Regular NMS merges the classes' detections by score: on equal scores TFLite's inplace_merge
  // (comparator >=) puts the later class first, TFLM's partial sort the earlier.
  if (regular && ties) extra.skipReference = 'on tied scores reference TFLite merges regular NMS classes in another order than TFLM';
  return { op: 'TFLite_Detection_PostProcess', type: 'float32', params, model: b.model('differential TFLite_Detection_PostProcess'), inputs: b.inputData, steps: 1, lsbTolerance: 0, ...extra };
};

export const CUSTOM_GENERATORS: Record<string, Generator> = {
  TFLite_Detection_PostProcess: detectionPostProcess,
};
