// Host-side stand-ins for the Moddable modules and globals only this example uses, beside
// ../lib/moddable-host.d.ts (commodetto/Poco, Resource, timer, screen), so `tsc -p
// examples/magic_wand` can check the device app without the Moddable SDK. The Moddable build
// does not list this file.
declare module "mc/config" {
  const config: { readonly accelerometer?: string; readonly [key: string]: unknown };
  export default config;
}

declare const device: {
  readonly I2C: { readonly default: { readonly [key: string]: unknown } };
  readonly io: { readonly SMBus: unknown; readonly [key: string]: unknown };
};
