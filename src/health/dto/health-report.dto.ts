import { ApiProperty } from '@nestjs/swagger';
import { IntegerProperty } from '../../common/http/view-properties';
import type { HealthReport } from '../health.service';

export class HealthReportDto implements HealthReport {
  @ApiProperty({
    enum: ['ok', 'down'],
    example: 'ok',
    description: 'down only when PostgreSQL is unreachable',
  })
  status!: 'ok' | 'down';

  @ApiProperty({ enum: ['up', 'down'], example: 'up' })
  db!: 'up' | 'down';

  @ApiProperty({ enum: ['up', 'down'], example: 'up', description: 'down delays jobs but stops no request' })
  redis!: 'up' | 'down';

  @IntegerProperty({
    nullable: true,
    example: 0,
    description: 'Outbox events not yet relayed to the queues; null when PostgreSQL is unreachable',
  })
  outboxBacklog!: number | null;
}
