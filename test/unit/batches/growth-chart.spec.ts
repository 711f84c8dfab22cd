import { computeGrowth, GrowthInput } from '../../../src/batches/domain/growth';
import { formatCells, GrowthChartInput, renderGrowthSvg } from '../../../src/batches/domain/growth-chart';

const T0 = new Date('2026-11-01T00:00:00Z');
const hoursAfterIsolation = (hours: number): Date => new Date(T0.getTime() + hours * 3_600_000);

/**
 * Enough of an XML parser to prove the output well formed: every tag closes in order, attribute values are
 * quoted, and text holds no raw '<' and no '&' outside an entity.
 */
function expectWellFormedXml(xml: string): void {
  const stack: string[] = [];
  const tag = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/y;
  let position = 0;
  while (position < xml.length) {
    if (xml[position] === '<') {
      tag.lastIndex = position;
      const match = tag.exec(xml);
      if (!match) {
        throw new Error(`malformed tag at ${position}: ${xml.slice(position, position + 60)}`);
      }
      const [whole, closing, name, , selfClosing] = match;
      if (closing) {
        expect(stack.pop()).toBe(name);
      } else if (!selfClosing) {
        stack.push(name);
      }
      position += whole.length;
    } else {
      const end = xml.indexOf('<', position);
      const content = xml.slice(position, end === -1 ? xml.length : end);
      expect(content).not.toMatch(/&(?!(?:amp|lt|gt|quot|apos);)/);
      position += content.length;
    }
  }
  expect(stack).toEqual([]);
}

function aGrowingBatch(): GrowthInput {
  return {
    isolation: { at: T0, cellsPlated: 100_000, viabilityPct: 96 },
    passages: [
      {
        passageNumber: 1,
        at: hoursAfterIsolation(96),
        cellsHarvested: 1_600_000,
        cellsSeeded: 1_600_000,
        viabilityPct: 94,
      },
      {
        passageNumber: 2,
        at: hoursAfterIsolation(192),
        cellsHarvested: 12_800_000,
        cellsSeeded: 12_800_000,
        viabilityPct: 93,
      },
    ],
    counts: [{ at: hoursAfterIsolation(240), totalCells: 25_600_000, viabilityPct: 92 }],
    finalHarvest: null,
    targetCellCount: 100_000_000,
  };
}

function chartOf(batch: GrowthInput, extra: Partial<GrowthChartInput> = {}): string {
  const growth = computeGrowth(batch);
  return renderGrowthSvg({
    din: 'X999926000001',
    points: growth.points,
    targetCellCount: batch.targetCellCount,
    cellsPlated: batch.isolation?.cellsPlated ?? 0,
    projectedReadyAt: growth.projectedReadyAt,
    ...extra,
  });
}

describe('renderGrowthSvg', () => {
  it('renders a well-formed, self-contained SVG titled with the DIN', () => {
    const svg = chartOf(aGrowingBatch());
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expectWellFormedXml(svg);
    expect(svg).toContain('Growth of batch X999926000001');
    expect(svg).not.toMatch(/href=|<script|<image/);
  });

  it('draws the target line labelled with the target', () => {
    const svg = chartOf(aGrowingBatch());
    expect(svg).toContain('class="target-line"');
    expect(svg).toContain('Target 100M cells');
  });

  it('marks each passage', () => {
    const svg = chartOf(aGrowingBatch());
    expect(svg).toContain('>P1</text>');
    expect(svg).toContain('>P2</text>');
  });

  it('labels the y axis in decades of cells and the x axis in days since isolation', () => {
    const svg = chartOf(aGrowingBatch());
    for (const label of ['100k', '1M', '10M', '100M']) {
      expect(svg).toContain(`>${label}</text>`);
    }
    expect(svg).toContain('Days since isolation');
    expect(svg).toContain('>0</text>');
  });

  it('draws a point for every entry, with what was counted in its tooltip', () => {
    const svg = chartOf(aGrowingBatch());
    expect(svg.match(/<circle /g)?.length).toBe(4 + 1); // four points and the projection's end
    expect(svg).toContain('P2 harvest 2026-11-09T00:00:00.000Z: 12.8M cells, 93% viable');
  });

  it('projects to the target with the ready date in the facility zone', () => {
    // Cumulative PD at 96, 192, 240 h is 4, 7, 8. Least squares: mean x 176, mean y 19/3, Sxy 304,
    // Sxx 10752, slope 0.028274 PD/h. Target PD log2(1e8 / 1e5) = 9.9658 is reached at
    // 176 + (9.9658 - 6.3333) / 0.028274 = 304.5 h = 2026-11-13T16:28Z, already the 14th in Tokyo.
    const projected = computeGrowth(aGrowingBatch()).projectedReadyAt;
    expect(projected?.getTime()).toBeCloseTo(hoursAfterIsolation(304.47).getTime(), -5);
    const utc = chartOf(aGrowingBatch());
    const tokyo = chartOf(aGrowingBatch(), { timeZone: 'Asia/Tokyo' });
    expect(utc).toContain('class="projection"');
    expect(utc).toContain('Ready ~ 2026-11-13');
    expect(tokyo).toContain('Ready ~ 2026-11-14');
    expect(utc).toContain('>Projection</text>');
  });

  it('shows today while the batch is still projected', () => {
    const svg = chartOf(aGrowingBatch(), { now: hoursAfterIsolation(250) });
    expect(svg).toContain('>today</text>');
  });

  it('draws no projection once there is none (after the final harvest)', () => {
    const batch = {
      ...aGrowingBatch(),
      finalHarvest: { at: hoursAfterIsolation(288), totalCells: 102_400_000, viabilityPct: 91 },
    };
    const svg = chartOf(batch, { now: hoursAfterIsolation(300) });
    expectWellFormedXml(svg);
    expect(svg).not.toContain('class="projection"');
    expect(svg).not.toContain('today');
  });

  it('escapes text taken from the record', () => {
    const svg = chartOf(aGrowingBatch(), { din: '<script>alert("x")</script>&' });
    expect(svg).not.toContain('<script');
    expect(svg).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;');
    expectWellFormedXml(svg);
  });

  it.each([
    ['no point', []],
    [
      'only the isolation',
      [
        {
          at: T0,
          kind: 'ISOLATION' as const,
          totalCells: 100_000,
          viabilityPct: 96,
          cumulativePopulationDoublings: 0,
        },
      ],
    ],
  ])('says "No counts yet" with %s', (_, points) => {
    const svg = renderGrowthSvg({
      din: 'X999926000001',
      points,
      targetCellCount: 100_000_000,
      cellsPlated: 100_000,
      projectedReadyAt: null,
    });
    expectWellFormedXml(svg);
    expect(svg).toContain('No counts yet');
    expect(svg).not.toMatch(/NaN|Infinity|undefined/);
  });

  it('never writes NaN, Infinity or undefined, even from nonsense input', () => {
    const svgs = [
      chartOf(aGrowingBatch()),
      chartOf(aGrowingBatch(), { cellsPlated: 0, targetCellCount: 0 }),
      chartOf(aGrowingBatch(), { projectedReadyAt: new Date(Number.NaN) }),
      renderGrowthSvg({
        din: 'X999926000001',
        points: [
          { at: T0, kind: 'ISOLATION', totalCells: 0, viabilityPct: null, cumulativePopulationDoublings: 0 },
          { at: T0, kind: 'COUNT', totalCells: 0, viabilityPct: 0, cumulativePopulationDoublings: 0 },
        ],
        targetCellCount: 100_000_000,
        cellsPlated: 0,
        projectedReadyAt: null,
      }),
    ];
    for (const svg of svgs) {
      expectWellFormedXml(svg);
      expect(svg).not.toMatch(/NaN|Infinity|undefined/);
    }
  });
});

describe('formatCells', () => {
  it.each([
    [0, '0'],
    [950, '950'],
    [1_000, '1k'],
    [100_000, '100k'],
    [1_500_000, '1.5M'],
    [999_950, '1M'],
    [128_000_000, '128M'],
    [2_000_000_000, '2B'],
  ])('writes %p as %p', (cells, text) => {
    expect(formatCells(cells)).toBe(text);
  });
});

describe('renderGrowthSvg with an injection plan', () => {
  const DAY = 86_400_000;
  const T0 = new Date('2026-11-02T01:00:00Z');
  const day = (d: number): Date => new Date(T0.getTime() + d * DAY);
  const chart = (onTrack: boolean | null, slackHours: number | null): string =>
    renderGrowthSvg({
      din: 'X999926000042',
      points: [
        {
          at: day(0),
          kind: 'ISOLATION',
          totalCells: 1e5,
          viabilityPct: 95,
          cumulativePopulationDoublings: 0,
        },
        {
          at: day(6),
          kind: 'PASSAGE',
          passageNumber: 1,
          totalCells: 2.4e6,
          viabilityPct: 95,
          cumulativePopulationDoublings: 4.6,
        },
      ],
      targetCellCount: 1e8,
      cellsPlated: 1e5,
      projectedReadyAt: day(14),
      plan: {
        plannedAt: day(20.5),
        requiredCells: 2e8,
        finalHarvestWindow: { from: day(18.5), to: day(20) },
        onTrack,
        slackHours,
      },
    });

  it('shades the final-harvest window, draws the required cells and says whether the visit holds', () => {
    const svg = chart(false, -20);
    expect(svg).toContain('class="harvest-window"');
    expect(svg).toContain('class="required-line"');
    expect(svg).toContain('Required 200M cells');
    expect(svg).toContain('Visit at risk (-20 h)');
    expect(svg).toContain('class="plan-projection"');
    expect(chart(true, 36.5)).toContain('Visit on track (+36.5 h)');
    expect(chart(null, null)).toContain('Visit: no projection yet');
  });
});
