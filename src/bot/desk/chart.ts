/**
 * A small PNG bar chart of cases per day, drawn pixel by pixel with pngjs
 * (pure JavaScript: no per-platform binaries). Urgent-red bars for today,
 * blue for other days; the numbers are in the message beside it.
 */
import { PNG } from "pngjs";

const W = 600;
const H = 220;
const PAD = 20;

export function barChartPng(values: readonly number[]): Buffer {
  const png = new PNG({ width: W, height: H });
  const put = (x: number, y: number, [r, g, b]: readonly [number, number, number]) => {
    if (x < 0 || y < 0 || x >= W || y >= H) return;
    const i = (W * y + x) << 2;
    png.data[i] = r;
    png.data[i + 1] = g;
    png.data[i + 2] = b;
    png.data[i + 3] = 255;
  };
  const rect = (x0: number, y0: number, x1: number, y1: number, c: readonly [number, number, number]) => {
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) put(x, y, c);
  };
  rect(0, 0, W, H, [255, 255, 255]);
  const max = Math.max(1, ...values);
  const n = Math.max(1, values.length);
  const slot = (W - 2 * PAD) / n;
  const bottom = H - PAD;
  // Grid lines at each quarter of the maximum.
  for (let q = 1; q <= 4; q++) rect(PAD, Math.round(bottom - ((bottom - PAD) * q) / 4), W - PAD, Math.round(bottom - ((bottom - PAD) * q) / 4) + 1, [225, 225, 225]);
  values.forEach((v, i) => {
    const h = Math.round(((bottom - PAD) * v) / max);
    const x0 = Math.round(PAD + i * slot + slot * 0.15);
    const x1 = Math.round(PAD + (i + 1) * slot - slot * 0.15);
    rect(x0, bottom - h, Math.max(x1, x0 + 1), bottom, i === n - 1 ? [220, 60, 60] : [70, 130, 200]);
  });
  rect(PAD, bottom, W - PAD, bottom + 1, [80, 80, 80]);
  return PNG.sync.write(png);
}

/** The same as a line of block characters, for a text-only fallback. */
export function sparkline(values: readonly number[]): string {
  const bars = "▁▂▃▄▅▆▇█";
  const max = Math.max(1, ...values);
  return values.map((v) => (v === 0 ? "·" : bars[Math.min(7, Math.floor((v / max) * 7.999))])).join("");
}
