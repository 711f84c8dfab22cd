import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { appConfig, AppConfig } from '../../config/app.config';
import { BatchesService } from '../batches/batches.service';
import { DomainError, notFound } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { actorOf, AuthUser } from '../common/transaction/auth-user';
import { Transactions } from '../common/transaction/transactions.service';
import { validationFailed } from '../common/validation/validation';
import { labelContent } from './domain/label-content';
import { parseScan } from './domain/scan-parser';
import { Identified, Verdict } from './domain/scan-verdict';
import { SubjectType } from './domain/subject-type';
import {
  CreateLabelRunDto,
  LabelRunListItemDto,
  LabelRunViewDto,
  ProductCodeViewDto,
  PutProductCodeDto,
  ScanResultDto,
  VerifyScanDto,
  VoidLabelRunDto,
} from './dto/labels.dto';
import { LabelSubjects } from './label-subjects.service';
import { LabelRunRow, LabelsRepository } from './labels.repository';
import { ProductForm } from './product-code.entity';
import { renderLabelsPdf } from './render/label-pdf';
import { labelSizeOf } from './render/label-size';
import { renderLabelsZpl } from './render/label-zpl';
import { ScanVerifier } from './scan-verifier.service';

/**
 * Product codes, label print runs (print, reprint with a reason, void) and their PDF and ZPL, and the scan
 * check on its own (docs/labels.md). Labels are drawn on request from the records, like every document.
 */
@Injectable()
export class LabelsService {
  constructor(
    private readonly labels: LabelsRepository,
    private readonly subjects: LabelSubjects,
    private readonly scans: ScanVerifier,
    private readonly batches: BatchesService,
    private readonly transactions: Transactions,
    @Inject(appConfig.KEY) private readonly env: AppConfig,
  ) {}

  async putProductCode(
    user: AuthUser,
    form: ProductForm,
    dto: PutProductCodeDto,
  ): Promise<ProductCodeViewDto> {
    return this.transactions.run(actorOf(user), async (tx) => {
      const row = { form, ...dto, updatedBy: user.id, updatedAt: tx.now };
      const before = await this.labels.upsertProductCode(row, tx.manager);
      tx.audit({
        action: 'product_code.set',
        entityType: 'product_code',
        entityId: form,
        before: before && {
          code: before.code,
          typeOfDonation: before.typeOfDonation,
          description: before.description,
        },
        after: dto,
      });
      return row;
    });
  }

  /** Checks, in order: doctor on a non-harvest (403), item 404, item state 409, a reprint without reason 400. */
  async print(user: AuthUser, dto: CreateLabelRunDto): Promise<LabelRunViewDto> {
    this.assertMayPrint(user, dto.subjectType);
    const subject = await this.subjects.find(user, dto.subjectType, dto.subjectId);
    if (!LabelSubjects.labellable(subject.status)) {
      throw new DomainError(ErrorCode.INVALID_TRANSITION, `No labels for a ${subject.status} item`, {
        status: subject.status,
      });
    }
    const copies = dto.copies ?? 1;
    return this.transactions.run(actorOf(user), async (tx) => {
      const runNumber = (await this.labels.lockSubject(dto.subjectId, tx.manager)) + 1;
      if (runNumber > 1 && dto.reason === undefined) {
        throw validationFailed([
          { field: 'reason', errors: ['a reprint needs a reason: labels were printed already'] },
        ]);
      }
      const id = randomUUID();
      const serials = await this.labels.nextSerials(copies, tx.manager);
      const run = {
        id,
        subjectType: dto.subjectType,
        subjectId: dto.subjectId,
        runNumber,
        copies,
        reprint: runNumber > 1,
        reason: dto.reason ?? null,
        printedBy: user.id,
        printedAt: tx.now,
      };
      await this.labels.insertRun(
        run,
        serials.map((serial, i) => ({
          serial,
          runId: id,
          copy: i + 1,
          ...subjectKey(dto),
          itemLabel: subject.facts.itemLabel,
        })),
        tx.manager,
      );
      const view = runView({ ...run, serials, voided: false });
      tx.audit({
        action: run.reprint ? 'label.reprinted' : 'label.printed',
        entityType: dto.subjectType.toLowerCase(),
        entityId: dto.subjectId,
        after: view,
        reason: run.reason,
      });
      return view;
    });
  }

  async list(subjectId: string): Promise<LabelRunListItemDto[]> {
    return (await this.labels.listOfSubject(subjectId)).map((row) => ({
      ...runView(row),
      voided: row.voided,
    }));
  }

  async pdf(user: AuthUser, runId: string): Promise<Buffer> {
    const { run, contents } = await this.printable(user, runId);
    return renderLabelsPdf(contents, labelSizeOf(run.subjectType));
  }

  async zpl(user: AuthUser, runId: string): Promise<string> {
    const { run, contents } = await this.printable(user, runId);
    return renderLabelsZpl(contents, labelSizeOf(run.subjectType));
  }

  /** One void per run (the void's primary key): of two QA users voiding at once, one wins, the other is 409. */
  async void(user: AuthUser, runId: string, dto: VoidLabelRunDto): Promise<LabelRunListItemDto> {
    return this.transactions.run(actorOf(user), async (tx) => {
      const run = await this.labels.findRun(runId, tx.manager);
      if (!run) throw notFound('Label run', runId);
      await this.labels.lockSubject(run.subjectId, tx.manager);
      if ((await this.labels.findRun(runId, tx.manager))?.voided) {
        throw new DomainError(ErrorCode.INVALID_TRANSITION, 'This print run was voided already', {
          id: runId,
        });
      }
      await this.labels.insertVoid(
        { runId, reason: dto.reason, voidedBy: user.id, voidedAt: tx.now },
        tx.manager,
      );
      tx.audit({
        action: 'label.voided',
        entityType: run.subjectType.toLowerCase(),
        entityId: run.subjectId,
        after: { runId, serials: run.serials },
        reason: dto.reason,
      });
      return { ...runView(run), voided: true };
    });
  }

  /** A scan checked against an item, recorded on the item's timeline whatever the answer. */
  async verify(user: AuthUser, dto: VerifyScanDto): Promise<ScanResultDto> {
    const subject = await this.subjects.find(user, dto.subjectType, dto.subjectId);
    return this.transactions.run(actorOf(user), async (tx) => {
      const verdict = await this.scans.judge(tx.manager, dto.scan, [subject.facts]);
      const resolved = verdict.identified ?? (await this.identifyOther(user, dto.scan));
      const full: Verdict = verdict.match ? verdict : { ...verdict, identified: resolved };
      await this.scans.record(tx, this.scans.scanRow(tx, user, subject.facts, null, dto.scan, full));
      return {
        match: full.match,
        identified: full.identified && identifiedView(full.identified),
        ...(full.reason === null ? {} : { reason: full.reason }),
      };
    });
  }

  /** A DIN that is not this item's names a batch: which one, when the caller may see it. */
  private async identifyOther(user: AuthUser, scan: string): Promise<Identified | null> {
    const parsed = parseScan(scan);
    if (parsed.form !== 'DIN') return null;
    try {
      const batch = await this.batches.viewByDin(user, parsed.din);
      return { subjectType: 'BATCH', subjectId: batch.id, serial: null };
    } catch (error) {
      if (error instanceof DomainError && error.code === ErrorCode.NOT_FOUND) return null;
      throw error;
    }
  }

  private async printable(user: AuthUser, runId: string) {
    const run = await this.labels.findRun(runId);
    if (!run) throw notFound('Label run', runId);
    if (user.role === 'doctor' && run.subjectType !== 'HARVEST') throw notFound('Label run', runId);
    if (run.voided) {
      throw new DomainError(ErrorCode.INVALID_TRANSITION, 'This print run was voided; print a new one', {
        id: runId,
      });
    }
    const subject = await this.subjects.find(user, run.subjectType, run.subjectId);
    const contents = run.serials.map((serial) => labelContent(subject.facts, serial, this.env.facilityTz));
    return { run, contents };
  }

  private assertMayPrint(user: AuthUser, subjectType: SubjectType): void {
    if (user.role === 'doctor' && subjectType !== 'HARVEST') {
      throw new DomainError(ErrorCode.FORBIDDEN, "A doctor prints only a harvest's labels");
    }
  }
}

function subjectKey(dto: { subjectType: SubjectType; subjectId: string }) {
  return { subjectType: dto.subjectType, subjectId: dto.subjectId };
}

function runView(row: Omit<LabelRunRow, 'runNumber'> & { runNumber?: number }): LabelRunViewDto {
  return {
    id: row.id,
    subjectType: row.subjectType,
    subjectId: row.subjectId,
    copies: row.copies,
    reprint: row.reprint,
    reason: row.reason,
    serials: row.serials,
    printedAt: row.printedAt,
    printedBy: row.printedBy,
  };
}

function identifiedView(identified: Identified) {
  return {
    subjectType: identified.subjectType,
    subjectId: identified.subjectId,
    ...(identified.serial === null ? {} : { serial: identified.serial }),
  };
}
