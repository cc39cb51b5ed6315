// The linear regression example's model (y ≈ 2x - 1, examples/linear_regression/model.tflite) on
// Espruino, through the Johnny-Five-style Model component of the "tflite-xs" module.
//   espruino linear_regression.js      (Linux build; node_modules/tflite-xs.js and model.tflite here)
var tf = require("tflite-xs");
// Six decimals, printed alike by Espruino and Node (Espruino's toFixed truncates).
function round6(v) {
  return Math.round(v * 1e6) / 1e6;
}
function hex(bytes) {
  var s = "";
  for (var i = 0; i < bytes.length; i++) s += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16);
  return s;
}
var file = "linear_regression.tflite";
var bytes = typeof require("Storage").read === "function" && require("Storage").read(file);
if (!bytes) bytes = require("fs").readFileSync(file);
var model = new tf.Model({ model: tf.modelBytes(bytes), kernels: tf.ESPRUINO_KERNELS });
print("arena", model.arenaBytes, "bytes");
var xs = [0, 0.25, 0.5, 0.75, 1];
for (var i = 0; i < xs.length; i++) {
  var y = model.predict(xs[i]);
  print("x", xs[i], "y", round6(y), "output bytes", hex(model.interpreter.output(0).bytes));
}
var runs = 20, t0 = getTime();
for (var r = 0; r < runs; r++) model.predict(r / runs);
print("predict ms", ((getTime() - t0) * 1000 / runs).toFixed(3));
