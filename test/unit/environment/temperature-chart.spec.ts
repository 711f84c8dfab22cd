import {
  renderTemperatureSvg,
  TemperatureChartInput,
} from '../../../src/environment/domain/temperature-chart';

const from = new Date('2026-10-01T00:00:00Z');
const to = new Date('2026-10-02T00:00:00Z');
const minute = (m: number): Date => new Date(from.getTime() + m * 60_000);

function input(overrides: Partial<TemperatureChartInput> = {}): TemperatureChartInput {
  return {
    unitName: 'Tank <1> & co',
    from,
    to,
    limits: { minC: -200, maxC: -150, excursionMinutes: 10 },
    readings: Array.from({ length: 120 }, (_, m) => ({
      at: minute(m),
      temperatureC: m === 50 ? -140 : -190,
    })),
    excursions: [{ startedAt: minute(50), endedAt: minute(51), status: 'ENDED', minC: -140, maxC: -140 }],
    downsampled: false,
    timeZone: 'UTC',
    ...overrides,
  };
}

describe('temperature chart', () => {
  it('draws both limits, the excursion band and the readings, with the name escaped', () => {
    const svg = renderTemperatureSvg(input());
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('Temperature of Tank &lt;1&gt; &amp; co');
    expect(svg).toContain('upper limit \u2212150 \u00b0C');
    expect(svg).toContain('lower limit \u2212200 \u00b0C');
    expect(svg.match(/class="excursion"/g)).toHaveLength(1);
    expect(svg).toContain('excursion 2026-10-01 00:50, 1 min, peak \u2212140 \u00b0C (ENDED)');
    expect(svg.match(/class="out-of-range"/g)).toHaveLength(1);
    expect(svg.match(/<polyline/g)).toHaveLength(1);
  });

  it('breaks the line where monitoring stopped, and says so', () => {
    const readings = [
      ...input().readings,
      { at: minute(600), temperatureC: -190 },
      { at: minute(601), temperatureC: -190 },
    ];
    const svg = renderTemperatureSvg(input({ readings }));
    expect(svg.match(/<polyline/g)).toHaveLength(2);
    expect(svg).toContain('no readings');
    expect(svg.match(/class="gap"/g)).toHaveLength(1);
  });

  it('says when there is nothing to draw, and when the readings are downsampled', () => {
    expect(renderTemperatureSvg(input({ readings: [], excursions: [] }))).toContain(
      'No readings in this period',
    );
    expect(renderTemperatureSvg(input({ downsampled: true }))).toContain('downsampled');
  });

  it('draws an excursion still open up to the end of the period', () => {
    const svg = renderTemperatureSvg(
      input({
        excursions: [{ startedAt: minute(100), endedAt: null, status: 'OPEN', minC: -140, maxC: -130 }],
      }),
    );
    expect(svg).toContain('still out of range');
  });
});
