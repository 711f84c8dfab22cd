import { CustodyEntryRow, CustodyScanRow } from './custody.repository';

export type CustodyKind =
  | 'COLLECTED'
  | 'RECEIVED'
  | 'BATCH_CREATED'
  | 'ISOLATED'
  | 'PASSAGED'
  | 'COUNTED'
  | 'FINAL_HARVEST'
  | 'RELEASED'
  | 'FORMULATED'
  | 'FROZEN'
  | 'MOVED'
  | 'DISPATCHED'
  | 'CLINIC_RECEIVED'
  | 'THAWED'
  | 'ADMINISTERED'
  | 'DESTROYED'
  | 'DISCARDED'
  | 'SCAN';

export const CUSTODY_KINDS: readonly CustodyKind[] = [
  'COLLECTED',
  'RECEIVED',
  'BATCH_CREATED',
  'ISOLATED',
  'PASSAGED',
  'COUNTED',
  'FINAL_HARVEST',
  'RELEASED',
  'FORMULATED',
  'FROZEN',
  'MOVED',
  'DISPATCHED',
  'CLINIC_RECEIVED',
  'THAWED',
  'ADMINISTERED',
  'DESTROYED',
  'DISCARDED',
  'SCAN',
];

export interface CustodyEvent {
  at: Date;
  kind: CustodyKind;
  actorId: string | null;
  actorName: string | null;
  actorRole: string | null;
  location: 'CLINIC' | 'CPC';
  scanVerified: boolean | null;
  details: Record<string, unknown>;
}

/**
 * How an audited action shows on a timeline: its kind, where it happened, the hand-off whose scan it may carry
 * (null where no item changes hands), and where in the entry's `after` the event's own time is (the time it
 * happened, which may be earlier than when it was recorded).
 */
interface Mapping {
  kind: CustodyKind;
  location: 'CLINIC' | 'CPC';
  handOff: string | null;
  time: readonly string[];
}

const MAPPINGS: Record<string, Mapping> = {
  'harvest.collected': { kind: 'COLLECTED', location: 'CLINIC', handOff: null, time: ['collectedAt'] },
  'harvest.received': { kind: 'RECEIVED', location: 'CPC', handOff: 'HARVEST_RECEIPT', time: ['receivedAt'] },
  'batch.created': { kind: 'BATCH_CREATED', location: 'CPC', handOff: null, time: [] },
  'batch.isolation_recorded': {
    kind: 'ISOLATED',
    location: 'CPC',
    handOff: null,
    time: ['isolation.performedAt'],
  },
  'batch.passage_recorded': {
    kind: 'PASSAGED',
    location: 'CPC',
    handOff: null,
    time: ['passage.performedAt'],
  },
  'batch.cell_count_recorded': { kind: 'COUNTED', location: 'CPC', handOff: null, time: ['count.countedAt'] },
  'batch.final_harvest_recorded': {
    kind: 'FINAL_HARVEST',
    location: 'CPC',
    handOff: null,
    time: ['finalHarvest.performedAt'],
  },
  'batch.released': { kind: 'RELEASED', location: 'CPC', handOff: null, time: ['signedAt'] },
  'batch.dose_formulated': { kind: 'FORMULATED', location: 'CPC', handOff: null, time: ['formulatedAt'] },
  'vial.frozen': { kind: 'FROZEN', location: 'CPC', handOff: 'CRYOPRESERVE', time: ['frozenAt'] },
  'vial.moved': { kind: 'MOVED', location: 'CPC', handOff: 'VIAL_MOVE', time: [] },
  'vial.thawed': { kind: 'THAWED', location: 'CPC', handOff: 'THAW', time: ['thawedAt'] },
  'vial.discarded': { kind: 'DISCARDED', location: 'CPC', handOff: null, time: [] },
  'dose.dispatched': {
    kind: 'DISPATCHED',
    location: 'CPC',
    handOff: 'DOSE_DISPATCH',
    time: ['dispatchedAt'],
  },
  'dose.received': {
    kind: 'CLINIC_RECEIVED',
    location: 'CLINIC',
    handOff: 'DOSE_RECEIPT',
    time: ['receivedAt'],
  },
  'dose.rejected_at_receipt': {
    kind: 'CLINIC_RECEIVED',
    location: 'CLINIC',
    handOff: 'DOSE_RECEIPT',
    time: ['receivedAt'],
  },
  'dose.administered': {
    kind: 'ADMINISTERED',
    location: 'CLINIC',
    handOff: 'ADMINISTRATION',
    time: ['administeredAt'],
  },
  'dose.destroyed': { kind: 'DESTROYED', location: 'CLINIC', handOff: null, time: ['destroyedAt'] },
};

export const CUSTODY_ACTIONS: readonly string[] = [...Object.keys(MAPPINGS), 'harvest.rejected'];

/** A time an item changed hands (receipt, freezing, move, thaw, dispatch, clinic receipt, administration). */
export interface HandOffEvent extends CustodyEvent {
  /** The hand-off whose scan would confirm it (the scans' `hand_off`), e.g. DOSE_DISPATCH. */
  handOff: string;
  /** The item that changed hands: the harvest, the vial or the dose. */
  entityId: string;
  scanVerified: boolean;
}

/**
 * The hand-offs alone among the given trail entries, oldest first, each marked with whether its item was
 * scanned and matched in the hand-off's own transaction. The batch record (src/read-model/batch-record.service.ts)
 * lists these; the custody timelines below mark the same entries the same way.
 */
export function handOffEvents(
  entries: readonly CustodyEntryRow[],
  scans: readonly CustodyScanRow[],
): HandOffEvent[] {
  const verified = verifiedHandOffs(scans);
  const events: HandOffEvent[] = [];
  for (const entry of entries) {
    const mapping = mappingOf(entry);
    if (!mapping?.handOff) continue;
    events.push({
      ...eventOf(entry, mapping, verified),
      handOff: mapping.handOff,
      entityId: entry.entityId,
      scanVerified: isVerified(entry, mapping.handOff, verified),
    });
  }
  return byTime(events);
}

/**
 * The timeline, oldest first: one event per audited step of the item's path, each hand-off marked with whether
 * its item was scanned (a matching scan recorded in the hand-off's own transaction, so at the same instant), and
 * every scan that was not part of a hand-off that passed (checks on their own, failed hand-off checks).
 * `keep` drops entries of the batch that are about another item (another dose's formulation).
 */
export function custodyTimeline(
  entries: readonly CustodyEntryRow[],
  scans: readonly CustodyScanRow[],
  keep: (entry: CustodyEntryRow) => boolean,
): CustodyEvent[] {
  const verified = verifiedHandOffs(scans);
  const events: CustodyEvent[] = [];
  for (const entry of entries) {
    const mapping = mappingOf(entry);
    if (mapping && keep(entry)) events.push(eventOf(entry, mapping, verified));
  }
  for (const scan of scans.filter((s) => !s.match || s.handOff === null)) {
    events.push({
      at: new Date(scan.scannedAt),
      kind: 'SCAN',
      actorId: scan.actorId,
      actorName: scan.actorName,
      actorRole: scan.actorRole,
      location: scan.actorRole === 'doctor' ? 'CLINIC' : 'CPC',
      scanVerified: null,
      details: {
        scan: scan.scan,
        match: scan.match,
        reason: scan.reason,
        handOff: scan.handOff,
        serial: scan.serial,
      },
    });
  }
  return byTime(events);
}

function mappingOf(entry: CustodyEntryRow): Mapping | undefined {
  return MAPPINGS[entry.action === 'harvest.rejected' ? 'harvest.received' : entry.action];
}

function eventOf(entry: CustodyEntryRow, mapping: Mapping, verified: ReadonlySet<string>): CustodyEvent {
  return {
    at: eventTime(entry, mapping.time),
    kind: mapping.kind,
    actorId: entry.actorId,
    actorName: entry.actorName,
    actorRole: entry.actorRole,
    location: mapping.location,
    scanVerified: mapping.handOff === null ? null : isVerified(entry, mapping.handOff, verified),
    details: { action: entry.action, entityId: entry.entityId },
  };
}

/** The matching scans recorded at a hand-off, keyed by item, hand-off and instant. */
function verifiedHandOffs(scans: readonly CustodyScanRow[]): Set<string> {
  return new Set(
    scans
      .filter((s) => s.match && s.handOff !== null)
      .map((s) => `${s.subjectId}|${s.handOff}|${time(s.scannedAt)}`),
  );
}

/** A hand-off is verified when a matching scan of its item was recorded in its transaction (same instant). */
function isVerified(entry: CustodyEntryRow, handOff: string, verified: ReadonlySet<string>): boolean {
  return verified.has(`${scanSubject(entry)}|${handOff}|${Number(entry.atMs)}`);
}

// A stable sort: entries keep the trail's order among events of one instant.
function byTime<T extends CustodyEvent>(events: T[]): T[] {
  return events.sort((a, b) => a.at.getTime() - b.at.getTime());
}

/** The item a hand-off's scan is recorded against: the entry's own entity (the harvest, the vial, the dose). */
function scanSubject(entry: CustodyEntryRow): string {
  return entry.entityId;
}

function eventTime(entry: CustodyEntryRow, paths: readonly string[]): Date {
  for (const path of paths) {
    let value: unknown = entry.after;
    for (const key of path.split('.')) value = (value as Record<string, unknown> | null)?.[key];
    if (typeof value === 'string' || typeof value === 'number') return new Date(value);
  }
  return new Date(entry.at);
}

function time(at: Date | string): number {
  return new Date(at).getTime();
}
