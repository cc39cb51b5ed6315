// Host-side stand-ins for the Moddable modules only this example uses, beside
// ../lib/moddable-host.d.ts (commodetto/Poco, Resource, timer, screen), so `tsc -p examples/micro_speech` can check the
// device app without the Moddable SDK. The Moddable build does not list this file.
declare module "embedded:io/audio/in" {
  interface AudioInOptions {
    sampleRate?: number;
    bitsPerSample?: number;
    channels?: number;
    onReadable?: (this: AudioIn, bytes: number) => void;
  }
  class AudioIn {
    constructor(options: AudioInOptions);
    /** Fills the whole buffer from what is readable; returns the bytes read. */
    read(buffer: ArrayBuffer | ArrayBufferView): number;
    start(): void;
    stop(): void;
    close(): void;
    readonly sampleRate: number;
    readonly bitsPerSample: number;
    readonly channels: number;
  }
  export default AudioIn;
}
