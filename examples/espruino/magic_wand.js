// The magic_wand example's gesture model (examples/magic_wand/model.tflite, int8) on Espruino,
// through the Model component of the "tflite-xs" module, on the four held-out traces
// (examples/magic_wand/traces.bin: wing, ring, slope, negative; 128 samples of x, y, z each, int16
// little-endian milli-g). On the Linux build, from a folder holding node_modules/tflite-xs.js,
// magic_wand.tflite and traces.bin:  espruino magic_wand.js
var tf = require("tflite-xs");
var LABELS = ["wing", "ring", "slope", "negative"];
var SAMPLES = 128;  // the model takes g, as the app's ring holds them
function read(file) {
  var bytes = typeof require("Storage").read === "function" && require("Storage").read(file);
  return bytes || require("fs").readFileSync(file);
}
// Two decimals, printed alike by Espruino and Node (Espruino's toFixed truncates).
function round2(v) {
  return Math.round(v * 100) / 100;
}
var model = new tf.Model({ model: tf.modelBytes(read("magic_wand.tflite")), kernels: tf.ESPRUINO_KERNELS });
print("arena", model.arenaBytes, "bytes");
var traces = new DataView(E.toArrayBuffer(read("traces.bin")));
var window = new Float32Array(SAMPLES * 3);
var scores = new Float32Array(LABELS.length);
for (var t = 0; t < LABELS.length; t++) {
  for (var i = 0; i < window.length; i++) window[i] = traces.getInt16((t * window.length + i) * 2, true) / 1000;
  var t0 = getTime();
  model.predict(window, scores);
  var ms = (getTime() - t0) * 1000;
  var best = 0;
  for (var k = 1; k < scores.length; k++) if (scores[k] > scores[best]) best = k;
  print("trace", LABELS[t], "->", LABELS[best], "scores", round2(scores[0]), round2(scores[1]), round2(scores[2]), round2(scores[3]));
}
