import { Inject, Injectable, Logger } from '@nestjs/common';
import { appConfig, AppConfig } from '../../config/app.config';
import { LegacyVialsService } from '../bank/legacy-vials.service';
import { LegacyBatchesService } from '../batches/legacy-batches.service';
import { Actor } from '../common/transaction/actor';
import { TransactionContext, Transactions } from '../common/transaction/transactions.service';
import { KnownDonor, LegacyDonorsService } from '../donors/legacy-donors.service';
import { InventoryChunk, inventoryChunks } from './domain/inventory-chunks';
import { ImportRow, ImportsRepository } from './imports.repository';
import { InventoryAssessor, ResolvedRow } from './inventory-assessor.service';

export interface ImportRunResult {
  state: string;
  /** Chunks this run banked (a resumed run banks only what was left). */
  chunks: number;
}

const FINISHED = new Set(['COMPLETED', 'FAILED']);

/**
 * Runs an import (the imports queue's job, src/imports/imports.processor.ts): the file is read from the start,
 * every line checked, and the lines after the checkpoint banked a chunk per transaction. Each chunk's
 * transaction locks the import row and moves its checkpoint, so a run that died (a worker killed, the database
 * gone) is resumed by the job's next attempt where it stopped, and a second runner of the same import finds
 * the checkpoint moved and leaves. Chunks of all imports take one lock, so concurrent imports of overlapping
 * files bank one after the other and meet no half-made donor or batch.
 */
@Injectable()
export class ImportRunner {
  private readonly logger = new Logger('ImportRunner');

  constructor(
    private readonly transactions: Transactions,
    private readonly imports: ImportsRepository,
    private readonly assessor: InventoryAssessor,
    private readonly donors: LegacyDonorsService,
    private readonly batches: LegacyBatchesService,
    private readonly bank: LegacyVialsService,
    @Inject(appConfig.KEY) private readonly env: AppConfig,
  ) {}

  async run(importId: string): Promise<ImportRunResult> {
    const found = await this.imports.findById(importId);
    if (!found || FINISHED.has(found.state)) return { state: found?.state ?? 'MISSING', chunks: 0 };
    const content = (await this.imports.findContent(importId)) as string;
    // The admin who asked: every record the import makes is theirs.
    const actor: Actor = { id: found.requestedBy, role: 'admin', clinicId: null };
    await this.transactions.run(actor, (tx) => this.imports.markRunning(importId, tx.now, tx.manager));
    let lastLine = found.lastLine;
    let chunks = 0;
    // Lines are judged at the time of the request (a freezing "in the future"), so a resumed run agrees.
    for await (const chunk of inventoryChunks(
      content,
      found.requestedAt,
      this.env.importChunkLines,
      lastLine,
    )) {
      if (!(await this.runChunk(actor, found, lastLine, chunk))) {
        this.logger.log(`import ${importId}: another run moved past line ${lastLine}; leaving it that`);
        return { state: 'RUNNING', chunks };
      }
      lastLine = chunk.lastLine;
      chunks += 1;
    }
    await this.finish(actor, importId, 'COMPLETED', null);
    return { state: 'COMPLETED', chunks };
  }

  /** Marks the import finished (a failure keeps what was banked: a re-run of the file completes it). */
  async finish(
    actor: Actor,
    importId: string,
    state: 'COMPLETED' | 'FAILED',
    failure: string | null,
  ): Promise<void> {
    await this.transactions.run(actor, async (tx) => {
      const current = await this.imports.lockById(importId, tx.manager);
      if (!current || FINISHED.has(current.state)) return;
      await this.imports.finish(importId, state, failure, tx.now, tx.manager);
      tx.audit({
        action: state === 'COMPLETED' ? 'import.completed' : 'import.failed',
        entityType: 'import',
        entityId: importId,
        before: { state: current.state },
        after: {
          state,
          total: current.total,
          processed: current.processed,
          created: current.created,
          skipped: current.skipped,
          errors: current.errorCount,
          failure,
        },
      });
    });
  }

  /** One chunk in one transaction; false when another run has moved the checkpoint. */
  private runChunk(
    actor: Actor,
    found: ImportRow,
    expectedLastLine: number,
    chunk: InventoryChunk,
  ): Promise<boolean> {
    return this.transactions.run(actor, async (tx) => {
      const current = await this.imports.lockById(found.id, tx.manager);
      if (!current || current.lastLine !== expectedLastLine || FINISHED.has(current.state)) return false;
      await this.imports.lockLegacyBank(tx.manager);
      const assessment = await this.assessor.assess(chunk.rows, tx.manager);
      await this.bankRows(tx, assessment.toBank, found);
      await this.imports.recordChunk(
        found.id,
        current.errorCount,
        {
          lastLine: chunk.lastLine,
          lines: chunk.lines,
          created: assessment.toBank.length,
          skipped: assessment.skipped.length,
          errors: [...chunk.errors, ...assessment.errors].sort((a, b) => a.line - b.line),
        },
        tx.now,
        tx.manager,
      );
      return true;
    });
  }

  /** The chunk's new donors, then its new batches, then the vials and the batches' banked cells. */
  private async bankRows(
    tx: TransactionContext,
    rows: readonly ResolvedRow[],
    found: ImportRow,
  ): Promise<void> {
    if (rows.length === 0) return;
    const refKey = (clinicId: string, externalRef: string): string => `${clinicId}\u0000${externalRef}`;
    const newDonors = new Map<string, ResolvedRow>();
    for (const row of rows) {
      const key = refKey(row.clinicId, row.externalRef);
      if (row.donor === null && !newDonors.has(key)) newDonors.set(key, row);
    }
    const created = await this.donors.create(
      tx,
      [...newDonors.values()].map((row) => ({
        clinicId: row.clinicId,
        externalRef: row.externalRef,
        birthYear: row.birthYear,
        sex: row.sex,
      })),
      found.id,
    );
    const createdByKey = new Map(created.map((donor) => [refKey(donor.clinicId, donor.externalRef), donor]));
    const donorIdOf = (row: ResolvedRow): string =>
      row.donor?.id ?? (createdByKey.get(refKey(row.clinicId, row.externalRef)) as KnownDonor).id;

    const newBatches = new Map<string, ResolvedRow>();
    for (const row of rows) if (row.batch === null && !newBatches.has(row.din)) newBatches.set(row.din, row);
    const batchIds = await this.batches.create(
      tx,
      [...newBatches.values()].map((row) => ({
        din: row.din,
        donorId: donorIdOf(row),
        clinicId: row.clinicId,
      })),
      found.id,
    );
    const batchIdOf = (row: ResolvedRow): string => row.batch?.id ?? (batchIds.get(row.din) as string);

    const vials = rows.map((row) => ({
      label: row.vialLabel,
      ordinal: row.ordinal,
      batchId: batchIdOf(row),
      din: row.din,
      donorId: donorIdOf(row),
      clinicId: row.clinicId,
      cells: row.cells,
      frozenAt: row.frozenAt,
      boxId: row.boxId,
      row: row.row,
      col: row.col,
    }));
    // Reviews fall on each vial's next freezing anniversary after the request (a resumed run agrees).
    await this.bank.bank(tx, vials, found.requestedAt, found.id);
    const cells = new Map<string, number>();
    for (const vial of vials) cells.set(vial.batchId, (cells.get(vial.batchId) ?? 0) + vial.cells);
    await this.batches.addBankedCells(tx, cells);
  }
}
