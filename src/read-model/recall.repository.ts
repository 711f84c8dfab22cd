import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { UsageEventType } from '../materials/materials.repository';

/** One event of a batch that used the lot. Timestamps come back as ISO UTC strings built in SQL. */
export interface RecallEvent {
  eventType: UsageEventType;
  eventId: string;
  usedAt: string;
}

export interface RecallDose {
  id: string;
  label: string;
  kind: string;
  status: string;
  cells: number;
  formulatedAt: string;
  expiresAt: string;
  administeredAt: string | null;
  site: string | null;
  recalledAt: string | null;
  /** The dose itself was made with the lot (a DOSE usage), not only its batch. */
  madeWithLot: boolean;
}

export interface RecallBatchRow {
  id: string;
  din: string;
  dinCheck: string;
  status: string;
  biohazard: boolean;
  donorId: string;
  donorCode: string;
  clinicId: string;
  recalledAt: Date | null;
  /** The batch's first use of the lot, to the microsecond: the page's sort key and its cursor. */
  cursorAt: string;
  events: RecallEvent[];
  doses: RecallDose[];
}

/** A timestamptz as the API writes times (ISO 8601, UTC, milliseconds), for values built into JSON in SQL. */
const iso = (column: string): string =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** A lot's recall list (read model: material_usages, batches, donors, doses; see read-model.tables.ts). */
@Injectable()
export class RecallRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * One page of the recall list, batches in order of first use. The page's batches are chosen first, from
   * the lot's usages alone (the (lot_id, batch_id) index), and only those are joined to their batch, donor,
   * events and doses: a page costs one pass over the lot's usages plus its own rows, however many batches
   * the lot went into. `after` is the last batch of the previous page (its first use to the microsecond).
   * The batches' banked vials come from the bank (VialRecordsService), added by RecallService.
   */
  async recallPage(
    lotId: string,
    limit: number,
    after: [string, string] | null,
    manager: EntityManager = this.db.manager,
  ): Promise<RecallBatchRow[]> {
    return manager.query<RecallBatchRow[]>(
      `WITH page AS (
         SELECT batch_id, min(used_at) AS first_used_at
           FROM material_usages
          WHERE lot_id = $1
          GROUP BY batch_id
         HAVING $2::timestamptz IS NULL OR (min(used_at), batch_id) > ($2::timestamptz, $3::uuid)
          ORDER BY first_used_at, batch_id
          LIMIT $4)
       SELECT b.id, b.din, b.din_check AS "dinCheck", b.status, b.biohazard, b.donor_id AS "donorId",
              d.code AS "donorCode", b.clinic_id AS "clinicId", b.recalled_at AS "recalledAt",
              to_char(p.first_used_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "cursorAt",
              u.events, coalesce(x.doses, '[]'::json) AS doses
         FROM page p
         JOIN batches b ON b.id = p.batch_id
         JOIN donors d ON d.id = b.donor_id
         CROSS JOIN LATERAL (
           SELECT json_agg(json_build_object('eventType', event_type, 'eventId', event_id, 'usedAt', ${iso('used_at')})
                           ORDER BY used_at, id) AS events,
                  array_agg(event_id) FILTER (WHERE event_type = 'DOSE') AS dose_ids
             FROM material_usages
            WHERE lot_id = $1 AND batch_id = p.batch_id) u
         LEFT JOIN LATERAL (
           SELECT json_agg(json_build_object(
                    'id', ds.id, 'label', ds.label, 'kind', ds.kind, 'status', ds.status, 'cells', ds.cells,
                    'formulatedAt', ${iso('ds.formulated_at')}, 'expiresAt', ${iso('ds.expires_at')},
                    'administeredAt', ${iso('ds.administered_at')}, 'site', ds.site, 'recalledAt', ${iso('ds.recalled_at')},
                    'madeWithLot', coalesce(ds.id = ANY(u.dose_ids), false))
                  ORDER BY ds.label) AS doses
             FROM doses ds
            WHERE ds.batch_id = b.id) x ON true
        ORDER BY p.first_used_at, p.batch_id`,
      [lotId, after?.[0] ?? null, after?.[1] ?? null, limit],
    );
  }
}
