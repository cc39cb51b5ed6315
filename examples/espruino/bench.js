// Cost per invoke of a model in tflite-xs against Espruino's own "tensorflow" module (TFLM in
// C++, where the firmware has it, as the Linux build does), same model and input. README's
// Espruino figures come from this, on the Linux build:
//   espruino bench.js        (node_modules/tflite-xs.js, hello_world.tflite, micro_speech.tflite
//                             and micro_speech_input.bin, the golden case's input0.bin, here)
var fs = require("fs");
function bench(file, inputFile, tensorflowArena, runs) {
  var bytes = E.toFlatString(fs.readFileSync(file));
  var input = inputFile ? E.toUint8Array(fs.readFileSync(inputFile)) : new Uint8Array(1);
  var t0 = getTime();
  var it = require("tflite-xs").create(bytes);
  var createMs = (getTime() - t0) * 1000;
  var n = it.input(0).byteLength, source = new Uint8Array(input.buffer, input.byteOffset, n);
  // Both sides copy the input in at every invoke: the arena reuses an input's bytes once read.
  t0 = getTime();
  for (var i = 0; i < runs; i++) {
    it.setInput(0, source);
    it.invoke();
  }
  var ours = (getTime() - t0) * 1000 / runs;
  var line = file + " arena " + it.arenaBytes + " create ms " + createMs.toFixed(1) + " invoke ms " + ours.toFixed(3);
  var tensorflow;
  try { tensorflow = require("tensorflow"); } catch (e) { print(line); return; }
  var tf = tensorflow.create(tensorflowArena, bytes);
  var their = tf.getInput(), inputBytes = new Uint8Array(their.buffer, their.byteOffset, n);
  var nativeRuns = runs * 20;
  t0 = getTime();
  for (var j = 0; j < nativeRuns; j++) {
    inputBytes.set(source);
    tf.invoke();
  }
  var theirs = (getTime() - t0) * 1000 / nativeRuns;
  var a = it.output(0).bytes, b = new Uint8Array(tf.getOutput().buffer, tf.getOutput().byteOffset, a.length), same = true;
  for (var k = 0; k < a.length; k++) if (a[k] !== b[k]) same = false;
  print(line + " | tensorflow module invoke ms " + theirs.toFixed(4) + " (x" + Math.round(ours / theirs) + ") same outputs " + same);
}
bench("hello_world.tflite", null, 2048, 20);
bench("micro_speech.tflite", "micro_speech_input.bin", 10240, 2);
