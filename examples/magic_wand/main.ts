// The device app (Moddable): the model from flash as a Resource, the trace and gesture on the
// app's screen through Poco (ILI9341 on an ESP32, or the simulator's screen), the log on trace(),
// one accelerometer sample every 40 ms on a Timer. The accelerometer is the LIS3DH on the
// board's default I2C bus when the manifest's config says so (esp32), else the recorded traces
// in traces.bin (the simulator, or a board without the sensor).
import Poco from "commodetto/Poco";
import Resource from "Resource";
import Timer from "timer";
import config from "mc/config";
import LIS3DH from "embedded:sensor/Accelerometer/LIS3DH";
import { runExample } from "./app.js";
import { RecordedAccelerometer, type Accelerometer } from "./accelerometer.js";

function accelerometer(): Accelerometer {
  if (config.accelerometer !== "lis3dh") return new RecordedAccelerometer({ samples: new Resource("traces.bin") });
  const sensor = new LIS3DH({ sensor: { ...device.I2C.default, io: device.io.SMBus } });
  // 25 Hz output data rate, ±4 g: a brisk gesture peaks at about 3 g with gravity.
  sensor.configure({ rate: 3, range: 1, enable: 0b111, lowPower: false });
  return sensor;
}

runExample({
  model: new Resource("model.tflite"),
  accelerometer: accelerometer(),
  display: new Poco(screen),
  scheduler: {
    repeat: (callback: () => void, interval: number) => Timer.repeat(callback, interval),
    clear: (handle: unknown) => Timer.clear(handle as Timer),
  },
  stride: 32,
});
