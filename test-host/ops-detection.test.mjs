// TFLite_Detection_PostProcess (TFLM's custom op) on Node and in XS (which must agree to the bit),
// against TFLM's kernels/detection_postprocess_test.cc: its inputs, its options (the generated
// flexbuffers of test_data_generation/generate_detection_postprocess_flexbuffers_data.cc) and its
// expected outputs with its tolerances, copied here (TFLM's numbers, not ours). Then what TFLM
// leaves unchecked or checks only in eval: named prepare errors, hostile sizes, degenerate boxes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Interpreter, OpError, ArenaError } from './lib/tflite.mjs';
import { allOps } from './lib/kernels-all.mjs';
import { writeModel, XsEngine } from './lib/host.mjs';
import { flexbuffersMap } from './lib/flexbuffers-writer.mjs';

let xs = null;
before(async () => { xs = await XsEngine.start(); });
after(async () => { if (xs) await xs.close(); });

const bytesOf = v => new Uint8Array(v.buffer, v.byteOffset, v.byteLength).slice();

/** TFLM's generated options (Float values are flexbuffers floats, stored as float32 here). */
function tflmOptions(regular, overrides = {}) {
  const o = {
    max_detections: { int: 3 }, max_classes_per_detection: { int: 1 }, detections_per_class: { int: 1 },
    use_regular_nms: { bool: regular }, nms_score_threshold: { float: 0.0 }, nms_iou_threshold: { float: 0.5 },
    num_classes: { int: 2 }, y_scale: { float: 10.0 }, x_scale: { float: 10.0 }, h_scale: { float: 5.0 }, w_scale: { float: 5.0 },
    ...overrides,
  };
  return flexbuffersMap(Object.entries(o).filter(([, v]) => v !== undefined), { width: 4 });
}

function model(shapes, customOptions, constantAnchors = null) {
  const [boxShape, classShape, anchorShape, outBoxes = [1, 3, 4], outClasses = [1, 3], outScores = [1, 3], outCount = [1]] = shapes;
  const tensors = [
    { type: 'float32', shape: boxShape }, { type: 'float32', shape: classShape },
    { type: 'float32', shape: anchorShape, data: constantAnchors ?? undefined },
    { type: 'float32', shape: outBoxes }, { type: 'float32', shape: outClasses }, { type: 'float32', shape: outScores }, { type: 'float32', shape: outCount },
  ];
  const inputs = constantAnchors ? [0, 1] : [0, 1, 2];
  return writeModel({ subgraphs: [{ tensors, inputs, outputs: [3, 4, 5, 6], operators: [{ op: { custom: 'TFLite_Detection_PostProcess' }, inputs: [0, 1, 2], outputs: [3, 4, 5, 6], customOptions }] }] });
}

/** Runs on Node and XS; returns Node's four outputs after checking XS wrote the same bytes. */
async function run(bytes, inputs) {
  const it = new Interpreter(bytes, { resolver: allOps() }).allocateTensors();
  inputs.forEach((v, i) => it.input(i).data.set(v));
  it.invoke();
  const outs = [0, 1, 2, 3].map(i => it.output(i).data.slice());
  const loaded = await xs.load(bytes);
  const result = await xs.run(inputs.map(v => bytesOf(Float32Array.from(v))), 1, loaded.outputs.map(o => o.byteLength));
  outs.forEach((o, i) => assert.deepEqual(result.outputs[i], bytesOf(o), `XS output ${i} differs from Node's`));
  return outs.map(o => Array.from(o));
}

function near(actual, golden, tolerance, what) {
  assert.equal(actual.length, golden.length, what);
  golden.forEach((g, i) => assert.ok(Math.abs(actual[i] - g) <= tolerance + 1e-7 * Math.abs(g), `${what}[${i}]: ${actual[i]} vs TFLM's ${g} (tolerance ${tolerance})`));
}

// ---- detection_postprocess_test.cc ----
const INPUT_SHAPE1 = [1, 6, 4], INPUT_SHAPE2 = [1, 6, 3], INPUT_SHAPE3 = [6, 4];
const INPUT_DATA1 = [0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, -1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0];
const INPUT_DATA2 = [0., .9, .8, 0., .75, .72, 0., .6, .5, 0., .93, .95, 0., .5, .4, 0., .3, .2];
const INPUT_DATA3 = [0.5, 0.5, 1.0, 1.0, 0.5, 0.5, 1.0, 1.0, 0.5, 0.5, 1.0, 1.0, 0.5, 10.5, 1.0, 1.0, 0.5, 10.5, 1.0, 1.0, 0.5, 100.5, 1.0, 1.0];
const GOLDEN1 = [0.0, 10.0, 1.0, 11.0, 0.0, 0.0, 1.0, 1.0, 0.0, 100.0, 1.0, 101.0];
const GOLDEN2 = [1, 0, 0];
const GOLDEN3 = [0.95, 0.9, 0.3];
const GOLDEN4 = [3.0];
const REGULAR_GOLDEN1 = [0.0, 10.0, 1.0, 11.0, 0.0, 10.0, 1.0, 11.0, 0.0, 0.0, 0.0, 0.0];
const REGULAR_GOLDEN3 = [0.95, 0.9, 0.0];
const REGULAR_GOLDEN4 = [2.0];
const KEYPOINT_BOXES = [0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 1.0, 0.0, 0.0, 1.0, 0.0, -1.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 1.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0];
const NO_BACKGROUND_SCORES = [.9, .8, .75, .72, .6, .5, .93, .95, .5, .4, .3, .2];

const CASES = [
  ['DetectionPostprocessFloatFastNMS', false, INPUT_SHAPE1, INPUT_DATA1, INPUT_SHAPE2, INPUT_DATA2, [GOLDEN1, GOLDEN2, GOLDEN3, GOLDEN4], 0],
  ['DetectionPostprocessFloatRegularNMS', true, INPUT_SHAPE1, INPUT_DATA1, INPUT_SHAPE2, INPUT_DATA2, [REGULAR_GOLDEN1, GOLDEN2, REGULAR_GOLDEN3, REGULAR_GOLDEN4], 1e-1],
  ['DetectionPostprocessFloatFastNMSwithNoBackgroundClassAndKeypoints', false, [1, 6, 5], KEYPOINT_BOXES, [1, 6, 2], NO_BACKGROUND_SCORES, [GOLDEN1, GOLDEN2, GOLDEN3, GOLDEN4], 0],
  ['DetectionPostprocessFloatRegularNMSwithNoBackgroundClassAndKeypoints', true, INPUT_SHAPE1, INPUT_DATA1, [1, 6, 2], NO_BACKGROUND_SCORES, [REGULAR_GOLDEN1, GOLDEN2, REGULAR_GOLDEN3, REGULAR_GOLDEN4], 1e-1],
  ['DetectionPostprocessFloatFastNMSWithBackgroundClassAndKeypoints', false, [1, 6, 5], KEYPOINT_BOXES, INPUT_SHAPE2, INPUT_DATA2, [GOLDEN1, GOLDEN2, GOLDEN3, GOLDEN4], 0],
  ['DetectionPostprocessFloatFNMSSwithNoBackgroundClassAndKeypointsStableSort', false, [1, 6, 5], KEYPOINT_BOXES, [1, 6, 2],
    [0.015625, 0.007812, 0.003906, 0.015625, 0.015625, 0.007812, 0.019531, 0.019531, 0.007812, 0.003906, 0.003906, 0.003906],
    [GOLDEN1, [0, 0, 0], [0.0196078, 0.0156863, 0.00392157], GOLDEN4], 3e-1],
];

for (const [name, regular, boxShape, boxes, classShape, scores, goldens, tolerance] of CASES) {
  test(`TFLite_Detection_PostProcess ${name} (TFLM detection_postprocess_test.cc)`, async () => {
    const outs = await run(model([boxShape, classShape, INPUT_SHAPE3], tflmOptions(regular)), [boxes, scores, INPUT_DATA3]);
    outs.forEach((o, i) => near(o, goldens[i], tolerance, `output ${i}`));
  });
}

test('TFLite_Detection_PostProcess: TFLM\'s tolerance-0 cases are exact float32 values, anchors as a constant too', async () => {
  const anchors = Float32Array.from(INPUT_DATA3);
  const outs = await run(model([INPUT_SHAPE1, INPUT_SHAPE2, INPUT_SHAPE3], tflmOptions(false), anchors), [INPUT_DATA1, INPUT_DATA2]);
  assert.deepEqual(outs[0], Array.from(Float32Array.from(GOLDEN1)));
  assert.deepEqual(outs[2], Array.from(Float32Array.from([0.95, 0.9, 0.3])));
});

test('TFLite_Detection_PostProcess stable sort: equal scores keep box order (fast and regular NMS)', async () => {
  // Six disjoint boxes with one score: NMS keeps them all, in box order.
  const anchors = Array.from({ length: 6 }, (_, i) => [0.5, 0.5 + 10 * i, 1, 1]).flat();
  const scores = new Array(6).fill([0, 0.5]).flat();
  for (const regular of [false, true]) {
    const options = tflmOptions(regular, { max_detections: { int: 4 }, detections_per_class: { int: 10 }, num_classes: { int: 1 } });
    const outs = await run(model([[1, 6, 4], [1, 6, 2], [6, 4], [1, 4, 4], [1, 4], [1, 4], [1]], options), [new Array(24).fill(0), scores, anchors]);
    assert.deepEqual(outs[0].filter((_, i) => i % 4 === 1), [0, 10, 20, 30], `regular ${regular}: boxes in anchor order`);
    assert.deepEqual(outs[3], [4]);
  }
});

test('TFLite_Detection_PostProcess fast NMS with 2 classes per detection writes where TFLM writes', async () => {
  // TFLM: box_offset = categories · output_box_index + col, output_box_index counting categories.
  const options = tflmOptions(false, { max_detections: { int: 2 }, max_classes_per_detection: { int: 2 }, num_classes: { int: 2 } });
  const anchors = [0.5, 0.5, 1, 1, 0.5, 10.5, 1, 1];
  const bytes = model([[1, 2, 4], [1, 2, 3], [2, 4], [1, 8, 4], [1, 8], [1, 8], [1]], options);
  const outs = await run(bytes, [new Array(8).fill(0), [0, 0.9, 0.2, 0, 0.3, 0.8], anchors]);
  assert.deepEqual(outs[3], [4]);
  // Box 0 (scores 0.9, 0.2): offsets 0 and 3; box 1 (0.8 for class 1, 0.3): offsets 4 and 7.
  assert.deepEqual([outs[1][0], outs[1][3], outs[1][4], outs[1][7]], [0, 1, 1, 0]);
  assert.deepEqual([outs[2][0], outs[2][3], outs[2][4], outs[2][7]].map(v => Math.fround(v)), [0.9, 0.2, 0.8, 0.3].map(Math.fround));
  // The same model whose outputs hold max_detections · categories entries only is refused.
  const small = model([[1, 2, 4], [1, 2, 3], [2, 4], [1, 4, 4], [1, 4], [1, 4], [1]], options);
  assert.throws(() => new Interpreter(small, { resolver: allOps() }).allocateTensors(), e => e instanceof OpError && /detection boxes .* must hold at least 32 values/.test(e.message));
});

// ---- prepare errors, hostile inputs ----
function prepareError(bytes, options = {}) {
  try {
    new Interpreter(bytes, { resolver: allOps(), ...options }).allocateTensors();
  } catch (error) {
    return error;
  }
  return null;
}

test('TFLite_Detection_PostProcess prepare errors are named: shapes, types, options', () => {
  const base = [INPUT_SHAPE1, INPUT_SHAPE2, INPUT_SHAPE3];
  const cases = [
    [[[1, 6, 4], [1, 6, 3], [5, 4]], tflmOptions(false), /anchors .* must be \[6, 4\]/],
    [[[1, 6, 4], [1, 6, 3], [6, 3]], tflmOptions(false), /anchors .* must be \[6, 4\]/],
    [[[1, 6, 4], [1, 6, 3], [24]], tflmOptions(false), /anchors .* must have 2 dimensions/],
    [[[2, 6, 4], [2, 6, 3], [6, 4]], tflmOptions(false), /batch 1/],
    [[[1, 6, 3], [1, 6, 3], [6, 4]], tflmOptions(false), /at least 4 values per box/],
    [[[1, 6, 4], [1, 5, 3], [6, 4]], tflmOptions(false), /class predictions .* must be \[1, 6, classes\]/],
    [base, tflmOptions(false, { num_classes: { int: 5 } }), /num_classes = 5/],
    [base, tflmOptions(false, { num_classes: { int: 0 } }), /num_classes = 0/],
    [base, tflmOptions(false, { num_classes: undefined }), /num_classes = 0/],
    [base, tflmOptions(false, { max_detections: { int: -1 } }), /max_detections = -1/],
    [base, tflmOptions(false, { nms_iou_threshold: { float: 0 } }), /nms_iou_threshold = 0 must be in \(0, 1\]/],
    [base, tflmOptions(false, { nms_iou_threshold: { float: 1.5 } }), /nms_iou_threshold/],
    [base, tflmOptions(false, { max_classes_per_detection: { int: 0 } }), /max_classes_per_detection = 0/],
    [base, tflmOptions(true, { detections_per_class: { int: 0 } }), /detections_per_class = 0/],
    [base, tflmOptions(false, { max_detections: { int: 4 } }), /detection boxes .* must hold at least 16 values/],
    [base, tflmOptions(false, { max_detections: { int: 2147483647 } }), /too large|must hold/],
    [base, tflmOptions(false, { num_classes: { int: 2147483647 } }), /num_classes = 2147483647/],
  ];
  for (const [shapes, options, re] of cases) {
    const error = prepareError(model(shapes, options));
    assert.ok(error instanceof OpError && re.test(error.message), `${re}: got ${error}`);
  }
  // int8 inputs: TFLM's kernel decodes float only.
  const tensors = [
    { type: 'int8', shape: [1, 6, 4], scale: 0.1, zeroPoint: 0 }, { type: 'float32', shape: [1, 6, 3] }, { type: 'float32', shape: [6, 4] },
    { type: 'float32', shape: [1, 3, 4] }, { type: 'float32', shape: [1, 3] }, { type: 'float32', shape: [1, 3] }, { type: 'float32', shape: [1] },
  ];
  const int8 = writeModel({ subgraphs: [{ tensors, inputs: [0, 1, 2], outputs: [3, 4, 5, 6], operators: [{ op: { custom: 'TFLite_Detection_PostProcess' }, inputs: [0, 1, 2], outputs: [3, 4, 5, 6], customOptions: tflmOptions(false) }] }] });
  assert.match(String(prepareError(int8)), /box encodings .* must be float32/);
  assert.ok(prepareError(model([INPUT_SHAPE1, INPUT_SHAPE2, INPUT_SHAPE3], null)) !== null, 'missing custom options are an error');
});

test('TFLite_Detection_PostProcess hostile sizes: zero boxes run, huge ones are an arena error, not a hang', async () => {
  const outs = await run(model([[1, 0, 4], [1, 0, 3], [0, 4]], tflmOptions(true)), [[], [], []]);
  assert.deepEqual(outs[3], [0]);
  assert.deepEqual(outs[2], [0, 0, 0]);
  const fast = await run(model([[1, 0, 4], [1, 0, 3], [0, 4]], tflmOptions(false)), [[], [], []]);
  assert.deepEqual(fast[3], [0]);
  // 4 million boxes: the scratch alone is over 100 MB; refused by the arena bound before any loop.
  const huge = model([[1, 4000000, 4], [1, 4000000, 3], [4000000, 4]], tflmOptions(false));
  const error = prepareError(huge, { maxArenaBytes: 1 << 24 });
  assert.ok(error instanceof ArenaError || error instanceof OpError, `got ${error}`);
});

test('TFLite_Detection_PostProcess: a degenerate decoded box is an eval error naming the op, as TFLM\'s ValidateBoxes', () => {
  const it = new Interpreter(model([INPUT_SHAPE1, INPUT_SHAPE2, INPUT_SHAPE3], tflmOptions(false)), { resolver: allOps() }).allocateTensors();
  const anchors = INPUT_DATA3.slice();
  anchors[2] = 0; // zero height: ymin == ymax
  it.input(0).data.set(INPUT_DATA1);
  it.input(1).data.set(INPUT_DATA2);
  it.input(2).data.set(anchors);
  assert.throws(() => it.invoke(), e => e instanceof OpError && /TFLite_Detection_PostProcess.*ymin >= ymax/.test(e.message));
  // Valid again, it runs again.
  it.input(2).data.set(INPUT_DATA3);
  it.invoke();
  assert.deepEqual(Array.from(it.output(3).data), [3]);
});

test('TFLite_Detection_PostProcess: many overlapping boxes and classes stay bounded (regular NMS, 300 boxes × 20 classes)', async () => {
  const n = 300, classes = 20;
  let seed = 11;
  const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
  const boxes = Array.from({ length: n * 4 }, () => rnd() - 0.5);
  const scores = Array.from({ length: n * (classes + 1) }, () => rnd());
  const anchors = Array.from({ length: n }, () => [rnd(), rnd(), 0.1 + rnd() * 0.3, 0.1 + rnd() * 0.3]).flat();
  const options = tflmOptions(true, { max_detections: { int: 10 }, detections_per_class: { int: 100 }, num_classes: { int: classes }, nms_score_threshold: { float: 0.3 } });
  const outs = await run(model([[1, n, 4], [1, n, classes + 1], [n, 4], [1, 10, 4], [1, 10], [1, 10], [1]], options), [boxes, scores, anchors]);
  assert.equal(outs[3][0], 10);
  for (let i = 1; i < 10; i++) assert.ok(outs[2][i] <= outs[2][i - 1], 'scores decrease');
});
