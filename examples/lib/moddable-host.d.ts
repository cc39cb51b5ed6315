// Host-side stand-ins for the Moddable modules and globals the examples' main.ts use, so `tsc -p
// examples/<name>` can check a device app on a machine without the Moddable SDK (each example's
// tsconfig includes ../lib/*.ts; an example's own moddable-host.d.ts adds what only it uses).
// No Moddable build lists this file: mcconfig compiles main.ts against the SDK's own typings
// ($MODDABLE/typings, xs/includes/xs.d.ts).
declare module "commodetto/Poco" {
  // The part of Poco the drivers draw with is their Display.
  import type { Display } from 'tflite-xs/drivers';
  export interface PocoPrototype extends Display {}
  export interface Screen {
    readonly width: number;
    readonly height: number;
  }
  const Poco: { new(pixelsOut: Screen, options?: { pixels?: number; displayListLength?: number; rotation?: 0 | 90 | 180 | 270 }): PocoPrototype };
  export default Poco;
  global {
    const screen: Screen;
  }
}

declare module "Resource" {
  const Resource: { new(path: string): { readonly byteLength: number }; exists(path: string): boolean };
  export default Resource;
}

declare module "timer" {
  class Timer {
    private constructor();
    private brand: boolean;
    static repeat(callback: (timer: Timer) => void, interval: number): Timer;
    static clear(timer: Timer | undefined | null): void;
  }
  export default Timer;
}
