// Gathers one CONV_2D window into a patch, in the filter's (row, column, channel) order, with
// `fill` where the window lies in the padding: the window paths (conv-float-window.ts,
// conv-int16-window.ts) then run one unrolled dot over it. Zeros in the padding add nothing to
// an integer sum, and fround(total + ±0) is total for any float32 total reached from +0, so
// the sums equal the reference's, which skips those terms (for finite weights: the float
// chooser asks for them).

/**
 * Writes the window at input rows iy0 + fy * dH, columns ix0 + fx * dW (image `b`) into
 * Pt[pi ...] (fH * fW * inD values).
 */
export function gatherWindow(
  X: ArrayLike<number>, x0: number, b: number, inH: number, inW: number, inD: number,
  iy0: number, ix0: number, fH: number, fW: number, dH: number, dW: number,
  Pt: { [i: number]: number }, pi: number, fill: number,
): void {
  const rowRun = fW * inD;
  const rowInside = ix0 >= 0 && ix0 + (fW - 1) * dW < inW && dW === 1;
  for (let fy = 0; fy < fH; fy++) {
    const iy = iy0 + fy * dH;
    if (iy < 0 || iy >= inH) {
      const end = pi + rowRun;
      while (pi < end) Pt[pi++] = fill;
      continue;
    }
    const rowBase = (b * inH + iy) * inW;
    if (rowInside) {
      let q = x0 + (rowBase + ix0) * inD;
      const end = pi + rowRun;
      while (pi < end) Pt[pi++] = X[q++];
      continue;
    }
    for (let fx = 0; fx < fW; fx++) {
      const ix = ix0 + fx * dW;
      const end = pi + inD;
      if (ix < 0 || ix >= inW) {
        while (pi < end) Pt[pi++] = fill;
      } else {
        let q = x0 + (rowBase + ix) * inD;
        while (pi < end) Pt[pi++] = X[q++];
      }
    }
  }
}
