/** Server-side SVG charts for the dashboard (no script, no CDN). Pure functions returning markup. */
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const COLORS = ["#0b4f8a", "#1e6b34", "#8a4b00", "#6b3fa0", "#a4161a", "#00666e"];

export type Bar = { label: string; value: number; text?: string };

/**
 * Horizontal bars, one per row: the label on its own line above the bar (never clipped, whatever
 * the font), the value written at the bar's end. `max` fixes the scale (e.g. 1 for rates).
 */
export function barChart(opts: {
  title: string;
  bars: Bar[];
  max?: number;
  format?: (v: number) => string;
  empty: string;
}): string {
  const { bars } = opts;
  const fmt = opts.format ?? ((v: number) => String(v));
  if (!bars.length) return `<p class="muted">${esc(opts.empty)}</p>`;
  const W = 420,
    barW = 260,
    rowH = 38;
  const max = opts.max ?? Math.max(1, ...bars.map((b) => b.value));
  const H = bars.length * rowH + 4;
  const id = `c${Math.abs(hash(opts.title))}`;
  const rows = bars
    .map((b, i) => {
      const y = 2 + i * rowH;
      const w = Math.max(1, Math.round((b.value / max) * barW));
      const label = b.label.length > 56 ? b.label.slice(0, 55) + "…" : b.label;
      return (
        `<g><title>${esc(b.label)}: ${esc(b.text ?? fmt(b.value))}</title>` +
        `<text x="0" y="${y + 13}" font-size="13">${esc(label)}</text>` +
        `<rect x="0" y="${y + 18}" width="${w}" height="14" rx="3" fill="${COLORS[0]}"/>` +
        `<text x="${w + 6}" y="${y + 30}" font-size="13">${esc(b.text ?? fmt(b.value))}</text></g>`
      );
    })
    .join("");
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 ${W} ${H}" width="${W}" role="img" ` +
    `aria-labelledby="${id}"><title id="${id}">${esc(opts.title)}</title><style>text{font-family:"Noto ` +
    `Sans",Arial,sans-serif;fill:#1b1f24}</style>${rows}</svg>`
  );
}

/** Vertical columns over time (e.g. assignments per month). */
export function columnChart(opts: { title: string; bars: Bar[]; empty: string }): string {
  if (!opts.bars.length) return `<p class="muted">${esc(opts.empty)}</p>`;
  const colW = 44,
    H = 170,
    base = 140,
    W = Math.max(300, opts.bars.length * colW + 20);
  const max = Math.max(1, ...opts.bars.map((b) => b.value));
  const id = `c${Math.abs(hash(opts.title))}`;
  const cols = opts.bars
    .map((b, i) => {
      const h = Math.round((b.value / max) * 110);
      const x = 14 + i * colW;
      return (
        `<g><title>${esc(b.label)}: ${b.value}</title><rect x="${x}" y="${base - h}" width="${colW - 12}" ` +
        `height="${Math.max(h, 1)}" rx="3" fill="${COLORS[1]}"/>` +
        `<text x="${x + (colW - 12) / 2}" y="${base - h - 5}" text-anchor="middle" font-size="12">${b.value}</text>` +
        `<text x="${x + (colW - 12) / 2}" y="${base + 16}" text-anchor="middle" ` +
        `font-size="11">${esc(b.label)}</text></g>`
      );
    })
    .join("");
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 ${W} ${H}" width="${W}" role="img" ` +
    `aria-labelledby="${id}"><title id="${id}">${esc(opts.title)}</title><style>text{font-family:"Noto ` +
    `Sans",Arial,sans-serif;fill:#1b1f24}</style><line x1="8" y1="${base}" x2="${W - 4}" y2="${base}" ` +
    `stroke="#7b8794"/>${cols}</svg>`
  );
}

function hash(s: string) {
  let h = 0;
  for (const c of s) h = (h * 31 + c.charCodeAt(0)) | 0;
  return h;
}
