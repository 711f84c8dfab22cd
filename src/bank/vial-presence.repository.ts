import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

/**
 * Where vials stood over time, from their history (`vial_events`): a FROZEN or MOVED event puts a vial in a
 * box until its next event that moves it, thaws it or discards it. Ordered by the events' own times, ties by
 * their order of recording, because paper records may be back-entered.
 */
const STAYS = `
  WITH boxes AS (SELECT id FROM storage_units WHERE root_id = $1 AND kind = 'BOX'),
  candidates AS (
    SELECT DISTINCT e.vial_id FROM vial_events e
     WHERE e.box_id IN (SELECT id FROM boxes) AND e.event IN ('FROZEN', 'MOVED') %CANDIDATES%),
  stays AS (
    SELECT e.vial_id, e.event, e.box_id, e.at, lead(e.at) OVER (PARTITION BY e.vial_id ORDER BY e.at, e.id) AS left_at
      FROM vial_events e JOIN candidates c ON c.vial_id = e.vial_id
     WHERE e.event IN ('FROZEN', 'MOVED', 'THAWED', 'DISCARDED'))
  SELECT DISTINCT s.vial_id AS "vialId" FROM stays s
   WHERE s.event IN ('FROZEN', 'MOVED') AND s.box_id IN (SELECT id FROM boxes)
     AND ($3::timestamptz IS NULL OR s.at <= $3) AND (s.left_at IS NULL OR s.left_at >= $2)`;

@Injectable()
export class VialPresenceRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The vials that stood in a box under the root unit at any moment of [from, to] (to null: until now). */
  async presentDuring(
    rootId: string,
    from: Date,
    to: Date | null,
    manager: EntityManager = this.db.manager,
  ): Promise<string[]> {
    const rows = await manager.query<{ vialId: string }[]>(STAYS.replace('%CANDIDATES%', ''), [
      rootId,
      from,
      to,
    ]);
    return rows.map((row) => row.vialId).sort();
  }

  /**
   * Like {@link presentDuring}, among the vials put into the root's boxes by events recorded after
   * `recordedAfter` only (the vial_events_box_recorded index): what a look made at that instant has not seen.
   */
  async presentDuringAmongRecordedAfter(
    rootId: string,
    from: Date,
    to: Date | null,
    recordedAfter: Date,
    manager: EntityManager = this.db.manager,
  ): Promise<string[]> {
    const rows = await manager.query<{ vialId: string }[]>(
      STAYS.replace('%CANDIDATES%', 'AND e.recorded_at > $4'),
      [rootId, from, to, recordedAfter],
    );
    return rows.map((row) => row.vialId).sort();
  }
}
