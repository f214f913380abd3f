/** One series of a bar chart: a value per category. */
export interface BarSeries {
  name: string;
  values: number[];
}

/** A horizontal grouped bar chart. */
export interface BarChart {
  title: string;
  /** Category labels, one group of bars each. */
  categories: string[];
  series: BarSeries[];
  /** Axis unit shown in the title line and after each value label. */
  unit: string;
  /** Log scale for values spanning orders of magnitude (tokens, latency). */
  log?: boolean;
}

const COLORS = ["#d9534f", "#2a7ae2", "#5cb85c", "#f0ad4e", "#8e44ad", "#17a2b8"];

const escapeXml = (text: string) =>
  text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");

function formatValue(value: number): string {
  if (value >= 100) return Math.round(value).toLocaleString("en-US");
  if (value >= 1) return value.toFixed(1);
  return value.toPrecision(2);
}

/**
 * Renders a grouped horizontal bar chart as a standalone SVG (no fonts or scripts to load, so it
 * shows the same on GitHub and offline). Non-finite and negative values draw as empty bars.
 */
export function renderBarChart(chart: BarChart): string {
  // Wide enough for the longest tool name (`warehouse.available_to_promise`) at 12 px.
  const labelWidth = 230;
  const plotWidth = 520;
  const valueWidth = 110;
  const barHeight = 14;
  const groupGap = 10;
  const legendHeight = 24;
  const top = 40 + legendHeight;
  const groupHeight = chart.series.length * barHeight + groupGap;
  const height = top + chart.categories.length * groupHeight + 10;
  const width = labelWidth + plotWidth + valueWidth;
  const finite = chart.series.flatMap((s) => s.values).filter((v) => Number.isFinite(v) && v > 0);
  const max = Math.max(1e-9, ...finite);
  const min = Math.min(max, ...finite);
  // On a log scale, start one decade below the smallest value so the smallest bar stays visible.
  const logFloor = Math.log10(min) - 1;
  const scale = (v: number) => {
    if (!Number.isFinite(v) || v <= 0) return 0;
    if (!chart.log) return (v / max) * plotWidth;
    return ((Math.log10(v) - logFloor) / (Math.log10(max) - logFloor || 1)) * plotWidth;
  };
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="10" y="22" font-size="15" font-weight="600">${escapeXml(chart.title)}</text>`,
    `<text x="${width - 10}" y="22" text-anchor="end" fill="#666">${escapeXml(chart.unit)}${chart.log ? " (log scale)" : ""}</text>`,
  ];
  chart.series.forEach((series, i) => {
    const x = labelWidth + i * 150;
    parts.push(
      `<rect x="${x}" y="36" width="12" height="12" fill="${COLORS[i % COLORS.length]}"/>`,
      `<text x="${x + 18}" y="46">${escapeXml(series.name)}</text>`,
    );
  });
  chart.categories.forEach((category, c) => {
    const y0 = top + c * groupHeight;
    parts.push(
      `<text x="${labelWidth - 8}" y="${y0 + (chart.series.length * barHeight) / 2 + 4}" text-anchor="end">${escapeXml(category)}</text>`,
    );
    chart.series.forEach((series, s) => {
      const value = series.values[c] ?? Number.NaN;
      const y = y0 + s * barHeight;
      const w = Math.max(0, scale(value));
      parts.push(
        `<rect x="${labelWidth}" y="${y}" width="${w.toFixed(1)}" height="${barHeight - 2}" fill="${COLORS[s % COLORS.length]}"/>`,
        `<text x="${labelWidth + w + 4}" y="${y + barHeight - 4}" fill="#333">${Number.isFinite(value) ? escapeXml(formatValue(value)) : "n/a"}</text>`,
      );
    });
  });
  parts.push("</svg>");
  return `${parts.join("\n")}\n`;
}
