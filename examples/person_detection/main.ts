// The device app (Moddable): the model from flash as a Resource, the camera a RecordedCamera over
// TFLM's two test images (BMP Resources, read in place: no frame buffer in RAM) as there is no
// camera on the board, the frame and verdict on the app's screen through Poco (ILI9341 on an
// ESP32, or the simulator's screen), the log on trace(), one detection a second on a Timer.
// A board with a camera passes its driver instead: anything with width, height and read(into).
import Poco from "commodetto/Poco";
import Resource from "Resource";
import Timer from "timer";
import { RecordedCamera, bmpFrame } from "tflite-xs/components";
import { runExample } from "./app.js";

const render = new Poco(screen);

runExample({
  model: new Resource("model.tflite"),
  camera: new RecordedCamera({ frames: [bmpFrame(new Resource("person.bmp")), bmpFrame(new Resource("no_person.bmp"))] }),
  display: render,
  scheduler: {
    repeat: (callback: () => void, interval: number) => Timer.repeat(callback, interval),
    clear: (handle: unknown) => Timer.clear(handle as Timer),
  },
  interval: 1000,
});
