import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { VialPresenceRepository } from './vial-presence.repository';

/**
 * Which vials stood in a tank or freezer (in any box below it) during a stretch of time, from the vials'
 * history: those there when it began, those moved in or out, thawed or discarded during it
 * (docs/environment.md, "Vials on hold").
 */
@Injectable()
export class VialPresence {
  constructor(private readonly presence: VialPresenceRepository) {}

  /** The vials under the root unit at any moment of [from, to]; `to` null means up to now. */
  presentDuring(rootId: string, from: Date, to: Date | null, manager?: EntityManager): Promise<string[]> {
    return this.presence.presentDuring(rootId, from, to, manager);
  }

  /** The same, among vials put into the unit's boxes by events recorded after `recordedAfter` only. */
  presentDuringRecordedAfter(
    rootId: string,
    from: Date,
    to: Date | null,
    recordedAfter: Date,
    manager?: EntityManager,
  ): Promise<string[]> {
    return this.presence.presentDuringAmongRecordedAfter(rootId, from, to, recordedAfter, manager);
  }
}
