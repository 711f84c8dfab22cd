import { closeLeftoverApps } from './test-app';

// Registered for every e2e file (package.json, setupFilesAfterEnv): runs after the file's own hooks.
afterAll(closeLeftoverApps, 120_000);
