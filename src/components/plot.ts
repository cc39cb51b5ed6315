// A plot on a display, as a component: axes and a reference line when made, a dot per point.
import { PlotDriver, type Display, type PlotOptions, type Range } from '../drivers/plot.js';

export type { Display, Range, PlotOptions };

export class Plot {
  readonly driver: PlotDriver;

  /** Draws the empty plot (axes, ticks, the line) at once. */
  constructor(options: PlotOptions) {
    this.driver = new PlotDriver(options);
    this.driver.redraw();
  }

  /** Draws one point; returns this so calls chain. */
  point(x: number, y: number): this {
    this.driver.plot(x, y);
    return this;
  }

  get points(): number {
    return this.driver.points;
  }

  clear(): this {
    this.driver.clear();
    return this;
  }
}
Object.freeze(Plot.prototype);
