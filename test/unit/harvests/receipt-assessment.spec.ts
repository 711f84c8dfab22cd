import {
  assessReceipt,
  ReceiptDeviationCode,
  RejectionCode,
} from '../../../src/harvests/domain/receipt-assessment';

const collectedAt = new Date('2026-11-24T00:00:00Z');
const hoursLater = (hours: number): Date => new Date(collectedAt.getTime() + hours * 3_600_000);

describe('harvest receipt assessment', () => {
  it('receives intact tissue at 2-8 C within 48 h, with no deviation', () => {
    expect(assessReceipt({ collectedAt, receivedAt: hoursLater(6), temperatureC: 4, intact: true })).toEqual({
      status: 'RECEIVED',
      rejections: [],
      deviations: [],
      transitHours: 6,
    });
  });

  it('accepts the range limits 2 C and 8 C and exactly 48 h', () => {
    expect(
      assessReceipt({ collectedAt, receivedAt: hoursLater(48), temperatureC: 2, intact: true }).status,
    ).toBe('RECEIVED');
    expect(
      assessReceipt({ collectedAt, receivedAt: hoursLater(48), temperatureC: 8, intact: true }).deviations,
    ).toEqual([]);
  });

  it('rejects a container that is not intact', () => {
    const assessment = assessReceipt({
      collectedAt,
      receivedAt: hoursLater(2),
      temperatureC: 4,
      intact: false,
    });
    expect(assessment.status).toBe('REJECTED');
    expect(assessment.rejections.map((r) => r.code)).toEqual([RejectionCode.NOT_INTACT]);
  });

  it('rejects tissue received over 48 h after collection (by a millisecond)', () => {
    const receivedAt = new Date(hoursLater(48).getTime() + 1);
    const assessment = assessReceipt({ collectedAt, receivedAt, temperatureC: 4, intact: true });
    expect(assessment.status).toBe('REJECTED');
    expect(assessment.rejections.map((r) => r.code)).toEqual([RejectionCode.TRANSIT_TOO_LONG]);
  });

  it('accepts tissue outside 2-8 C but records a temperature deviation', () => {
    for (const temperatureC of [1.99, 8.01, -20]) {
      const assessment = assessReceipt({
        collectedAt,
        receivedAt: hoursLater(3),
        temperatureC,
        intact: true,
      });
      expect(assessment.status).toBe('RECEIVED');
      expect(assessment.deviations).toEqual([
        expect.objectContaining({
          code: ReceiptDeviationCode.TEMPERATURE_OUT_OF_RANGE,
          temperatureC,
          minC: 2,
          maxC: 8,
        }),
      ]);
    }
  });

  it('records every reason at once: not intact, too late and too warm', () => {
    const assessment = assessReceipt({
      collectedAt,
      receivedAt: hoursLater(50),
      temperatureC: 12,
      intact: false,
    });
    expect(assessment.status).toBe('REJECTED');
    expect(assessment.rejections).toHaveLength(2);
    expect(assessment.deviations).toHaveLength(1);
  });
});
