// A camera frame and a classifier's verdict on a display, as a component: the empty view when
// made, then frame(pixels) and result(scores) as the app gets them.
import { FrameViewDriver, type FrameViewOptions } from '../drivers/frame-view.js';

export type { FrameViewOptions };

export class FrameView {
  readonly driver: FrameViewDriver;

  /** Draws the title, an empty frame and the class names at once. */
  constructor(options: FrameViewOptions) {
    this.driver = new FrameViewDriver(options);
    this.driver.redraw();
  }

  /** Draws a frame (Uint8Array pixels, or Int8Array pixel − 128 as in an int8 model's input). */
  frame(pixels: Uint8Array | Int8Array): this {
    this.driver.frame(pixels);
    return this;
  }

  /**
   * Shows a bar per score and the verdict: the class `verdict` names (-1: none yet), by default
   * the highest score's. Returns the verdict's index.
   */
  result(scores: ArrayLike<number>, verdict?: number): number {
    return this.driver.result(scores, verdict);
  }
}
Object.freeze(FrameView.prototype);
