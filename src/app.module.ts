import { Module, RequestMethod } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { randomUUID } from 'node:crypto';
import { LoggerModule } from 'nestjs-pino';
import { appConfig, AppConfig } from '../config/app.config';
import { AuditModule } from './audit/audit.module';
import { AuthGuard } from './auth/auth.guard';
import { AuthModule } from './auth/auth.module';
import { BankModule } from './bank/bank.module';
import { BatchesModule } from './batches/batches.module';
import { AllExceptionsFilter } from './common/errors/all-exceptions.filter';
import { EventsModule } from './common/events/events.module';
import { IdempotencyInterceptor } from './common/idempotency/idempotency.interceptor';
import { DatabaseModule } from './database/database.module';
import { DonorsModule } from './donors/donors.module';
import { DosesModule } from './doses/doses.module';
import { EnvironmentModule } from './environment/environment.module';
import { FhirModule } from './fhir/fhir.module';
import { FlagsModule } from './flags/flags.module';
import { HarvestsModule } from './harvests/harvests.module';
import { HealthModule } from './health/health.module';
import { JobsModule } from './jobs/jobs.module';
import { LabelsModule } from './labels/labels.module';
import { MaterialsModule } from './materials/materials.module';
import { MetricsModule } from './metrics/metrics.module';
import { QualityModule } from './quality/quality.module';
import { ReadModelModule } from './read-model/read-model.module';
import { RecordsModule } from './records/records.module';
import { VigilanceModule } from './vigilance/vigilance.module';

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, load: [appConfig], cache: true }),
    LoggerModule.forRootAsync({
      inject: [appConfig.KEY],
      useFactory: (env: AppConfig) => ({
        // Every route, in path-to-regexp 8's named-wildcard syntax: the library's default `*` is the legacy
        // form Nest would convert with a warning on every start.
        forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
        pinoHttp: {
          level: env.logLevel,
          // The request id Fastify assigned (see http-app.ts), so logs and the X-Request-Id answer agree.
          genReqId: (request) => (request as { id?: string }).id ?? randomUUID(),
          redact: ['req.headers.authorization', 'req.headers.cookie'],
          customLogLevel: (_request, response, error) =>
            error || response.statusCode >= 500 ? 'error' : response.statusCode >= 400 ? 'warn' : 'info',
          serializers: {
            req: (request: { id: string; method: string; url: string }) => ({
              id: request.id,
              method: request.method,
              url: request.url,
            }),
            res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
          },
        },
      }),
    }),
    DatabaseModule,
    EventsModule,
    MetricsModule,
    HealthModule,
    AuditModule,
    AuthModule,
    DonorsModule,
    HarvestsModule,
    MaterialsModule,
    BatchesModule,
    QualityModule,
    DosesModule,
    BankModule,
    EnvironmentModule,
    LabelsModule,
    VigilanceModule,
    ReadModelModule,
    RecordsModule,
    // Flags and background jobs; JobsModule starts workers, relay and schedulers only when APP_ROLE is worker or all.
    FlagsModule,
    JobsModule,
    // Integration: FHIR reads; webhooks and e-mail come with JobsModule (NotificationsModule).
    FhirModule,
  ],
  providers: [
    { provide: APP_GUARD, useClass: AuthGuard },
    { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
    { provide: APP_FILTER, useClass: AllExceptionsFilter },
  ],
})
export class AppModule {}
