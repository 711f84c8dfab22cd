import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { appConfig, AppConfig } from '../../config/app.config';
import { Clock } from '../common/clock/clock';
import { DomainError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { actorOf, AuthUser } from '../common/transaction/auth-user';
import { TransactionContext, Transactions } from '../common/transaction/transactions.service';
import { parseZonedTimestamp } from '../common/validation/past-event.validator';
import { validationFailed } from '../common/validation/validation';
import { bucketWidthMs, MAX_CHART_POINTS, pointsOfBuckets } from './domain/downsampling';
import {
  advanceRuns,
  JudgedReading,
  OpenRun,
  runsIn,
  RunState,
  splitByFrontier,
} from './domain/excursion-runs';
import { LoggedReading, readLoggerFile } from './domain/logger-csv';
import { renderTemperatureSvg } from './domain/temperature-chart';
import { isOutOfRange, TemperatureLimits } from './domain/temperature-limits';
import { ReadingDto, ReadingsAcceptedDto } from './dto/temperature-readings.dto';
import { limitsView, TemperaturesQuery, UnitTemperaturesDto } from './dto/unit-temperatures.dto';
import { ExcursionsService } from './excursions.service';
import { RunStatesRepository } from './run-states.repository';
import { TemperatureReadingsRepository } from './temperature-readings.repository';
import { MonitoredUnit, UnitConditionsService } from './unit-conditions.service';

const DEFAULT_PERIOD_MS = 7 * 86_400_000;
/** A chart covers at most a year (a year's readings of one unit are half a million rows). */
const MAX_PERIOD_MS = 366 * 86_400_000;

type ReadingsSource = 'API' | 'LOGGER_FILE';

/**
 * Temperature readings in, excursions out (docs/environment.md, "Readings" and "Excursions"). A batch of
 * readings is one transaction: it locks the unit's run state, stores what is new, advances the state over
 * the new readings in time order, re-judges the stretch around any late out-of-range reading from the stored
 * readings, and records the excursions this finds, with their vial holds. Nothing rereads the unit's history.
 */
@Injectable()
export class TemperatureReadingsService {
  /** Months whose partition this process has seen exist; a partition is never dropped while it runs. */
  private readonly knownMonths = new Set<string>();

  constructor(
    private readonly readings: TemperatureReadingsRepository,
    private readonly runStates: RunStatesRepository,
    private readonly units: UnitConditionsService,
    private readonly excursions: ExcursionsService,
    private readonly transactions: Transactions,
    private readonly clock: Clock,
    @Inject(appConfig.KEY) private readonly env: AppConfig,
  ) {}

  /** POST /temperature-readings. Checks: the unit (404), a TANK or FREEZER (422 STORAGE_UNSUITABLE). */
  async record(
    user: AuthUser,
    unitId: string,
    readings: readonly ReadingDto[],
  ): Promise<ReadingsAcceptedDto> {
    const parsed = readings.map((reading) => ({
      at: parseZonedTimestamp(reading.at) as Date,
      temperatureC: reading.temperatureC,
    }));
    return this.ingest(user, unitId, parsed, 'API');
  }

  /**
   * POST /temperature-readings/import: a logger's CSV file, all or nothing. A bad line is 400 naming its line
   * (`details.lines`), checked before the unit is looked up, and nothing of the file is stored.
   */
  async importLoggerFile(user: AuthUser, unitId: string, file: Buffer): Promise<ReadingsAcceptedDto> {
    const result = await readLoggerFile(file, this.clock.now());
    if (!result.ok) {
      throw new DomainError(
        ErrorCode.VALIDATION_FAILED,
        `The logger file has ${result.errors.length === 1 ? 'a bad line' : 'bad lines'}: line ${result.errors
          .slice(0, 5)
          .map((error) => error.line)
          .join(', ')}`,
        {
          fields: result.errors.map((error) => ({
            field: `line ${error.line}: ${error.field}`,
            errors: [error.message],
          })),
          lines: result.errors,
        },
      );
    }
    return this.ingest(user, unitId, result.readings, 'LOGGER_FILE');
  }

  private async ingest(
    user: AuthUser,
    unitId: string,
    incoming: readonly LoggedReading[],
    source: ReadingsSource,
  ): Promise<ReadingsAcceptedDto> {
    const unit = await this.units.monitoredUnit(unitId);
    const unique = firstPerInstant(incoming);
    await this.ensureMonths(unique);
    const accepted = await this.transactions.run(actorOf(user), async (tx) => {
      const state = await this.runStates.lock(unit.id, tx.now, tx.manager);
      const limits = await this.units.limitsOf(unit, tx.manager);
      const judged = unique.map((reading) => ({
        ...reading,
        outOfRange: isOutOfRange(reading.temperatureC, limits),
      }));
      const split = splitByFrontier(judged, state.frontierAt);
      const { stored, lateStored } = await this.readings.insert(
        unit.id,
        split.inOrder,
        split.late,
        tx.manager,
      );
      const inOrder = split.inOrder;
      const late = split.late.filter((reading) => lateStored.has(reading.at.getTime()));
      const merged = await this.judgeLate(tx, unit, limits, state, late);
      const advance = advanceRuns(merged, inOrder, limits.excursionMinutes, randomUUID);
      for (const change of advance.excursions) await this.excursions.apply(tx, unit, limits, change);
      await this.runStates.save(unit.id, advance.state, tx.now, tx.manager);
      const from = split.late[0]?.at ?? inOrder[0]?.at ?? null;
      const to = inOrder[inOrder.length - 1]?.at ?? split.late[split.late.length - 1]?.at ?? null;
      tx.audit({
        action: 'temperature_readings.recorded',
        entityType: 'storage_unit',
        entityId: unit.id,
        after: {
          source,
          accepted: stored,
          duplicates: incoming.length - stored,
          from,
          to,
          outOfRange: [...inOrder, ...late].filter((reading) => reading.outOfRange).length,
          late: late.length,
          excursions: advance.excursions.map((change) => change.excursionId),
        },
      });
      return stored;
    });
    return { unitId: unit.id, accepted, duplicates: incoming.length - accepted };
  }

  /**
   * Late readings (at or before the frontier) that are out of range: the stretch around them, back to the last
   * reading in range before and on to the first in range after (up to the frontier), is judged again from the
   * stored readings. An excursion there is recorded (or widens the one it overlaps); a run reaching the
   * frontier is the open run, which then starts earlier. Answers the state to advance from.
   */
  private async judgeLate(
    tx: TransactionContext,
    unit: MonitoredUnit,
    limits: TemperatureLimits,
    state: RunState,
    late: readonly JudgedReading[],
  ): Promise<RunState> {
    const outside = late.filter((reading) => reading.outOfRange);
    if (outside.length === 0 || state.frontierAt === null) return state;
    const frontier = state.frontierAt;
    const earliest = outside[0].at;
    const latest = outside[outside.length - 1].at;
    const { previous, next } = await this.readings.inRangeAround(
      unit.id,
      earliest,
      latest,
      frontier,
      tx.manager,
    );
    const slice = await this.readings.slice(unit.id, previous ?? earliest, next ?? frontier, tx.manager);
    let open: OpenRun | null = state.run;
    for (const run of runsIn(slice, limits.excursionMinutes)) {
      if (run.endedAt === null) {
        open = joinOpenRun(open, run);
        continue;
      }
      if (!run.isExcursion) continue;
      const ended = { ...run, endedAt: run.endedAt };
      if (await this.excursions.widenOverlapping(tx, unit, ended)) continue;
      await this.excursions.apply(tx, unit, limits, { ...ended, excursionId: randomUUID(), created: true });
    }
    if (
      open &&
      open.excursionId === null &&
      open.lastOutAt.getTime() - open.startedAt.getTime() >= limits.excursionMinutes * 60_000
    ) {
      open = { ...open, excursionId: randomUUID() };
      await this.excursions.apply(tx, unit, limits, {
        ...open,
        excursionId: open.excursionId as string,
        endedAt: null,
        created: true,
      });
    } else if (open?.excursionId && state.run && open.startedAt < state.run.startedAt) {
      await this.excursions.apply(tx, unit, limits, {
        ...open,
        excursionId: open.excursionId,
        endedAt: null,
        created: false,
      });
    }
    return { frontierAt: state.frontierAt, run: open };
  }

  /** GET /storage-units/:id/temperatures: at most 2,000 points, and the excursions of the period. */
  async temperatures(unitId: string, query: TemperaturesQuery): Promise<UnitTemperaturesDto> {
    const { from, to } = this.period(query);
    const unit = await this.units.monitoredUnit(unitId);
    const [limits, excursions] = await Promise.all([
      this.units.limitsOf(unit),
      this.excursions.ofUnitDuring(unit.id, from, to),
    ]);
    const count = await this.readings.countUpTo(unit.id, from, to, MAX_CHART_POINTS + 1);
    const downsampled = count > MAX_CHART_POINTS;
    const readings = downsampled
      ? pointsOfBuckets(await this.readings.buckets(unit.id, from, to, bucketWidthMs(from, to)))
      : await this.readings.between(unit.id, from, to);
    return {
      unitId: unit.id,
      unitName: unit.name,
      from,
      to,
      limits: limitsView(limits),
      downsampled,
      readings,
      excursions,
    };
  }

  /** The same drawn as SVG: readings, limits, excursion bands and gaps, times in the facility's zone. */
  async temperaturesSvg(unitId: string, query: TemperaturesQuery): Promise<string> {
    const view = await this.temperatures(unitId, query);
    const unit = await this.units.monitoredUnit(unitId);
    return renderTemperatureSvg({
      unitName: unit.path,
      from: view.from,
      to: view.to,
      limits: view.limits,
      readings: view.readings,
      excursions: view.excursions,
      downsampled: view.downsampled,
      timeZone: this.env.facilityTz,
    });
  }

  private period(query: TemperaturesQuery): { from: Date; to: Date } {
    const to = query.to ? (parseZonedTimestamp(query.to) as Date) : this.clock.now();
    const from = query.from
      ? (parseZonedTimestamp(query.from) as Date)
      : new Date(to.getTime() - DEFAULT_PERIOD_MS);
    if (from.getTime() >= to.getTime())
      throw validationFailed([{ field: 'from', errors: ['from must be before to'] }]);
    if (to.getTime() - from.getTime() > MAX_PERIOD_MS)
      throw validationFailed([{ field: 'from', errors: ['a period covers at most 366 days'] }]);
    return { from, to };
  }

  private async ensureMonths(readings: readonly LoggedReading[]): Promise<void> {
    const months = new Map<string, Date>();
    for (const reading of readings) {
      const key = reading.at.toISOString().slice(0, 7);
      if (!this.knownMonths.has(key) && !months.has(key)) months.set(key, reading.at);
    }
    for (const [key, at] of months) {
      await this.readings.ensureMonth(at);
      this.knownMonths.add(key);
    }
  }
}

/** The first reading of each instant, in the order given; later ones at the same instant are duplicates. */
function firstPerInstant(readings: readonly LoggedReading[]): LoggedReading[] {
  const seen = new Set<number>();
  return readings.filter((reading) => {
    const at = reading.at.getTime();
    if (seen.has(at)) return false;
    seen.add(at);
    return true;
  });
}

/** A late run that reaches the frontier is the open run: it started at the earlier of the two starts. */
function joinOpenRun(
  open: OpenRun | null,
  run: { startedAt: Date; lastOutAt: Date; minC: number; maxC: number; readings: number },
): OpenRun {
  if (!open) return { ...run, excursionId: null };
  return {
    startedAt: run.startedAt < open.startedAt ? run.startedAt : open.startedAt,
    lastOutAt: open.lastOutAt,
    minC: Math.min(open.minC, run.minC),
    maxC: Math.max(open.maxC, run.maxC),
    readings: Math.max(open.readings, run.readings),
    excursionId: open.excursionId,
  };
}
