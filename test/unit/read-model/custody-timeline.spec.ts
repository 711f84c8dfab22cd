import { custodyTimeline, handOffEvents } from '../../../src/read-model/custody-timeline';
import { CustodyEntryRow, CustodyScanRow } from '../../../src/read-model/custody.repository';

const DOSE = '11111111-1111-4111-8111-111111111111';
const HARVEST = '22222222-2222-4222-8222-222222222222';
const at = (iso: string) => new Date(iso);

function entry(
  action: string,
  recordedAt: string,
  entityId: string,
  after: Record<string, unknown> = {},
): CustodyEntryRow {
  return {
    at: at(recordedAt),
    atMs: String(at(recordedAt).getTime()),
    actorId: 'u1',
    actorName: 'Sato',
    actorRole: 'technician',
    action,
    entityId,
    after,
  };
}

function scan(handOff: string | null, match: boolean, scannedAt: string, subjectId = DOSE): CustodyScanRow {
  return {
    id: `${handOff}-${scannedAt}`,
    subjectId,
    handOff,
    scan: 'X',
    match,
    reason: match ? null : 'OTHER_ITEM',
    serial: null,
    actorId: 'u1',
    actorName: 'Sato',
    actorRole: 'technician',
    scannedAt: at(scannedAt),
  };
}

describe('custody timeline', () => {
  it('orders by when things happened, marks hand-offs scanned in their own transaction, lists other scans', () => {
    const events = custodyTimeline(
      [
        entry('harvest.collected', '2026-11-01T02:00:00Z', HARVEST, { collectedAt: '2026-11-01T01:00:00Z' }),
        entry('harvest.received', '2026-11-01T05:00:00Z', HARVEST, { receivedAt: '2026-11-01T04:00:00Z' }),
        entry('dose.dispatched', '2026-11-20T01:00:00Z', DOSE, { dispatchedAt: '2026-11-20T00:30:00Z' }),
        entry('dose.received', '2026-11-20T03:00:00Z', DOSE, { receivedAt: '2026-11-20T02:00:00Z' }),
        entry('flag.raised', '2026-11-20T03:00:00Z', DOSE),
      ],
      [
        scan('DOSE_DISPATCH', true, '2026-11-20T01:00:00Z'),
        scan('DOSE_RECEIPT', false, '2026-11-20T02:59:00Z'),
        scan(null, true, '2026-11-10T00:00:00Z'),
      ],
      () => true,
    );
    expect(events.map((e) => [e.kind, e.scanVerified, e.at.toISOString()])).toEqual([
      ['COLLECTED', null, '2026-11-01T01:00:00.000Z'],
      ['RECEIVED', false, '2026-11-01T04:00:00.000Z'],
      ['SCAN', null, '2026-11-10T00:00:00.000Z'],
      ['DISPATCHED', true, '2026-11-20T00:30:00.000Z'],
      ['CLINIC_RECEIVED', false, '2026-11-20T02:00:00.000Z'],
      ['SCAN', null, '2026-11-20T02:59:00.000Z'],
    ]);
    expect(events[0]).toMatchObject({ location: 'CLINIC', actorName: 'Sato' });
    expect(events[3]).toMatchObject({ location: 'CPC' });
  });

  it('a matching scan of another instant does not verify a hand-off', () => {
    const events = custodyTimeline(
      [entry('vial.moved', '2026-11-20T01:00:00Z', DOSE)],
      [scan('VIAL_MOVE', true, '2026-11-20T01:00:01Z')],
      () => true,
    );
    expect(events.map((e) => [e.kind, e.scanVerified])).toEqual([['MOVED', false]]);
  });

  it('hand-offs alone, as the batch record lists them: the same verdicts as the timeline, steps and scans left out', () => {
    const VIAL = '33333333-3333-4333-8333-333333333333';
    const entries = [
      entry('harvest.collected', '2026-11-01T02:00:00Z', HARVEST),
      entry('harvest.received', '2026-11-01T05:00:00Z', HARVEST),
      entry('vial.frozen', '2026-11-15T01:00:00Z', VIAL, { frozenAt: '2026-11-15T00:00:00Z' }),
      entry('vial.moved', '2026-11-16T01:00:00Z', VIAL),
      entry('dose.dispatched', '2026-11-20T01:00:00Z', DOSE),
    ];
    const scans = [
      // A scan of the vial at the move's own instant verifies the move; one a second later would not.
      scan('VIAL_MOVE', true, '2026-11-16T01:00:00Z', VIAL),
      scan('DOSE_DISPATCH', true, '2026-11-20T01:00:01Z'),
      scan(null, true, '2026-11-10T00:00:00Z'),
    ];
    const handOffs = handOffEvents(entries, scans);
    expect(handOffs.map((e) => [e.kind, e.handOff, e.entityId, e.scanVerified])).toEqual([
      ['RECEIVED', 'HARVEST_RECEIPT', HARVEST, false],
      ['FROZEN', 'CRYOPRESERVE', VIAL, false],
      ['MOVED', 'VIAL_MOVE', VIAL, true],
      ['DISPATCHED', 'DOSE_DISPATCH', DOSE, false],
    ]);
    const timeline = custodyTimeline(entries, scans, () => true).filter((e) => e.scanVerified !== null);
    expect(timeline.map((e) => [e.kind, e.scanVerified])).toEqual(
      handOffs.map((e) => [e.kind, e.scanVerified]),
    );
  });
});
