// The device app (Moddable): the model from flash as a Resource, the plot on the app's screen
// through Poco (ILI9341 on an ESP32, or the simulator's screen), the log on trace(), and one
// inference every 50 ms on a Timer so the dots appear as they are computed.
import Poco from "commodetto/Poco";
import Resource from "Resource";
import Timer from "timer";
import { runExample } from "./app.js";

// The plot keeps every frame small (a full redraw goes in 16-row bands): the simulator's
// instrumentation measures at most ~400 bytes of display list, within Poco's default 1024.
const render = new Poco(screen);

runExample({
  model: new Resource("model.tflite"),
  display: render,
  scheduler: {
    repeat: (callback: () => void, interval: number) => Timer.repeat(callback, interval),
    clear: (handle: unknown) => Timer.clear(handle as Timer),
  },
  interval: 50,
  count: 100,
});
