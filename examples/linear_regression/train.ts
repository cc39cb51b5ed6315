// Trains the seed's linear regression with TensorFlow.js (pure JS cpu backend) on the host:
// a one-unit Dense layer, SGD, mean squared error, 200 epochs, progress printed as Keras does.
import * as tf from '@tensorflow/tfjs';

/** The seed's data: y = 2x - 1. */
export const TRAIN_X: readonly number[] = [-1, 0, 1, 2, 3, 4];
export const TRAIN_Y: readonly number[] = [-3, -1, 1, 3, 5, 7];

export interface TrainOptions {
  epochs?: number;
  /**
   * Plain SGD on these six points (one full batch per epoch) is stable below about 0.18; 0.1
   * shrinks the slowest error mode by ~10% an epoch, so 200 epochs take it from a random start
   * to about 1e-8.
   */
  learningRate?: number;
  /** Seed of the initial weights, so runs are repeatable. */
  seed?: number;
  /** Where progress lines go. Default: console.log. */
  log?: (line: string) => void;
  /** Print every n-th epoch (and the first and last); 1 prints them all, as Keras's verbose=1. */
  logEvery?: number;
}

export interface TrainResult {
  model: tf.Sequential;
  weight: number;
  bias: number;
  loss: number;
}

let quieted = false;

/** The cpu backend greets Node users with a note about tfjs-node; prod mode silences it. */
export function quietTfjs(): void {
  if (quieted) return;
  quieted = true;
  tf.enableProdMode();
}

export async function train(options: TrainOptions = {}): Promise<TrainResult> {
  quietTfjs();
  await tf.setBackend('cpu');
  const epochs = options.epochs ?? 200;
  const log = options.log ?? ((line: string) => console.log(line));
  const every = Math.max(1, options.logEvery ?? 1);
  const seed = options.seed ?? 42;

  const model = tf.sequential();
  model.add(tf.layers.dense({
    units: 1,
    inputShape: [1],
    kernelInitializer: tf.initializers.glorotUniform({ seed }),
    biasInitializer: 'zeros',
    name: 'dense',
  }));
  model.compile({ optimizer: tf.train.sgd(options.learningRate ?? 0.1), loss: 'meanSquaredError' });

  const xs = tf.tensor2d(TRAIN_X as number[], [TRAIN_X.length, 1]);
  const ys = tf.tensor2d(TRAIN_Y as number[], [TRAIN_Y.length, 1]);
  const width = String(epochs).length;
  let started = 0;
  let loss = NaN;
  await model.fit(xs, ys, {
    epochs,
    batchSize: 32,
    shuffle: false,
    verbose: 0,
    callbacks: {
      onEpochBegin: async () => { started = Date.now(); },
      onEpochEnd: async (epoch, logs) => {
        loss = logs?.loss ?? NaN;
        const n = epoch + 1;
        if (n === 1 || n === epochs || n % every === 0) {
          const ms = Date.now() - started;
          log(`Epoch ${String(n).padStart(width)}/${epochs}`);
          log(`1/1 [==============================] - 0s ${ms}ms/step - loss: ${loss.toFixed(4)}`);
        }
      },
    },
  });
  xs.dispose();
  ys.dispose();
  const [kernel, bias] = model.getWeights();
  const weight = kernel.dataSync()[0];
  const b = bias.dataSync()[0];
  log(`Learned weight: ${weight.toFixed(4)}, bias: ${b.toFixed(4)} (true line: y = 2x - 1)`);
  return { model, weight, bias: b, loss };
}
