import { ApiProperty } from '@nestjs/swagger';
import { DateTimeProperty, IntegerProperty, UuidProperty } from '../../common/http/view-properties';
import { EnumListField, IntegerField, TimestampField } from '../../common/validation/fields';
import { Knee, KNEES, PlanJudgement } from '../domain/injection-plan';
import { InjectionPlanEntity } from '../injection-plan.entity';

export const CELLS_PER_KNEE_MIN = 1e6;
export const CELLS_PER_KNEE_MAX = 1e10;

export class SetInjectionPlanDto {
  @TimestampField({ example: '2026-12-10T01:00:00Z', description: "The patient's injection visit" })
  plannedAt!: string;

  @EnumListField(KNEES, { minItems: 1, maxItems: 2, example: ['LEFT', 'RIGHT'] })
  knees!: Knee[];

  @IntegerField({
    min: CELLS_PER_KNEE_MIN,
    max: CELLS_PER_KNEE_MAX,
    example: 150_000_000,
    description: 'Viable cells each knee is to receive',
  })
  cellsPerKnee!: number;
}

export class HarvestWindowDto {
  @DateTimeProperty({
    example: '2026-12-08T01:00:00.000Z',
    description: 'Visit minus the fresh dose shelf life',
  })
  from!: Date;

  @DateTimeProperty({ example: '2026-12-09T13:00:00.000Z', description: 'Visit minus RELEASE_LEAD_HOURS' })
  to!: Date;
}

export class InjectionPlanViewDto {
  @DateTimeProperty({ example: '2026-12-10T01:00:00.000Z' })
  plannedAt!: Date;

  @ApiProperty({ enum: KNEES, isArray: true, example: ['LEFT', 'RIGHT'] })
  knees!: Knee[];

  @IntegerProperty({ example: 150_000_000 })
  cellsPerKnee!: number;

  @IntegerProperty({ example: 300_000_000, description: 'cellsPerKnee x knees (viable cells)' })
  requiredCells!: number;

  @ApiProperty({ type: HarvestWindowDto, description: 'When the final harvest must happen' })
  finalHarvestWindow!: HarvestWindowDto;

  @ApiProperty({
    type: Boolean,
    nullable: true,
    example: true,
    description:
      'Before the final harvest: the growth projection reaches requiredCells by finalHarvestWindow.to. After it: ' +
      'the harvest fell in the window and yielded requiredCells. null while there is no projection',
  })
  onTrack!: boolean | null;

  @ApiProperty({
    type: Number,
    nullable: true,
    example: 36.5,
    description:
      'Hours from when the cells are (projected to be) there to the window end; negative when late',
  })
  slackHours!: number | null;

  @IntegerProperty({ example: 1, description: 'Each replan is the next version; older ones stay on record' })
  version!: number;

  @UuidProperty({ example: '3f1c2a9e-6d7b-4c1e-9a55-0b6f1e2d3c4a' })
  plannedBy!: string;

  @DateTimeProperty({ example: '2026-11-20T01:05:00.000Z' })
  recordedAt!: Date;
}

export function injectionPlanView(plan: InjectionPlanEntity, judged: PlanJudgement): InjectionPlanViewDto {
  return {
    plannedAt: plan.plannedAt,
    knees: plan.knees,
    cellsPerKnee: plan.cellsPerKnee,
    requiredCells: judged.requiredCells,
    finalHarvestWindow: judged.finalHarvestWindow,
    onTrack: judged.onTrack,
    slackHours: judged.slackHours,
    version: plan.version,
    plannedBy: plan.plannedBy,
    recordedAt: plan.recordedAt,
  };
}
