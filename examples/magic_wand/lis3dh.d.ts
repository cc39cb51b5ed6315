// Types of the Moddable SDK's LIS3DH driver ($MODDABLE/modules/drivers/sensors/lis3dh/lis3dh.js),
// the module "embedded:sensor/Accelerometer/LIS3DH" main.ts imports: the SDK ships it without
// typings, so mcconfig's tsc would refuse the import (TS7016). manifest.json maps this file to
// the module's name (mcconfig takes a .d.ts under "modules" as the types of that name), and
// tsconfig.json does the same for the host check.
export interface SensorOptions {
  /** The I2C bus (device.I2C.default) and io (device.io.SMBus), and any other bus options. */
  sensor: { readonly [key: string]: unknown };
  onAlert?: () => void;
}

export interface Configuration {
  /** Output data rate, the datasheet's ODR code (3: 25 Hz). */
  rate?: number;
  /** Full scale, the datasheet's FS code (1: ±4 g). */
  range?: number;
  /** Axes enabled, a bit each for x, y and z. */
  enable?: number;
  lowPower?: boolean;
}

export default class LIS3DH {
  constructor(options: SensorOptions);
  configure(options: Configuration): void;
  /** One sample, in m/s². */
  sample(): { x: number; y: number; z: number };
  close(): void;
}
