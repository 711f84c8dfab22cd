import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { OpenRun, RunState } from './domain/excursion-runs';
import { TemperatureRunStateEntity } from './temperature-run-state.entity';

/** The `temperature_run_states` table; the only code that reads or writes it. */
@Injectable()
export class RunStatesRepository {
  /**
   * The unit's state, locked to the end of the transaction (made on the unit's first batch): every batch of
   * one unit queues here, so two batches racing are judged one after the other.
   */
  async lock(unitId: string, now: Date, manager: EntityManager): Promise<RunState> {
    await manager.query(
      `INSERT INTO temperature_run_states (unit_id, updated_at) VALUES ($1, $2) ON CONFLICT (unit_id) DO NOTHING`,
      [unitId, now],
    );
    const row = await manager.findOneOrFail(TemperatureRunStateEntity, {
      where: { unitId },
      lock: { mode: 'pessimistic_write' },
    });
    return stateOf(row);
  }

  async save(unitId: string, state: RunState, now: Date, manager: EntityManager): Promise<void> {
    const run: OpenRun | null = state.run;
    await manager.update(
      TemperatureRunStateEntity,
      { unitId },
      {
        frontierAt: state.frontierAt,
        runStartedAt: run?.startedAt ?? null,
        runLastOutAt: run?.lastOutAt ?? null,
        runMinC: run?.minC ?? null,
        runMaxC: run?.maxC ?? null,
        runReadings: run?.readings ?? 0,
        excursionId: run?.excursionId ?? null,
        updatedAt: now,
      },
    );
  }
}

function stateOf(row: TemperatureRunStateEntity): RunState {
  return {
    frontierAt: row.frontierAt,
    run:
      row.runStartedAt === null
        ? null
        : {
            startedAt: row.runStartedAt,
            lastOutAt: row.runLastOutAt as Date,
            minC: row.runMinC as number,
            maxC: row.runMaxC as number,
            readings: row.runReadings,
            excursionId: row.excursionId,
          },
  };
}
