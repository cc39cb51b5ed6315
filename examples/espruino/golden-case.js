// One golden case (../shared/fixtures/cases/NAME, format in its README) through the module on
// Espruino's Linux build, compared with the expected outputs. Espruino passes no arguments to a
// script, so the case's folder comes first as a line of code:
//   { echo "var CASE='/path/to/cases/hello_world_int8_0';"; cat golden-case.js; } > run.js && espruino run.js
// (from a folder with node_modules/tflite-xs.js). Prints each output's first bytes, the worst
// difference, PASS or FAIL, the arena and the time to create and to invoke.
var fs = require("fs");
var tf = require("tflite-xs");
var spec = JSON.parse(fs.readFileSync(CASE + "/case.json"));
var steps = spec.steps || 1;
var t0 = getTime();
var it = tf.create(fs.readFileSync(CASE + "/" + spec.model));
var loadMs = (getTime() - t0) * 1000;
var inputs = spec.inputs.map(function (i) { return E.toUint8Array(fs.readFileSync(CASE + "/" + i.file)); });
var outs = [];
for (var o = 0; o < it.outputCount; o++) outs.push(new Uint8Array(it.output(o).byteLength * steps));
var t1 = getTime();
for (var s = 0; s < steps; s++) {
  for (var i = 0; i < it.inputCount; i++) {
    var n = it.input(i).byteLength;
    it.setInput(i, new Uint8Array(inputs[i].buffer, s * n, n));
  }
  it.invoke();
  for (var o = 0; o < it.outputCount; o++) outs[o].set(it.output(o).bytes, s * it.output(o).byteLength);
}
var invokeMs = (getTime() - t1) * 1000 / steps;
var T = { int8: Int8Array, uint8: Uint8Array, int16: Int16Array, int32: Int32Array, float32: Float32Array };
var ok = true;
spec.outputs.forEach(function (o, k) {
  var want = new T[o.dtype](E.toArrayBuffer(fs.readFileSync(CASE + "/" + o.file)));
  var got = new T[o.dtype](outs[k].buffer);
  var worst = want.length === got.length ? 0 : Infinity;
  for (var j = 0; j < want.length && worst !== Infinity; j++) { var e = Math.abs(got[j] - want[j]); if (!(e <= worst)) worst = e; }
  if (!(worst <= (o.tolerance || 0))) ok = false;
  var hex = ""; for (var j = 0; j < outs[k].length && j < 32; j++) hex += (outs[k][j] < 16 ? "0" : "") + outs[k][j].toString(16);
  print("output" + k, hex + (outs[k].length > 32 ? "..." : ""), "worst", worst);
});
print(ok ? "PASS" : "FAIL", spec.model, "arena", it.arenaBytes, "load_ms", loadMs.toFixed(1), "invoke_ms", invokeMs.toFixed(3));
