// hello_world (TFLM's sine model) on Espruino with the "tflite-xs" module.
// On Espruino's Linux build, from a folder holding node_modules/tflite-xs.js and hello_world.tflite:
//   espruino hello_world.js
// On a board, write the module and the model to Storage first, then send this program:
//   espruino -p PORT --storage tflite-xs:dist/espruino/tflite-xs.js --storage hello_world.tflite:MODEL hello_world.js
// (or the Web IDE's Storage menu, "Upload a file"; require() finds "tflite-xs" in Storage).
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
var file = "hello_world.tflite";
var model = typeof require("Storage").read === "function" && require("Storage").read(file);
if (!model) model = require("fs").readFileSync(file);
var interpreter = tf.create(model); // the arena is exactly what the model's plan needs
print("arena", interpreter.arenaBytes, "bytes");
var input = interpreter.input(0), output = interpreter.output(0);
var int8 = input.typeName === "int8";
function predict(x) {
  // A quantized model takes int8: x / scale + zero point, as the model's input tensor says.
  if (int8) input.data[0] = Math.max(-128, Math.min(127, Math.round(x / input.scale) + input.zeroPoint));
  else input.data[0] = x;
  interpreter.invoke();
  return int8 ? (output.data[0] - output.zeroPoint) * output.scale : output.data[0];
}
for (var i = 0; i <= 4; i++) {
  var x = i * Math.PI / 4;
  var y = predict(x);
  print("x", round6(x), "y", round6(y), "(sin", round6(Math.sin(x)) + ")", "output bytes", hex(output.bytes));
}
var runs = 20, t0 = getTime();
for (var r = 0; r < runs; r++) predict(r / runs * 2 * Math.PI);
print("invoke ms", ((getTime() - t0) * 1000 / runs).toFixed(3));
