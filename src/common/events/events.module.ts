import { Global, Module } from '@nestjs/common';
import { EventBus } from './event-bus';

/** The in-process event bus, one instance for the whole app (docs/architecture.md, "Event bus"). */
@Global()
@Module({ providers: [EventBus], exports: [EventBus] })
export class EventsModule {}
