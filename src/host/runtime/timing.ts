// One way to time a call on the host, shared by the benchmark's Node and reference-TFLite figures
// so that both are measured alike.
import { performance } from 'node:perf_hooks';

/** Calls `fn` 3 times to warm up, then until about `budgetMs` have passed (at least `min` times); median ms per call. */
export function medianMs(fn: () => void, budgetMs: number, min = 5): number {
  for (let i = 0; i < 3; i++) fn();
  const samples: number[] = [];
  const end = performance.now() + budgetMs;
  while (samples.length < min || (performance.now() < end && samples.length < 10000)) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}
