import 'reflect-metadata';
import { appConfig, AppConfig } from '../config/app.config';
import { EnvironmentError } from '../config/environment';
import { createHttpApp } from './http-app';
import { restrictToWorkerPaths } from './jobs/worker-http';

async function bootstrap(): Promise<void> {
  const app = await createHttpApp();
  const env = app.get<AppConfig>(appConfig.KEY);
  // APP_ROLE=worker: jobs only, with a small HTTP server for /health and /metrics (see restrictToWorkerPaths).
  if (env.appRole === 'worker') restrictToWorkerPaths(app);
  await app.listen({ port: env.port, host: '0.0.0.0' });
}

bootstrap().catch((error: unknown) => {
  // A configuration error names the variable; anything else is printed whole. Either way, exit non-zero.
  console.error(error instanceof EnvironmentError ? error.message : error);
  process.exit(1);
});
