import { TemperatureLimits } from './temperature-limits';

/** A point of the chart: a reading, or a bucket's lowest or highest reading when downsampled. */
export interface ChartReading {
  at: Date;
  temperatureC: number;
}

export interface ChartExcursion {
  startedAt: Date;
  /** null while the unit is still out of range. */
  endedAt: Date | null;
  status: string;
  /** The run's lowest and highest readings. */
  minC: number;
  maxC: number;
}

export interface TemperatureChartInput {
  unitName: string;
  from: Date;
  to: Date;
  limits: TemperatureLimits;
  readings: readonly ChartReading[];
  excursions: readonly ChartExcursion[];
  /** Whether the readings were downsampled (the subtitle says so, so nobody reads a bucket as a reading). */
  downsampled: boolean;
  /** The zone the axis labels are printed in; the facility's in production. */
  timeZone: string;
}

const WIDTH = 900;
const HEIGHT = 460;
const PLOT = { left: 78, right: 870, top: 74, bottom: 390 } as const;
const COLOUR = {
  reading: '#1f6fb2',
  outOfRange: '#c0392b',
  limit: '#c0392b',
  excursion: '#f5b7b1',
  gap: '#e0e0e0',
  grid: '#e5e5e5',
  axis: '#333333',
  muted: '#666666',
} as const;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const TIME_STEPS = [HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY, 14 * DAY, 28 * DAY];
const MAX_X_TICKS = 12;
const Y_STEPS = [0.5, 1, 2, 5, 10, 20, 25, 50, 100];
/** Consecutive readings further apart than this (or 3 buckets) are a gap in monitoring: the line breaks. */
const GAP_MS = 15 * 60_000;

interface Scales {
  x(at: number): number;
  y(celsius: number): number;
  yTicks: number[];
  xTicks: number[];
  xStep: number;
}

/**
 * A unit's temperatures as a self-contained SVG: the readings (broken where monitoring stopped), the limits
 * as dashed lines, and every excursion as a shaded band, so QA sees in one picture what was out of range,
 * for how long, and where the record has holes (docs/environment.md, "Chart").
 */
export function renderTemperatureSvg(input: TemperatureChartInput): string {
  const title = `Temperature of ${input.unitName}`;
  const subtitle =
    `${formatInstant(input.from, input.timeZone)} to ${formatInstant(input.to, input.timeZone)} (${input.timeZone})` +
    (input.downsampled ? ' - downsampled: each interval shows its lowest and highest reading' : '');
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" ` +
      `role="img" aria-label="${escapeXml(title)}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    text(WIDTH / 2, 26, title, { anchor: 'middle', size: 16, weight: 'bold' }),
    text(WIDTH / 2, 46, subtitle, { anchor: 'middle', fill: COLOUR.muted }),
  ];
  const scales = buildScales(input);
  parts.push(renderGrid(scales, input.timeZone));
  parts.push(renderExcursions(input, scales));
  parts.push(renderLimits(input.limits, scales));
  if (input.readings.length === 0) {
    parts.push(
      text((PLOT.left + PLOT.right) / 2, (PLOT.top + PLOT.bottom) / 2, 'No readings in this period', {
        anchor: 'middle',
        size: 14,
        fill: COLOUR.muted,
      }),
    );
  } else {
    parts.push(renderReadings(input, scales));
  }
  parts.push(
    `<rect x="${PLOT.left}" y="${PLOT.top}" width="${PLOT.right - PLOT.left}" height="${PLOT.bottom - PLOT.top}" ` +
      `fill="none" stroke="${COLOUR.axis}"/>`,
  );
  parts.push(renderLegend(input));
  parts.push('</svg>');
  return parts.join('\n');
}

function buildScales(input: TemperatureChartInput): Scales {
  const timeZone = input.timeZone;
  const from = input.from.getTime();
  const to = Math.max(input.to.getTime(), from + 60_000);
  const values = input.readings.map((reading) => reading.temperatureC);
  values.push(input.limits.maxC);
  if (input.limits.minC !== null) values.push(input.limits.minC);
  let low = Math.min(...values);
  let high = Math.max(...values);
  const pad = Math.max((high - low) * 0.08, 2);
  low -= pad;
  high += pad;
  const yStep = Y_STEPS.find((step) => (high - low) / step <= 8) ?? 100;
  low = Math.floor(low / yStep) * yStep;
  high = Math.ceil(high / yStep) * yStep;
  const yTicks: number[] = [];
  for (let value = low; value <= high + 1e-9; value += yStep) yTicks.push(Number(value.toFixed(2)));
  const xStep = TIME_STEPS.find((step) => (to - from) / step <= MAX_X_TICKS) ?? 28 * DAY;
  const xTicks: number[] = [];
  // Day ticks fall on the facility's midnights (hour ticks on its hours), not on UTC's.
  const offset = zoneOffsetMs(new Date(from), timeZone);
  const first = Math.ceil((from + offset) / Math.min(xStep, DAY)) * Math.min(xStep, DAY) - offset;
  for (let at = first; at <= to; at += xStep) xTicks.push(at);
  return {
    x: (at) => PLOT.left + ((at - from) / (to - from)) * (PLOT.right - PLOT.left),
    y: (celsius) => PLOT.bottom - ((celsius - low) / (high - low)) * (PLOT.bottom - PLOT.top),
    yTicks,
    xTicks,
    xStep,
  };
}

function renderGrid(scales: Scales, timeZone: string): string {
  const parts: string[] = [];
  for (const value of scales.yTicks) {
    const y = scales.y(value);
    parts.push(line(PLOT.left, y, PLOT.right, y, { stroke: COLOUR.grid }));
    parts.push(text(PLOT.left - 8, y + 4, `${formatCelsius(value)}`, { anchor: 'end' }));
  }
  for (const at of scales.xTicks) {
    const x = scales.x(at);
    parts.push(line(x, PLOT.top, x, PLOT.bottom, { stroke: COLOUR.grid }));
    const label =
      scales.xStep >= DAY ? formatDay(new Date(at), timeZone) : formatTime(new Date(at), timeZone);
    parts.push(text(x, PLOT.bottom + 18, label, { anchor: 'middle' }));
  }
  parts.push(
    text(22, (PLOT.top + PLOT.bottom) / 2, 'Temperature (\u00b0C)', { anchor: 'middle', rotate: true }),
  );
  return `<g class="grid">${parts.join('')}</g>`;
}

function renderLimits(limits: TemperatureLimits, scales: Scales): string {
  const parts: string[] = [];
  const limitLine = (celsius: number, label: string): void => {
    const y = scales.y(celsius);
    parts.push(line(PLOT.left, y, PLOT.right, y, { stroke: COLOUR.limit, width: 1.5, dash: '6 4' }));
    parts.push(text(PLOT.right - 6, y - 5, label, { anchor: 'end', fill: COLOUR.limit, halo: true }));
  };
  limitLine(limits.maxC, `upper limit ${formatCelsius(limits.maxC)} \u00b0C`);
  if (limits.minC !== null) limitLine(limits.minC, `lower limit ${formatCelsius(limits.minC)} \u00b0C`);
  return `<g class="limits">${parts.join('')}</g>`;
}

function renderExcursions(input: TemperatureChartInput, scales: Scales): string {
  const from = input.from.getTime();
  const to = input.to.getTime();
  const parts: string[] = [];
  for (const excursion of input.excursions) {
    const start = Math.max(excursion.startedAt.getTime(), from);
    const end = Math.min(excursion.endedAt?.getTime() ?? to, to);
    if (end < start) continue;
    // At least 4 px, so a short excursion stays visible on a month's chart.
    const width = Math.max(scales.x(end) - scales.x(start), 4);
    const x1 = Math.min(scales.x(start), PLOT.right - width);
    const minutes = Math.round(
      ((excursion.endedAt ?? input.to).getTime() - excursion.startedAt.getTime()) / 60_000,
    );
    const peak = excursion.maxC > input.limits.maxC ? excursion.maxC : excursion.minC;
    const state = excursion.endedAt ? excursion.status : 'still out of range';
    const label =
      `excursion ${formatInstant(excursion.startedAt, input.timeZone)}, ${minutes} min, ` +
      `peak ${formatCelsius(peak)} \u00b0C (${state})`;
    parts.push(
      `<rect class="excursion" x="${num(x1)}" y="${PLOT.top}" width="${num(width)}" height="${PLOT.bottom - PLOT.top}" ` +
        `fill="${COLOUR.excursion}" fill-opacity="0.6"><title>${escapeXml(
          `${label}: ${excursion.startedAt.toISOString()} to ${excursion.endedAt?.toISOString() ?? 'now'}`,
        )}</title></rect>`,
      text(Math.min(Math.max(x1 + width / 2, PLOT.left + 160), PLOT.right - 160), PLOT.top - 6, label, {
        anchor: 'middle',
        size: 10,
        fill: COLOUR.limit,
      }),
    );
  }
  return `<g class="excursions">${parts.join('')}</g>`;
}

function renderReadings(input: TemperatureChartInput, scales: Scales): string {
  const readings = [...input.readings].sort((a, b) => a.at.getTime() - b.at.getTime());
  const bucketMs = (input.to.getTime() - input.from.getTime()) / 1000;
  const gapMs = Math.max(GAP_MS, 3 * bucketMs);
  const segments: ChartReading[][] = [];
  let current: ChartReading[] = [];
  for (const reading of readings) {
    const previous = current[current.length - 1];
    if (previous && reading.at.getTime() - previous.at.getTime() > gapMs) {
      segments.push(current);
      current = [];
    }
    current.push(reading);
  }
  segments.push(current);
  const parts = segments.map((segment) => {
    const points = segment.map((r) => `${num(scales.x(r.at.getTime()))},${num(scales.y(r.temperatureC))}`);
    return segment.length === 1
      ? `<circle cx="${points[0].split(',')[0]}" cy="${points[0].split(',')[1]}" r="2" fill="${COLOUR.reading}"/>`
      : `<polyline fill="none" stroke="${COLOUR.reading}" stroke-width="1.5" stroke-linejoin="round" points="${points.join(' ')}"/>`;
  });
  // Readings outside the limits are marked, so a spike too short to be an excursion still shows.
  const { minC, maxC } = input.limits;
  const outside = readings.filter((r) => r.temperatureC > maxC || (minC !== null && r.temperatureC < minC));
  for (const reading of outside.slice(0, 2000)) {
    parts.push(
      `<circle class="out-of-range" cx="${num(scales.x(reading.at.getTime()))}" cy="${num(scales.y(reading.temperatureC))}" ` +
        `r="2.5" fill="${COLOUR.outOfRange}"/>`,
    );
  }
  for (let i = 1; i < segments.length; i++) {
    const gapStart = scales.x(segments[i - 1][segments[i - 1].length - 1].at.getTime());
    const gapEnd = scales.x(segments[i][0].at.getTime());
    parts.unshift(
      `<rect class="gap" x="${num(gapStart)}" y="${PLOT.top}" width="${num(gapEnd - gapStart)}" ` +
        `height="${PLOT.bottom - PLOT.top}" fill="${COLOUR.gap}" fill-opacity="0.7"/>`,
    );
    parts.push(
      text((gapStart + gapEnd) / 2, PLOT.top + 14, 'no readings', {
        anchor: 'middle',
        size: 10,
        fill: COLOUR.muted,
        halo: true,
      }),
    );
  }
  return `<g class="readings">${parts.join('')}</g>`;
}

function renderLegend(input: TemperatureChartInput): string {
  const y = HEIGHT - 30;
  const items = [
    `${line(PLOT.left, y, PLOT.left + 26, y, { stroke: COLOUR.reading, width: 2 })}${text(PLOT.left + 32, y + 4, 'reading')}`,
    `<circle cx="${PLOT.left + 110}" cy="${y}" r="3" fill="${COLOUR.outOfRange}"/>${text(PLOT.left + 118, y + 4, 'outside the limits')}`,
    `${line(PLOT.left + 250, y, PLOT.left + 276, y, { stroke: COLOUR.limit, width: 1.5, dash: '6 4' })}${text(PLOT.left + 282, y + 4, 'limit')}`,
    `<rect x="${PLOT.left + 330}" y="${y - 6}" width="20" height="12" fill="${COLOUR.excursion}"/>${text(
      PLOT.left + 356,
      y + 4,
      `excursion (outside for ${input.limits.excursionMinutes} min or more)`,
    )}`,
  ];
  return `<g class="legend">${items.join('')}</g>`;
}

function formatCelsius(value: number): string {
  return (Math.round(value * 10) / 10).toString().replace('-', '\u2212');
}

/** How far the zone's wall clock is ahead of UTC at `date`. */
function zoneOffsetMs(date: Date, timeZone: string): number {
  const p = zoned(date, timeZone);
  const wall = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute));
  return wall - Math.floor(date.getTime() / 60_000) * 60_000;
}

function zoned(date: Date, timeZone: string): Record<string, string> {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(date);
  return Object.fromEntries(parts.map((part) => [part.type, part.value]));
}

function formatInstant(date: Date, timeZone: string): string {
  const p = zoned(date, timeZone);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

function formatDay(date: Date, timeZone: string): string {
  const p = zoned(date, timeZone);
  return `${p.month}-${p.day}`;
}

function formatTime(date: Date, timeZone: string): string {
  const p = zoned(date, timeZone);
  return p.hour === '00' && p.minute === '00' ? `${p.month}-${p.day}` : `${p.hour}:${p.minute}`;
}

function line(
  x1: number,
  y1: number,
  x2: number,
  y2: number,
  style: { stroke: string; width?: number; dash?: string },
): string {
  const dash = style.dash ? ` stroke-dasharray="${style.dash}"` : '';
  return `<line x1="${num(x1)}" y1="${num(y1)}" x2="${num(x2)}" y2="${num(y2)}" stroke="${style.stroke}" stroke-width="${style.width ?? 1}"${dash}/>`;
}

function text(
  x: number,
  y: number,
  content: string,
  style: {
    anchor?: string;
    size?: number;
    weight?: string;
    fill?: string;
    rotate?: boolean;
    halo?: boolean;
  } = {},
): string {
  const attributes = [
    `x="${num(x)}"`,
    `y="${num(y)}"`,
    `text-anchor="${style.anchor ?? 'start'}"`,
    `fill="${style.fill ?? COLOUR.axis}"`,
    style.size ? `font-size="${style.size}"` : '',
    style.weight ? `font-weight="${style.weight}"` : '',
    style.halo ? 'stroke="#ffffff" stroke-width="3" paint-order="stroke"' : '',
    style.rotate ? `transform="rotate(-90 ${num(x)} ${num(y)})"` : '',
  ].filter((attribute) => attribute !== '');
  return `<text ${attributes.join(' ')}>${escapeXml(content)}</text>`;
}

function num(value: number): string {
  return Number.isFinite(value) ? value.toFixed(1) : '0';
}

function escapeXml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}
