import {
  calibrationDueAt,
  CalibrationEntry,
  qualificationAt,
} from '../../../src/environment/domain/qualification';

const day = (d: number): Date => new Date(Date.parse('2026-01-01T00:00:00Z') + d * 86_400_000);

function calibration(
  id: string,
  performed: number,
  result: 'PASS' | 'FAIL',
  nextDue: number,
): CalibrationEntry {
  return { id, performedAt: day(performed), result, nextDueAt: day(nextDue), recordedAt: day(performed) };
}

describe('equipment qualification at a time', () => {
  const record = {
    initialDueAt: day(30),
    calibrations: [calibration('c1', 25, 'PASS', 120), calibration('c2', 130, 'FAIL', 131)],
  };

  it('uses the due date it arrived with before any calibration', () => {
    expect(qualificationAt({ initialDueAt: day(30), calibrations: [] }, day(29))).toEqual({
      qualified: true,
      reason: null,
      dueAt: day(30),
      calibrationId: null,
    });
  });

  it('is overdue from the due instant on', () => {
    const overdue = qualificationAt({ initialDueAt: day(30), calibrations: [] }, day(30));
    expect(overdue).toMatchObject({ qualified: false, reason: 'CALIBRATION_OVERDUE' });
  });

  it('judges a step by the calibration in force at its own time, not now', () => {
    expect(qualificationAt(record, day(100))).toMatchObject({
      qualified: true,
      calibrationId: 'c1',
      dueAt: day(120),
    });
    expect(qualificationAt(record, day(125))).toMatchObject({
      qualified: false,
      reason: 'CALIBRATION_OVERDUE',
    });
  });

  it('is not qualified after a failed calibration, whatever its next due date', () => {
    expect(qualificationAt(record, day(130.5))).toMatchObject({
      qualified: false,
      reason: 'CALIBRATION_FAILED',
      calibrationId: 'c2',
    });
  });

  it('is qualified again once a later calibration passes', () => {
    const repaired = {
      ...record,
      calibrations: [...record.calibrations, calibration('c3', 132, 'PASS', 300)],
    };
    expect(qualificationAt(repaired, day(133))).toMatchObject({ qualified: true, calibrationId: 'c3' });
  });

  it('takes the later-recorded calibration when two share an instant', () => {
    const tie = {
      initialDueAt: day(30),
      calibrations: [
        { ...calibration('first', 10, 'FAIL', 11), recordedAt: day(10) },
        { ...calibration('second', 10, 'PASS', 100), recordedAt: day(11) },
      ],
    };
    expect(qualificationAt(tie, day(12))).toMatchObject({ qualified: true, calibrationId: 'second' });
  });

  it('raises CALIBRATION_DUE 14 days ahead, and at once after a failure', () => {
    const fresh = { initialDueAt: day(30), calibrations: [] };
    expect(calibrationDueAt(fresh, day(15.9)).holds).toBe(false);
    expect(calibrationDueAt(fresh, day(16))).toMatchObject({
      holds: true,
      failed: false,
      windowOpensAt: day(16),
    });
    expect(calibrationDueAt(record, day(130.5))).toMatchObject({ holds: true, failed: true });
  });
});
