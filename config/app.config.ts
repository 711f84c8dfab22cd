import { ConfigType, registerAs } from '@nestjs/config';
import { loadEnvironment } from './environment';

/** The one configuration namespace; inject with `@Inject(appConfig.KEY) env: AppConfig`. */
export const appConfig = registerAs('app', () => loadEnvironment());
export type AppConfig = ConfigType<typeof appConfig>;
