import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { JobQueueName, SWEEP_QUEUE_NAMES } from '../job-names';

export type JobRunState = 'waiting' | 'active' | 'completed' | 'failed';
export const JOB_RUN_STATES: readonly JobRunState[] = ['waiting', 'active', 'completed', 'failed'];

export class JobRunStartedDto {
  @ApiProperty({
    example: 'sweep-1f0e6c52-7a4b-4d3e-9c21-5b8a0d7e6f13',
    description: 'For GET /jobs/:name/runs/:jobId',
  })
  jobId!: string;
}

export class JobRunResultDto {
  @ApiProperty({ example: 120, description: 'Subjects whose flags were re-derived' })
  evaluated!: number;

  @ApiProperty({ example: 2 })
  raised!: number;

  @ApiProperty({ example: 1 })
  resolved!: number;

  @ApiProperty({
    example: 0,
    description: 'Open flags whose details changed (e.g. more patients to follow up)',
  })
  updated!: number;

  @ApiPropertyOptional({ example: 'no batch for deviation 5b0c9d2e-6a4f-4c31-9e87-2d1f0a3b4c5d' })
  skipped?: string;
}

export class JobRunViewDto {
  @ApiProperty({ example: 'sweep-1f0e6c52-7a4b-4d3e-9c21-5b8a0d7e6f13' })
  jobId!: string;

  @ApiProperty({ enum: SWEEP_QUEUE_NAMES, example: JobQueueName.READINESS })
  queue!: JobQueueName;

  @ApiProperty({ example: 'sweep', description: 'sweep, or evaluate (one subject, from an event)' })
  name!: string;

  @ApiProperty({
    enum: JOB_RUN_STATES,
    example: 'completed',
    description: 'waiting also covers delayed jobs and jobs waiting for a retry',
  })
  state!: JobRunState;

  @ApiPropertyOptional({ type: JobRunResultDto, description: 'Set once completed' })
  result?: JobRunResultDto;

  @ApiPropertyOptional({
    example: 'Connection terminated',
    description: 'The last failure, when an attempt failed',
  })
  failedReason?: string;

  @ApiProperty({ example: 1 })
  attemptsMade!: number;

  @ApiProperty({ type: String, format: 'date-time', example: '2026-11-24T09:30:00.000Z' })
  queuedAt!: Date;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: '2026-11-24T09:30:00.120Z' })
  startedAt!: Date | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: '2026-11-24T09:30:00.480Z' })
  finishedAt!: Date | null;
}
