import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** One audited record of an item's path, with the actor's name (the audit trail is the record of who did what). */
export interface CustodyEntryRow {
  at: Date;
  /** The instant the entry was recorded, in ms exactly as the trail holds it (its transaction's time). */
  atMs: string;
  actorId: string | null;
  actorName: string | null;
  actorRole: string | null;
  action: string;
  entityId: string;
  after: Record<string, unknown> | null;
}

export interface CustodyScanRow {
  id: string;
  subjectId: string;
  handOff: string | null;
  scan: string;
  match: boolean;
  reason: string | null;
  serial: string | null;
  actorId: string;
  actorName: string | null;
  actorRole: string;
  scannedAt: Date;
}

/** The reads behind the custody timelines (GET /doses/:id/custody, GET /vials/:id/custody). */
@Injectable()
export class CustodyRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async doseOf(doseId: string): Promise<{ id: string; label: string; batchId: string } | null> {
    const rows = await this.db.query<{ id: string; label: string; batchId: string }[]>(
      'SELECT id, label, batch_id AS "batchId" FROM doses WHERE id = $1',
      [doseId],
    );
    return rows[0] ?? null;
  }

  async vialOf(vialId: string): Promise<{ id: string; label: string; batchId: string } | null> {
    const rows = await this.db.query<{ id: string; label: string; batchId: string }[]>(
      'SELECT id, label, batch_id AS "batchId" FROM vials WHERE id = $1',
      [vialId],
    );
    return rows[0] ?? null;
  }

  /** The audit entries of the given records with the given actions, in the order they were recorded. */
  entries(entityIds: readonly string[], actions: readonly string[]): Promise<CustodyEntryRow[]> {
    return this.db.query<CustodyEntryRow[]>(
      `SELECT a.at, (a.canonical::jsonb ->> 'at') AS "atMs", a.actor_id AS "actorId", u.name AS "actorName", a.actor_role AS "actorRole", a.action,
              a.entity_id AS "entityId", a.after
         FROM audit_entries a LEFT JOIN users u ON u.id = a.actor_id
        WHERE a.entity_id = ANY($1::text[]) AND a.action = ANY($2::text[])
        ORDER BY a.seq`,
      [entityIds, actions],
    );
  }

  scans(subjectIds: readonly string[]): Promise<CustodyScanRow[]> {
    return this.db.query<CustodyScanRow[]>(
      `SELECT s.id, s.subject_id AS "subjectId", s.hand_off AS "handOff", s.scan, s.match, s.reason, s.serial,
              s.actor_id AS "actorId", u.name AS "actorName", s.actor_role AS "actorRole", s.scanned_at AS "scannedAt"
         FROM scans s LEFT JOIN users u ON u.id = s.actor_id
        WHERE s.subject_id = ANY($1::uuid[])
        ORDER BY s.scanned_at, s.id`,
      [subjectIds],
    );
  }
}
