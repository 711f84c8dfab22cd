import { Injectable, Logger } from '@nestjs/common';
import { Job, UnrecoverableError } from 'bullmq';
import { Clock } from '../common/clock/clock';
import { ImportRunner, ImportRunResult } from './import-runner.service';
import { ImportsRepository } from './imports.repository';

/** The queue of import runs; the jobs module registers it (JobQueueName.IMPORTS) and runs its worker. */
export const IMPORTS_QUEUE = 'bank-imports';

/** An unfinished import untouched this long has no live run: the sweep resumes it. */
const QUIET_MS = 60_000;

/**
 * The imports queue's jobs: an outbox event (`import.requested`) runs its import, and the sweep resumes
 * unfinished imports that went quiet (a worker killed after Redis lost the job). A run that fails is retried by
 * BullMQ from its checkpoint; after the last attempt the import is marked FAILED, keeping what it banked.
 */
@Injectable()
export class ImportsProcessor {
  readonly queue = IMPORTS_QUEUE;
  private readonly logger = new Logger('ImportsProcessor');

  constructor(
    private readonly runner: ImportRunner,
    private readonly imports: ImportsRepository,
    private readonly clock: Clock,
  ) {}

  async process(job: Job): Promise<ImportRunResult | { resumed: number }> {
    switch (job.name) {
      case 'evaluate':
        return this.runOrMarkFailed(job, String((job.data as { subjectId?: string }).subjectId));
      case 'sweep':
        return this.sweep();
      default:
        throw new UnrecoverableError(`${this.queue} has no job named "${job.name}"`);
    }
  }

  private async runOrMarkFailed(job: Job, importId: string): Promise<ImportRunResult> {
    try {
      return await this.runner.run(importId);
    } catch (error) {
      if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) {
        const found = await this.imports.findById(importId);
        if (found) {
          const actor = { id: found.requestedBy, role: 'admin' as const, clinicId: null };
          await this.runner.finish(actor, importId, 'FAILED', String((error as Error).message).slice(0, 500));
        }
      }
      throw error;
    }
  }

  private async sweep(): Promise<{ resumed: number }> {
    const quiet = await this.imports.quietUnfinished(new Date(this.clock.now().getTime() - QUIET_MS));
    for (const id of quiet) {
      try {
        await this.runner.run(id);
      } catch (error) {
        this.logger.warn(`import ${id} not resumed: ${String(error)}`);
      }
    }
    return { resumed: quiet.length };
  }
}
