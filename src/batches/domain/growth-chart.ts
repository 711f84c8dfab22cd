import { GrowthPoint } from './growth';

/**
 * A self-contained SVG growth chart for a batch, drawn on the server so that any client (a clinic's
 * browser, a PDF, an e-mail) shows the same picture. The y axis is the cumulative cell yield, cells plated
 * at isolation x 2^cumulative PD, on a log scale: that is the quantity the projected ready date and the
 * target refer to (docs/domain.md, "Growth"), so curve, target line and projection meet on one scale. The
 * cells actually counted at each point are in the marker's tooltip.
 */
export interface GrowthChartInput {
  din: string;
  points: readonly Pick<
    GrowthPoint,
    'at' | 'kind' | 'passageNumber' | 'totalCells' | 'viabilityPct' | 'cumulativePopulationDoublings'
  >[];
  targetCellCount: number;
  cellsPlated: number;
  projectedReadyAt: Date | null;
  /** Draws a "today" marker while the batch is still projected. */
  now?: Date;
  /** Zone in which the ready date is printed; the facility's zone in production. Default UTC. */
  timeZone?: string;
  /** The injection plan in force, judged: its required cells, final-harvest window and visit. */
  plan?: ChartPlan | null;
}

export interface ChartPlan {
  plannedAt: Date;
  requiredCells: number;
  finalHarvestWindow: { from: Date; to: Date };
  onTrack: boolean | null;
  slackHours: number | null;
}

const WIDTH = 760;
const HEIGHT = 440;
const PLOT = { left: 84, right: 690, top: 78, bottom: 370 } as const;
const MS_PER_DAY = 86_400_000;
const LOG10_2 = Math.log10(2);
const DAY_STEPS = [1, 2, 5, 7, 14, 28, 56, 112, 224, 448];
const MAX_X_TICKS = 10;
const Y_PADDING_DECADES = 0.15;

const COLOUR = {
  curve: '#1f6fb2',
  passage: '#8a8a8a',
  target: '#2e8b57',
  projection: '#d9822b',
  required: '#6a3d9a',
  window: '#6a3d9a',
  atRisk: '#c0392b',
  grid: '#e5e5e5',
  axis: '#333333',
  today: '#b03060',
} as const;

type ChartPoint = GrowthChartInput['points'][number];

interface Scales {
  x(day: number): number;
  y(log10Cells: number): number;
  dayTicks: number[];
  decadeTicks: number[];
}

export function renderGrowthSvg(input: GrowthChartInput): string {
  const title = `Growth of batch ${input.din}`;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" ` +
      `role="img" aria-label="${escapeXml(title)}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    text(WIDTH / 2, 28, title, { anchor: 'middle', size: 16, weight: 'bold' }),
  ];

  const points = [...input.points].sort((a, b) => a.at.getTime() - b.at.getTime());
  if (points.length < 2) {
    parts.push(
      `<rect class="plot-area" x="${PLOT.left}" y="${PLOT.top}" width="${PLOT.right - PLOT.left}" ` +
        `height="${PLOT.bottom - PLOT.top}" fill="none" stroke="${COLOUR.axis}"/>`,
      text((PLOT.left + PLOT.right) / 2, (PLOT.top + PLOT.bottom) / 2, 'No counts yet', {
        anchor: 'middle',
        size: 14,
        fill: '#666666',
      }),
      '</svg>',
    );
    return parts.join('\n');
  }

  const origin = points[0].at.getTime();
  const dayOf = (at: Date): number => (at.getTime() - origin) / MS_PER_DAY;
  const log10CellsOf = (point: ChartPoint): number =>
    isPositive(input.cellsPlated)
      ? Math.log10(input.cellsPlated) + point.cumulativePopulationDoublings * LOG10_2
      : Math.log10(Math.max(point.totalCells, 1));
  const target = isPositive(input.targetCellCount) ? input.targetCellCount : null;
  const projection =
    input.projectedReadyAt && target !== null && Number.isFinite(input.projectedReadyAt.getTime())
      ? { day: dayOf(input.projectedReadyAt), log10Cells: Math.log10(target) }
      : null;

  const plan = input.plan && isPositive(input.plan.requiredCells) ? input.plan : null;
  const scales = buildScales(
    [
      ...points.map((p) => dayOf(p.at)),
      ...(projection ? [projection.day] : []),
      ...(plan ? [dayOf(plan.finalHarvestWindow.from), dayOf(plan.plannedAt)] : []),
      ...(plan && projection ? [dayOf(requiredReachedAt(plan) ?? plan.plannedAt)] : []),
    ],
    [
      ...points.map(log10CellsOf),
      ...(target !== null ? [Math.log10(target)] : []),
      ...(plan ? [Math.log10(plan.requiredCells)] : []),
    ],
  );

  parts.push(
    renderAxes(scales),
    plan ? renderPlan(plan, dayOf, scales) : '',
    plan && projection
      ? renderPlanProjection(plan, points.at(-1) as ChartPoint, dayOf, log10CellsOf, scales)
      : '',
    renderPassageMarkers(points, dayOf, scales),
    target !== null ? renderTarget(target, scales) : '',
    renderCurve(points, dayOf, log10CellsOf, scales),
  );
  if (projection && input.projectedReadyAt) {
    const last = points[points.length - 1];
    parts.push(
      renderProjection(
        { day: dayOf(last.at), log10Cells: log10CellsOf(last) },
        projection,
        formatDate(input.projectedReadyAt, input.timeZone ?? 'UTC'),
        scales,
      ),
    );
    if (input.now) {
      parts.push(renderToday(dayOf(input.now), scales));
    }
  }
  parts.push(renderLegend(projection !== null, plan !== null), '</svg>');
  return parts.filter((part) => part !== '').join('\n');
}

function buildScales(allDays: number[], allLog10Values: number[]): Scales {
  const days = allDays.filter(Number.isFinite);
  const log10Values = allLog10Values.filter(Number.isFinite);
  const firstDay = Math.min(0, ...days);
  const lastDay = Math.max(firstDay + 1, ...days);
  const step =
    DAY_STEPS.find((s) => (lastDay - firstDay) / s <= MAX_X_TICKS) ?? DAY_STEPS[DAY_STEPS.length - 1];
  const minDay = Math.floor(firstDay / step) * step;
  const maxDay = Math.ceil(lastDay / step) * step;

  // A little headroom so that a target on a decade is not drawn on the frame, and at least one decade shown.
  const lowestLog = log10Values.length > 0 ? Math.min(...log10Values) - Y_PADDING_DECADES : 0;
  const highestLog = Math.max(lowestLog + 1, Math.max(...log10Values) + Y_PADDING_DECADES);

  const dayTicks: number[] = [];
  for (let day = minDay; day <= maxDay; day += step) {
    dayTicks.push(day);
  }
  const decadeTicks: number[] = [];
  for (let decade = Math.ceil(lowestLog); decade <= highestLog; decade += 1) {
    decadeTicks.push(decade);
  }
  return {
    x: (day) => PLOT.left + ((day - minDay) / (maxDay - minDay)) * (PLOT.right - PLOT.left),
    y: (log10Cells) =>
      PLOT.bottom - ((log10Cells - lowestLog) / (highestLog - lowestLog)) * (PLOT.bottom - PLOT.top),
    dayTicks,
    decadeTicks,
  };
}

function renderAxes(scales: Scales): string {
  const lines: string[] = ['<g class="axes">'];
  for (const decade of scales.decadeTicks) {
    const y = scales.y(decade);
    lines.push(
      line(PLOT.left, y, PLOT.right, y, { stroke: COLOUR.grid }),
      text(PLOT.left - 8, y + 4, formatCells(10 ** decade), { anchor: 'end' }),
    );
  }
  for (const day of scales.dayTicks) {
    const x = scales.x(day);
    lines.push(
      line(x, PLOT.bottom, x, PLOT.bottom + 5, { stroke: COLOUR.axis }),
      text(x, PLOT.bottom + 19, String(day), { anchor: 'middle' }),
    );
  }
  lines.push(
    line(PLOT.left, PLOT.bottom, PLOT.right, PLOT.bottom, { stroke: COLOUR.axis }),
    line(PLOT.left, PLOT.top, PLOT.left, PLOT.bottom, { stroke: COLOUR.axis }),
    text((PLOT.left + PLOT.right) / 2, PLOT.bottom + 42, 'Days since isolation', { anchor: 'middle' }),
    text(18, (PLOT.top + PLOT.bottom) / 2, 'Cells, cumulative (log scale)', {
      anchor: 'middle',
      rotate: true,
    }),
    '</g>',
  );
  return lines.join('\n');
}

function renderPassageMarkers(
  points: readonly ChartPoint[],
  dayOf: (at: Date) => number,
  scales: Scales,
): string {
  const passages = points.filter((p) => p.kind === 'PASSAGE' && p.passageNumber !== undefined);
  if (passages.length === 0) {
    return '';
  }
  const lines = ['<g class="passages">'];
  for (const passage of passages) {
    const x = scales.x(dayOf(passage.at));
    lines.push(
      line(x, PLOT.top, x, PLOT.bottom, { stroke: COLOUR.passage, dash: '4 4' }),
      text(x, PLOT.top - 6, `P${passage.passageNumber}`, { anchor: 'middle', fill: COLOUR.passage }),
    );
  }
  lines.push('</g>');
  return lines.join('\n');
}

function renderTarget(target: number, scales: Scales): string {
  const y = scales.y(Math.log10(target));
  return [
    '<g class="target">',
    line(PLOT.left, y, PLOT.right, y, { stroke: COLOUR.target, width: 2, cssClass: 'target-line' }),
    text(PLOT.right, y - 6, `Target ${formatCells(target)} cells`, {
      anchor: 'end',
      fill: COLOUR.target,
      halo: true,
    }),
    '</g>',
  ].join('\n');
}

function renderCurve(
  points: readonly ChartPoint[],
  dayOf: (at: Date) => number,
  log10CellsOf: (point: ChartPoint) => number,
  scales: Scales,
): string {
  const xy = points.map((p) => ({ point: p, x: scales.x(dayOf(p.at)), y: scales.y(log10CellsOf(p)) }));
  const path = xy.map(({ x, y }, i) => `${i === 0 ? 'M' : 'L'}${num(x)} ${num(y)}`).join(' ');
  const lines = [
    '<g class="curve">',
    `<path d="${path}" fill="none" stroke="${COLOUR.curve}" stroke-width="2"/>`,
  ];
  for (const { point, x, y } of xy) {
    const tooltip = `<title>${escapeXml(describePoint(point))}</title>`;
    lines.push(
      point.kind === 'FINAL_HARVEST'
        ? `<rect x="${num(x - 5)}" y="${num(y - 5)}" width="10" height="10" fill="${COLOUR.curve}">${tooltip}</rect>`
        : `<circle cx="${num(x)}" cy="${num(y)}" r="4" fill="${point.kind === 'COUNT' ? '#ffffff' : COLOUR.curve}" ` +
            `stroke="${COLOUR.curve}" stroke-width="2">${tooltip}</circle>`,
    );
  }
  lines.push('</g>');
  return lines.join('\n');
}

function renderProjection(
  from: { day: number; log10Cells: number },
  to: { day: number; log10Cells: number },
  readyDate: string,
  scales: Scales,
): string {
  const x = scales.x(to.day);
  const y = scales.y(to.log10Cells);
  return [
    '<g class="projection">',
    line(scales.x(from.day), scales.y(from.log10Cells), x, y, {
      stroke: COLOUR.projection,
      width: 2,
      dash: '6 4',
    }),
    `<circle cx="${num(x)}" cy="${num(y)}" r="4" fill="${COLOUR.projection}"/>`,
    text(x, y + 18, `Ready ~ ${readyDate}`, {
      anchor: x > PLOT.right - 60 ? 'end' : 'middle',
      fill: COLOUR.projection,
      halo: true,
    }),
    '</g>',
  ].join('\n');
}

/**
 * The visit the culture must meet: the window in which the final harvest must fall (shaded), the cells the
 * planned knees need (a dashed line), the visit itself, and the verdict, so a doctor sees whether the trip holds.
 */
function renderPlan(plan: ChartPlan, dayOf: (at: Date) => number, scales: Scales): string {
  const from = scales.x(dayOf(plan.finalHarvestWindow.from));
  const to = scales.x(dayOf(plan.finalHarvestWindow.to));
  const visit = scales.x(dayOf(plan.plannedAt));
  const y = scales.y(Math.log10(plan.requiredCells));
  const atRisk = plan.onTrack === false;
  const slack = plan.slackHours === null ? '' : ` (${plan.slackHours >= 0 ? '+' : ''}${plan.slackHours} h)`;
  const verdict =
    plan.onTrack === null
      ? 'Visit: no projection yet'
      : atRisk
        ? `Visit at risk${slack}`
        : `Visit on track${slack}`;
  return [
    '<g class="plan">',
    `<rect class="harvest-window" x="${num(from)}" y="${PLOT.top}" width="${num(Math.max(to - from, 1))}" ` +
      `height="${PLOT.bottom - PLOT.top}" fill="${COLOUR.window}" fill-opacity="0.12"/>`,
    text((from + to) / 2, PLOT.bottom - 22, 'Final harvest window', {
      anchor: 'middle',
      fill: COLOUR.window,
      halo: true,
    }),
    line(visit, PLOT.top, visit, PLOT.bottom, { stroke: COLOUR.window, width: 2, cssClass: 'visit-line' }),
    text(visit, PLOT.bottom - 6, 'Visit', {
      anchor: visit > PLOT.right - 30 ? 'end' : 'middle',
      fill: COLOUR.window,
      halo: true,
    }),
    line(PLOT.left, y, PLOT.right, y, {
      stroke: COLOUR.required,
      width: 2,
      dash: '8 3',
      cssClass: 'required-line',
    }),
    text(PLOT.left + 6, y - 6, `Required ${formatCells(plan.requiredCells)} cells`, {
      fill: COLOUR.required,
      halo: true,
    }),
    text(WIDTH - 16, 28, verdict, {
      anchor: 'end',
      size: 14,
      weight: 'bold',
      fill: atRisk ? COLOUR.atRisk : COLOUR.target,
    }),
    '</g>',
  ].join('\n');
}

/** When the projection reaches the plan's cells: the window's end less the slack (null without one). */
function requiredReachedAt(plan: ChartPlan): Date | null {
  if (plan.slackHours === null) return null;
  return new Date(plan.finalHarvestWindow.to.getTime() - plan.slackHours * 3_600_000);
}

/** The projection carried on to the cells the visit needs, ending where it gets there. */
function renderPlanProjection(
  plan: ChartPlan,
  last: ChartPoint,
  dayOf: (at: Date) => number,
  log10CellsOf: (point: ChartPoint) => number,
  scales: Scales,
): string {
  const reachedAt = requiredReachedAt(plan);
  if (!reachedAt) return '';
  const x = scales.x(dayOf(reachedAt));
  const y = scales.y(Math.log10(plan.requiredCells));
  return [
    '<g class="plan-projection">',
    line(scales.x(dayOf(last.at)), scales.y(log10CellsOf(last)), x, y, {
      stroke: COLOUR.required,
      width: 1.5,
      dash: '2 4',
    }),
    `<circle cx="${num(x)}" cy="${num(y)}" r="4" fill="${plan.onTrack === false ? COLOUR.atRisk : COLOUR.required}"/>`,
    '</g>',
  ].join('\n');
}

function renderToday(day: number, scales: Scales): string {
  const x = scales.x(day);
  if (!Number.isFinite(x) || x < PLOT.left || x > PLOT.right) {
    return '';
  }
  return [
    '<g class="today">',
    line(x, PLOT.top, x, PLOT.bottom, { stroke: COLOUR.today, dash: '2 3' }),
    text(x + 4, PLOT.bottom - 6, 'today', { fill: COLOUR.today, halo: true }),
    '</g>',
  ].join('\n');
}

function renderLegend(withProjection: boolean, withPlan: boolean): string {
  const entries: { label: string; stroke: string; dash?: string }[] = [
    { label: 'Cells (cumulative)', stroke: COLOUR.curve },
    { label: 'Passage', stroke: COLOUR.passage, dash: '4 4' },
    { label: 'Target', stroke: COLOUR.target },
    ...(withProjection ? [{ label: 'Projection', stroke: COLOUR.projection, dash: '6 4' }] : []),
    ...(withPlan ? [{ label: 'Required', stroke: COLOUR.required, dash: '8 3' }] : []),
  ];
  const lines = ['<g class="legend">'];
  // Five entries do not fit at a fixed pitch: each takes its label's width (about 7 px a character at 12 px).
  let x = PLOT.left;
  for (const entry of entries) {
    lines.push(
      line(x, 50, x + 24, 50, { stroke: entry.stroke, width: 2, dash: entry.dash }),
      text(x + 30, 54, entry.label),
    );
    x += entries.length > 4 ? 30 + entry.label.length * 7 + 24 : 150;
  }
  lines.push('</g>');
  return lines.join('\n');
}

function describePoint(point: ChartPoint): string {
  const what =
    point.kind === 'PASSAGE'
      ? `P${point.passageNumber ?? '?'} harvest`
      : { ISOLATION: 'Isolation', COUNT: 'Count', FINAL_HARVEST: 'Final harvest' }[point.kind];
  const viability = point.viabilityPct === null ? '' : `, ${point.viabilityPct}% viable`;
  return (
    `${what} ${point.at.toISOString()}: ${formatCells(point.totalCells)} cells${viability}, ` +
    `cumulative PD ${point.cumulativePopulationDoublings.toFixed(2)}`
  );
}

/** Compact cell numbers a reader takes in at a glance: 100k, 1.5M, 200M, 1B. */
export function formatCells(cells: number): string {
  if (!Number.isFinite(cells)) {
    return '?';
  }
  const rounded = Number(cells.toPrecision(3));
  const units: [number, string][] = [
    [1e12, 'T'],
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  for (const [size, symbol] of units) {
    if (Math.abs(rounded) >= size) {
      return `${Number((rounded / size).toPrecision(3))}${symbol}`;
    }
  }
  return String(rounded);
}

function formatDate(date: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-US-u-ca-gregory', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes): string =>
    parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

function line(
  x1: number,
  y1: number,
  x2: number,
  y2: number,
  style: { stroke: string; width?: number; dash?: string; cssClass?: string },
): string {
  const cssClass = style.cssClass ? ` class="${style.cssClass}"` : '';
  const dash = style.dash ? ` stroke-dasharray="${style.dash}"` : '';
  return (
    `<line${cssClass} x1="${num(x1)}" y1="${num(y1)}" x2="${num(x2)}" y2="${num(y2)}" ` +
    `stroke="${style.stroke}" stroke-width="${style.width ?? 1}"${dash}/>`
  );
}

function text(
  x: number,
  y: number,
  content: string,
  style: {
    anchor?: 'start' | 'middle' | 'end';
    size?: number;
    weight?: string;
    fill?: string;
    rotate?: boolean;
    /** A white outline that keeps a label legible where it crosses lines. */
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

/** Coordinates with one decimal; a non-finite value (never expected) is drawn at 0 rather than as NaN. */
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

function isPositive(value: number): boolean {
  return Number.isFinite(value) && value > 0;
}
