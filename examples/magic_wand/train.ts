// Trains the magic wand's gesture CNN with TensorFlow.js (pure JS cpu backend) on the host, on
// gestures.ts's synthetic traces generated at train time (seeded: the same run gives the same
// data and the same start). Two Conv1D + max pool blocks, a small Dense head, softmax over the
// four labels: about 3 k weights, so int8 it is a few KB and one inference a few hundred
// thousand multiply-adds.
import * as tf from '@tensorflow/tfjs';
import { AXES, LABELS, SAMPLES, generate, type GestureSet } from './gestures.js';

export interface TrainOptions {
  /** Training examples (the four labels in equal shares). Default 1600. */
  count?: number;
  epochs?: number;
  /** Seed of the training data; the weights' initializers take seed + 1…. Default 1. */
  seed?: number;
  log?: (line: string) => void;
}

export interface TrainResult {
  model: tf.Sequential;
  data: GestureSet;
  loss: number;
  accuracy: number;
}

/** The cpu backend greets Node users with a note about tfjs-node; prod mode silences it. */
export async function quietTfjs(): Promise<void> {
  tf.enableProdMode();
  await tf.setBackend('cpu');
}

export function buildModel(seed: number): tf.Sequential {
  const init = (k: number) => tf.initializers.glorotUniform({ seed: seed + k });
  const model = tf.sequential();
  // 25 Hz → 12.5 Hz first: a gesture still spans 12–28 steps, and training costs half as much.
  model.add(tf.layers.averagePooling1d({ inputShape: [SAMPLES, AXES], poolSize: 2, name: 'downsample' }));
  model.add(tf.layers.conv1d({ filters: 8, kernelSize: 5, padding: 'same', activation: 'relu', kernelInitializer: init(1), name: 'conv1' }));
  model.add(tf.layers.maxPooling1d({ poolSize: 4, name: 'pool1' }));
  model.add(tf.layers.conv1d({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(2), name: 'conv2' }));
  model.add(tf.layers.maxPooling1d({ poolSize: 2, name: 'pool2' }));
  model.add(tf.layers.flatten({ name: 'flatten' }));
  model.add(tf.layers.dense({ units: 16, activation: 'relu', kernelInitializer: init(3), name: 'dense1' }));
  model.add(tf.layers.dense({ units: LABELS.length, activation: 'softmax', kernelInitializer: init(4), name: 'scores' }));
  return model;
}

export async function train(options: TrainOptions = {}): Promise<TrainResult> {
  await quietTfjs();
  const count = options.count ?? 1600, epochs = options.epochs ?? 14, seed = options.seed ?? 1;
  const log = options.log ?? ((line: string) => console.log(line));
  const data = generate(count, seed);
  const model = buildModel(seed);
  const optimizer = tf.train.adam(0.01);
  model.compile({ optimizer, loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const xs = tf.tensor3d(data.data, [count, SAMPLES, AXES]);
  const ys = tf.tensor1d(Array.from(data.labels), 'float32');
  let loss = NaN, accuracy = NaN;
  const width = String(epochs).length;
  let started = 0;
  await model.fit(xs, ys, {
    epochs,
    batchSize: 64,
    // The data come in a seeded random order already; tfjs's own shuffle is not seeded.
    shuffle: false,
    verbose: 0,
    callbacks: {
      onEpochBegin: async () => { started = Date.now(); },
      onEpochEnd: async (epoch, logs) => {
        // The last 30% of the epochs at a fifth of the rate: the loss settles instead of jumping around.
        if (epoch + 1 === Math.round(epochs * 0.7)) (optimizer as unknown as { learningRate: number }).learningRate = 0.002;
        loss = logs?.loss ?? NaN;
        accuracy = (logs?.acc ?? logs?.accuracy ?? NaN) as number;
        log(`Epoch ${String(epoch + 1).padStart(width)}/${epochs} - ${((Date.now() - started) / 1000).toFixed(1)}s - loss: ${loss.toFixed(4)} - accuracy: ${accuracy.toFixed(4)}`);
      },
    },
  });
  xs.dispose();
  ys.dispose();
  return { model, data, loss, accuracy };
}

/** The float model's class per example (argmax), batch by batch. */
export function predictClasses(model: tf.LayersModel, set: GestureSet): Uint8Array {
  const out = new Uint8Array(set.count);
  const batch = 256;
  for (let start = 0; start < set.count; start += batch) {
    const n = Math.min(batch, set.count - start);
    const classes = tf.tidy(() => {
      const x = tf.tensor3d(set.data.subarray(start * SAMPLES * AXES, (start + n) * SAMPLES * AXES), [n, SAMPLES, AXES]);
      return (model.predict(x) as tf.Tensor).argMax(-1).dataSync();
    });
    out.set(classes, start);
  }
  return out;
}

/** Representative inputs for int8 calibration: every k-th training example, as flat rows. */
export function representativeRows(set: GestureSet, rows = 200): Float32Array[] {
  const step = Math.max(1, Math.floor(set.count / rows));
  const out: Float32Array[] = [];
  for (let i = 0; i < set.count && out.length < rows; i += step) out.push(set.data.slice(i * SAMPLES * AXES, (i + 1) * SAMPLES * AXES));
  return out;
}
