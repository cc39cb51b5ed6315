// TFLite_Detection_PostProcess (TFLM kernels/detection_postprocess.cc, a custom op): SSD box
// decoding (center-size encodings against anchors, in double, stored as float32) then
// non-max suppression, either "fast" (one NMS over each anchor's best class score, then its top
// classes) or "regular" (one NMS per class, merged by score). float32 only, batch 1, as TFLM.
//
// What TFLM checks in eval (batch, shapes, types, thresholds, per-mode counts) is checked here in
// prepare, so a model that could never run fails at allocateTensors() with a named error; the
// decoded boxes' validity depends on the input values, so that one stays an eval error.
// Every loop is bounded by num_boxes, num_classes and max_detections, which the tensors' sizes
// bound; NMS is TFLM's O(n²) per class.
//
// Fast NMS writes its outputs where TFLM does: box_offset = categories · output_box_index + col
// with output_box_index counting every written category (TFLite counts boxes instead; the two
// agree when max_classes_per_detection is 1, as converted SSD models have it). The outputs must
// hold every offset TFLM can write, or prepare fails.
import { OpError } from '../core/errors.js';
import { flexBool, flexFloat, flexInt, flexMap } from '../core/flexbuffers.js';
import type { Kernel, Node, PrepareContext } from '../core/kernel.js';
import type { Tensor } from '../core/tensor.js';
import { TensorType } from '../core/types.js';

/** TFLM's kNumDetectionsPerClass: detections_per_class when the options leave it out. */
const DEFAULT_DETECTIONS_PER_CLASS = 100;

export interface DetectionPostProcessData {
  opIndex: number;
  boxes: Float32Array;
  boxStride: number;
  scores: Float32Array;
  anchors: Float32Array;
  outBoxes: Float32Array;
  outClasses: Float32Array;
  outScores: Float32Array;
  outCount: Float32Array;
  numBoxes: number;
  numClasses: number;
  /** The class scores' innermost dimension (num_classes, or num_classes + 1 with background). */
  classStride: number;
  labelOffset: number;
  maxDetections: number;
  categories: number;
  detectionsPerClass: number;
  regular: boolean;
  scoreThreshold: number;
  iouThreshold: number;
  yScale: number;
  xScale: number;
  hScale: number;
  wScale: number;
  /** Scratch floats: decoded boxes (4·n), keep scores (n), class scores (n), then regular NMS's merge (2·(maxDet + n)). */
  f: Float32Array;
  /** Scratch ints: keep indices (n), sorted (maxDet + n), selected (n), active (n), then the merged box indices (maxDet + n) or fast NMS's class order (n·classes). */
  i: Int32Array;
  // Offsets into f and i.
  fKeep: number;
  fClass: number;
  fAfter: number;
  fSortedValues: number;
  iKeep: number;
  iSorted: number;
  iSelected: number;
  iActive: number;
  iMerged: number;
}

function option(ctx: PrepareContext, name: string, value: number, ok: boolean, rule: string): number {
  if (!ok) ctx.fail(`option ${name} = ${value} ${rule}`);
  return value;
}

function floatInput(ctx: PrepareContext, t: Tensor | null, i: number, name: string, rank: number): Tensor {
  if (!t) return ctx.fail(`input ${i} (${name}) is missing`);
  if (t.type !== TensorType.FLOAT32) ctx.fail(`${name} ${t.describe()} must be float32 (TFLM's kernel decodes float only)`);
  if (t.rank !== rank) ctx.fail(`${name} ${t.describe()} must have ${rank} dimensions`);
  return t;
}

function floatOutput(ctx: PrepareContext, t: Tensor, name: string, least: number): void {
  if (t.type !== TensorType.FLOAT32) ctx.fail(`${name} ${t.describe()} must be float32`);
  if (t.elementCount < least) ctx.fail(`${name} ${t.describe()} must hold at least ${least} values`);
}

function prepare(ctx: PrepareContext, node: Node): DetectionPostProcessData {
  const m = flexMap(node.customOptions, `${node.opName} (operator ${node.index}) custom options`);
  // flexbuffers' AsInt32/AsFloat of a missing key give 0, as TFLM reads them; AsFloat is float32.
  const maxDetections = option(ctx, 'max_detections', flexInt(m, 'max_detections', 0), true, '');
  const maxClassesPerDetection = flexInt(m, 'max_classes_per_detection', 0);
  const detectionsPerClass = flexInt(m, 'detections_per_class', DEFAULT_DETECTIONS_PER_CLASS);
  const regular = flexBool(m, 'use_regular_nms', false);
  const scoreThreshold = Math.fround(flexFloat(m, 'nms_score_threshold', 0));
  const iouThreshold = Math.fround(flexFloat(m, 'nms_iou_threshold', 0));
  const numClasses = flexInt(m, 'num_classes', 0);
  const yScale = Math.fround(flexFloat(m, 'y_scale', 0)), xScale = Math.fround(flexFloat(m, 'x_scale', 0));
  const hScale = Math.fround(flexFloat(m, 'h_scale', 0)), wScale = Math.fround(flexFloat(m, 'w_scale', 0));

  if (node.inputs.length !== 3) ctx.fail(`has ${node.inputs.length} inputs, expected 3 (box encodings, class predictions, anchors)`);
  if (node.outputs.length !== 4) ctx.fail(`has ${node.outputs.length} outputs, expected 4 (boxes, classes, scores, num_detections)`);
  const boxes = floatInput(ctx, node.inputs[0], 0, 'box encodings', 3);
  const predictions = floatInput(ctx, node.inputs[1], 1, 'class predictions', 3);
  const anchors = floatInput(ctx, node.inputs[2], 2, 'anchors', 2);
  const numBoxes = boxes.shape[1], boxStride = boxes.shape[2], classStride = predictions.shape[2];
  if (boxes.shape[0] !== 1) ctx.fail(`box encodings ${boxes.describe()} must have batch 1`);
  if (boxStride < 4) ctx.fail(`box encodings ${boxes.describe()} must hold at least 4 values per box`);
  if (predictions.shape[0] !== 1 || predictions.shape[1] !== numBoxes) ctx.fail(`class predictions ${predictions.describe()} must be [1, ${numBoxes}, classes]`);
  // TFLM reads anchor i as 4 floats at 4·i, for every box.
  if (anchors.shape[0] !== numBoxes || anchors.shape[1] !== 4) ctx.fail(`anchors ${anchors.describe()} must be [${numBoxes}, 4] (one center-size anchor per box)`);
  option(ctx, 'num_classes', numClasses, numClasses >= 1 && classStride - numClasses <= 1 && classStride >= numClasses,
    `must be ≥ 1 and equal the class predictions' ${classStride} classes, or one fewer (a background class)`);
  option(ctx, 'max_detections', maxDetections, maxDetections >= 0, 'must not be negative');
  option(ctx, 'nms_iou_threshold', iouThreshold, iouThreshold > 0 && iouThreshold <= 1, 'must be in (0, 1]');
  let categories = 1;
  if (regular) {
    option(ctx, 'detections_per_class', detectionsPerClass, detectionsPerClass > 0, 'must be positive for regular NMS');
  } else {
    option(ctx, 'max_classes_per_detection', maxClassesPerDetection, maxClassesPerDetection > 0, 'must be positive for fast NMS');
    categories = Math.min(maxClassesPerDetection, numClasses);
  }
  // Entries TFLM can write: max_detections (regular), or up to categories² · max_detections (fast).
  const entries = regular ? maxDetections : categories * categories * maxDetections;
  if (entries > 0x3fffffff) ctx.fail(`max_detections ${maxDetections} with ${categories} classes per detection is too large`);
  const outputs = node.outputs;
  floatOutput(ctx, outputs[0], 'detection boxes', 4 * entries);
  floatOutput(ctx, outputs[1], 'detection classes', entries);
  floatOutput(ctx, outputs[2], 'detection scores', entries);
  floatOutput(ctx, outputs[3], 'num detections', 1);

  const n = numBoxes, merged = maxDetections + n;
  const fKeep = 4 * n, fClass = fKeep + n, fAfter = fClass + n, fSortedValues = regular ? fAfter + merged : fAfter;
  const fLength = regular ? fSortedValues + merged : fAfter;
  const iKeep = 0, iSorted = n, iSelected = iSorted + merged, iActive = iSelected + n, iMerged = iActive + n;
  const iLength = iMerged + (regular ? merged : n * numClasses);
  if (fLength > 0x3fffffff || iLength > 0x3fffffff) ctx.fail(`${n} boxes and ${numClasses} classes need too much scratch memory`);
  return {
    opIndex: node.index,
    boxes: boxes.data as Float32Array, boxStride, scores: predictions.data as Float32Array, anchors: anchors.data as Float32Array,
    outBoxes: outputs[0].data as Float32Array, outClasses: outputs[1].data as Float32Array,
    outScores: outputs[2].data as Float32Array, outCount: outputs[3].data as Float32Array,
    numBoxes, numClasses, classStride, labelOffset: classStride - numClasses, maxDetections, categories, detectionsPerClass, regular,
    scoreThreshold, iouThreshold, yScale, xScale, hScale, wScale,
    f: ctx.scratch(TensorType.FLOAT32, fLength) as Float32Array,
    i: ctx.scratch(TensorType.INT32, iLength) as Int32Array,
    fKeep, fClass, fAfter, fSortedValues, iKeep, iSorted, iSelected, iActive, iMerged,
  };
}

/** DecodeCenterSizeBoxes: (ymin, xmin, ymax, xmax) of every box into f[0, 4n); false if one is degenerate (ValidateBoxes). */
function decode(d: DetectionPostProcessData): boolean {
  const boxes = d.boxes, anchors = d.anchors, f = d.f, stride = d.boxStride, n = d.numBoxes;
  const ys = d.yScale, xs = d.xScale, hs = d.hScale, ws = d.wScale;
  const fr = Math.fround;
  let valid = true;
  for (let i = 0; i < n; i++) {
    const b = i * stride, a = 4 * i;
    const ah = anchors[a + 2], aw = anchors[a + 3];
    const yc = fr(boxes[b] / ys * ah + anchors[a]);
    const xc = fr(boxes[b + 1] / xs * aw + anchors[a + 1]);
    const hh = fr(0.5 * Math.exp(boxes[b + 2] / hs) * ah);
    const hw = fr(0.5 * Math.exp(boxes[b + 3] / ws) * aw);
    const ymin = fr(yc - hh), xmin = fr(xc - hw), ymax = fr(yc + hh), xmax = fr(xc + hw);
    f[a] = ymin;
    f[a + 1] = xmin;
    f[a + 2] = ymax;
    f[a + 3] = xmax;
    if (ymin >= ymax || xmin >= xmax) valid = false;
  }
  return valid;
}

/** ComputeIntersectionOverUnion of decoded boxes i and j, in float32 as TFLM computes it. */
function iou(f: Float32Array, i: number, j: number): number {
  const fr = Math.fround;
  const a = 4 * i, b = 4 * j;
  const iy0 = f[a], ix0 = f[a + 1], iy1 = f[a + 2], ix1 = f[a + 3];
  const jy0 = f[b], jx0 = f[b + 1], jy1 = f[b + 2], jx1 = f[b + 3];
  const areaI = fr(fr(iy1 - iy0) * fr(ix1 - ix0));
  const areaJ = fr(fr(jy1 - jy0) * fr(jx1 - jx0));
  if (areaI <= 0 || areaJ <= 0) return 0;
  // std::max(a, b) is (a < b) ? b : a; std::min(a, b) is (b < a) ? b : a.
  const y0 = iy0 < jy0 ? jy0 : iy0, x0 = ix0 < jx0 ? jx0 : ix0;
  const y1 = jy1 < iy1 ? jy1 : iy1, x1 = jx1 < ix1 ? jx1 : ix1;
  const h = fr(y1 - y0), w = fr(x1 - x0);
  const inter = fr((h < 0 ? 0 : h) * (w < 0 ? 0 : w));
  return fr(inter / fr(fr(areaI + areaJ) - inter));
}

/**
 * DecreasingPartialArgSort: idx[at, at + k) = the k positions of values[from, from + count)
 * with the highest values, ties by lower position (std::partial_sort with std::tie's order).
 */
function partialArgSort(values: Float32Array, from: number, count: number, k: number, idx: Int32Array, at: number): void {
  if (k <= 0) return;
  let filled = 0;
  for (let p = 0; p < count; p++) {
    const v = values[from + p];
    let q: number;
    if (filled < k) {
      q = filled++;
    } else {
      if (!(v > values[from + idx[at + k - 1]])) continue;
      q = k - 1;
    }
    while (q > 0 && values[from + idx[at + q - 1]] < v) {
      idx[at + q] = idx[at + q - 1];
      q--;
    }
    idx[at + q] = p;
  }
}

/**
 * DecreasingArgSort: idx[at, at + count) = 0..count-1 ordered by decreasing values[from + p],
 * stable (TFLM's merge sort is); bottom-up merges through tmp[tmpAt, tmpAt + count).
 */
function stableArgSort(values: Float32Array, from: number, count: number, idx: Int32Array, at: number, tmp: Int32Array, tmpAt: number): void {
  for (let p = 0; p < count; p++) idx[at + p] = p;
  let src = idx, srcAt = at, dst = tmp, dstAt = tmpAt;
  for (let width = 1; width < count; width *= 2) {
    for (let lo = 0; lo < count; lo += 2 * width) {
      const mid = Math.min(lo + width, count), hi = Math.min(lo + 2 * width, count);
      let l = lo, r = mid, o = lo;
      while (l < mid && r < hi) {
        // The right element goes first only if strictly greater: equal scores keep their order.
        if (values[from + src[srcAt + r]] > values[from + src[srcAt + l]]) dst[dstAt + o++] = src[srcAt + r++];
        else dst[dstAt + o++] = src[srcAt + l++];
      }
      while (l < mid) dst[dstAt + o++] = src[srcAt + l++];
      while (r < hi) dst[dstAt + o++] = src[srcAt + r++];
    }
    const s = src, sAt = srcAt;
    src = dst; srcAt = dstAt; dst = s; dstAt = sAt;
  }
  if (src !== idx || srcAt !== at) for (let p = 0; p < count; p++) idx[at + p] = src[srcAt + p];
}

/**
 * NonMaxSuppressionSingleClassHelper over scores f[from, from + n): writes the selected boxes to
 * i[iSelected...] and returns how many.
 */
function nmsSingleClass(d: DetectionPostProcessData, from: number, maxDetections: number): number {
  const f = d.f, ints = d.i, n = d.numBoxes, threshold = d.scoreThreshold, iouThreshold = d.iouThreshold;
  const fKeep = d.fKeep, iKeep = d.iKeep, iSorted = d.iSorted, iSelected = d.iSelected, iActive = d.iActive;
  let kept = 0;
  for (let p = 0; p < n; p++) {
    const v = f[from + p];
    if (v >= threshold) {
      f[fKeep + kept] = v;
      ints[iKeep + kept] = p;
      kept++;
    }
  }
  // keep indices serve as the sort's scratch, then are written again, as in TFLM.
  stableArgSort(f, fKeep, kept, ints, iSorted, ints, iKeep);
  kept = 0;
  for (let p = 0; p < n; p++) if (f[from + p] >= threshold) ints[iKeep + kept++] = p;
  const outputSize = kept < maxDetections ? kept : maxDetections;
  let selected = 0, active = kept;
  for (let r = 0; r < kept; r++) ints[iActive + r] = 1;
  for (let a = 0; a < kept; a++) {
    if (active === 0 || selected >= outputSize) break;
    if (ints[iActive + a] !== 1) continue;
    const boxA = ints[iKeep + ints[iSorted + a]];
    ints[iSelected + selected++] = boxA;
    ints[iActive + a] = 0;
    active--;
    for (let b = a + 1; b < kept; b++) {
      if (ints[iActive + b] === 1 && iou(f, boxA, ints[iKeep + ints[iSorted + b]]) > iouThreshold) {
        ints[iActive + b] = 0;
        active--;
      }
    }
  }
  return selected;
}

function copyBox(f: Float32Array, box: number, out: Float32Array, at: number): void {
  out[4 * at] = f[4 * box];
  out[4 * at + 1] = f[4 * box + 1];
  out[4 * at + 2] = f[4 * box + 2];
  out[4 * at + 3] = f[4 * box + 3];
}

function regularNms(d: DetectionPostProcessData): void {
  const f = d.f, ints = d.i, scores = d.scores, n = d.numBoxes, stride = d.classStride, offset = d.labelOffset;
  const maxDetections = d.maxDetections, fClass = d.fClass, fAfter = d.fAfter, fSortedValues = d.fSortedValues;
  const iSorted = d.iSorted, iSelected = d.iSelected, iMerged = d.iMerged;
  let sortedCount = 0;
  for (let col = 0; col < d.numClasses; col++) {
    for (let row = 0; row < n; row++) f[fClass + row] = scores[row * stride + col + offset];
    const selected = nmsSingleClass(d, fClass, d.detectionsPerClass);
    let count = sortedCount;
    for (let s = 0; s < selected; s++) {
      const box = ints[iSelected + s];
      ints[iMerged + count] = box * stride + col + offset;
      f[fAfter + count] = f[fClass + box];
      count++;
    }
    const keep = count < maxDetections ? count : maxDetections;
    partialArgSort(f, fAfter, count, keep, ints, iSorted);
    for (let r = 0; r < keep; r++) {
      const t = ints[iSorted + r];
      ints[iSorted + r] = ints[iMerged + t];
      f[fSortedValues + r] = f[fAfter + t];
    }
    for (let r = 0; r < keep; r++) {
      ints[iMerged + r] = ints[iSorted + r];
      f[fAfter + r] = f[fSortedValues + r];
    }
    sortedCount = keep;
  }
  const outBoxes = d.outBoxes, outClasses = d.outClasses, outScores = d.outScores;
  for (let o = 0; o < maxDetections; o++) {
    if (o < sortedCount) {
      const merged = ints[iMerged + o];
      const anchor = Math.floor(merged / stride);
      copyBox(f, anchor, outBoxes, o);
      outClasses[o] = merged - anchor * stride - offset;
      outScores[o] = f[fAfter + o];
    } else {
      outBoxes[4 * o] = 0;
      outBoxes[4 * o + 1] = 0;
      outBoxes[4 * o + 2] = 0;
      outBoxes[4 * o + 3] = 0;
      outClasses[o] = 0;
      outScores[o] = 0;
    }
  }
  d.outCount[0] = sortedCount;
}

function fastNms(d: DetectionPostProcessData): void {
  const f = d.f, ints = d.i, scores = d.scores, n = d.numBoxes, stride = d.classStride, offset = d.labelOffset;
  const numClasses = d.numClasses, categories = d.categories, fClass = d.fClass, iMerged = d.iMerged;
  for (let row = 0; row < n; row++) {
    const from = row * stride + offset, order = iMerged + row * numClasses;
    partialArgSort(scores, from, numClasses, categories, ints, order);
    f[fClass + row] = scores[from + ints[order]];
  }
  const selected = nmsSingleClass(d, fClass, d.maxDetections);
  const outBoxes = d.outBoxes, outClasses = d.outClasses, outScores = d.outScores, iSelected = d.iSelected;
  let written = 0;
  for (let s = 0; s < selected; s++) {
    const box = ints[iSelected + s];
    const from = box * stride + offset, order = iMerged + box * numClasses;
    for (let col = 0; col < categories; col++) {
      const at = categories * written + col;
      copyBox(f, box, outBoxes, at);
      outClasses[at] = ints[order + col];
      outScores[at] = scores[from + ints[order + col]];
      written++;
    }
  }
  d.outCount[0] = written;
}

function evaluate(d: DetectionPostProcessData): void {
  if (!decode(d)) {
    throw new OpError('TFLite_Detection_PostProcess', d.opIndex, 'a decoded box is empty or inverted (ymin >= ymax or xmin >= xmax): TFLM\'s ValidateBoxes refuses it');
  }
  if (d.regular) regularNms(d);
  else fastNms(d);
}

export const TFLite_Detection_PostProcess: Kernel<DetectionPostProcessData> = Object.freeze({
  code: 32, name: 'TFLite_Detection_PostProcess', types: Object.freeze(['float32']), prepare, eval: evaluate,
});
