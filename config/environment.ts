import { createPrivateKey, generateKeyPairSync, randomBytes } from 'node:crypto';

/**
 * Every setting the service reads from its environment, parsed and checked once at start. A bad or missing
 * required value stops the process with a message naming the variable: a half-configured regulated system
 * must not come up.
 */
export type AppRole = 'api' | 'worker' | 'all';

export interface Environment {
  nodeEnv: string;
  port: number;
  databaseUrl: string;
  /** Database role the application's sessions assume: it may only read and insert the audit trail. */
  databaseAppRole: string;
  databasePoolSize: number;
  /** DATABASE_STATEMENT_TIMEOUT_MS: the longest one statement may run (server side; the client waits 1 s more). */
  databaseStatementTimeoutMs: number;
  /** DATABASE_ACQUIRE_TIMEOUT_MS: the longest a request waits for a pooled connection, or for a new one to open. */
  databaseAcquireTimeoutMs: number;
  /** METRICS_TOKEN: the bearer token /metrics requires; null leaves it open (a scraper on a private network). */
  metricsToken: string | null;
  redisUrl: string;
  /**
   * REDIS_CLUSTER_NODES: seed nodes (host:port, comma-separated) of a Redis Cluster; when set, every Redis
   * connection is a cluster client and REDIS_URL is not used (docs/operations.md, "Beyond one machine").
   */
  redisClusterNodes: { host: string; port: number }[] | null;
  jwtSecret: string;
  jwtTtlSeconds: number;
  /** AUDIT_SIGNING_KEY: the Ed25519 private key (PKCS#8 PEM) that signs the ledger's tree heads. */
  auditSigningKey: string;
  /** The audit sequencer (src/audit/ledger): how often it looks for new entries, and how many a batch takes. */
  auditSequencer: { intervalMs: number; batchSize: number };
  bootstrapAdminEmail: string | null;
  bootstrapAdminPassword: string | null;
  queuePrefix: string;
  appRole: AppRole;
  facilityFin: string;
  facilityTz: string;
  /** SCAN_REQUIRED: every hand-off must carry a scan of its item (docs/labels.md). */
  scanRequired: boolean;
  /** FACILITY_NAME: the processing facility's name, printed on the records that leave the system. */
  facilityName: string;
  migrateOnStart: boolean;
  logLevel: string;
  /** Shelf life of a fresh dose from the final harvest, and of a booster dose from formulation. */
  freshDoseShelfLifeHours: number;
  boosterDoseShelfLifeHours: number;
  /** The least time between the final harvest and the injection visit (in-process QC, release). */
  releaseLeadHours: number;
  storageReviewIntervalMonths: number;
  /** IMPORT_CHUNK_LINES: lines of a legacy bank file banked per transaction (docs/imports.md). */
  importChunkLines: number;
  /** IMPORT_SWEEP_SECONDS: how often unfinished imports whose run went quiet are resumed (docs/imports.md). */
  importSweepSeconds: number;
  /** argon2id memory cost; the library's default (64 MiB) in production, smaller in tests only. */
  passwordHashMemoryKib: number;
  /** Lock-out and throttling of failed sign-ins and signatures (src/auth): see {@link AuthSettings}. */
  auth: AuthSettings;
  /** Background jobs (outbox relay, processors, sweeps): see {@link JobsSettings}. */
  jobs: JobsSettings;
  /** Webhooks, e-mail and imports (src/notifications, src/imports): see {@link NotificationSettings}. */
  notifications: NotificationSettings;
}

/**
 * Failed authentication (the AUTH_* variables; docs/operations.md, "Security"). An account is locked for a
 * source (a client address, or the signed-in user asking for a witness) after `maxFailures` from it within
 * the window, and for everyone after `accountMaxFailures` from all sources; a source is held back after
 * `sourceMaxFailures` failures against any accounts.
 */
export interface AuthSettings {
  maxFailures: number;
  accountMaxFailures: number;
  windowMinutes: number;
  lockMinutes: number;
  sourceMaxFailures: number;
}

/** Webhooks and e-mail (docs/notifications.md). */
export interface NotificationSettings {
  /** SMTP_URL, e.g. smtp://user:pass@mail.example.org:587; null: no e-mail is sent. */
  smtpUrl: string | null;
  /** SMTP_FROM: the sender of notification e-mails. */
  smtpFrom: string;
  /** WEBHOOK_ALLOW_INSECURE: http and non-public addresses allowed (tests, closed networks). */
  webhookAllowInsecure: boolean;
  /** WEBHOOK_SECRET_KEY: seals webhook signing secrets at rest; outside the database. */
  webhookSecretKey: string;
  /** PUBLIC_BASE_URL: where people reach the API, for links in e-mails and FHIR bundles. */
  publicBaseUrl: string;
  /** Delivery retries: exponential from the first delay, capped, for at least the window (24 h). */
  retryFirstDelayMs: number;
  retryMaxDelayMs: number;
  retryWindowSeconds: number;
  /** How often the delivery sweep looks for deliveries due (their wake-up jobs may have been lost with Redis). */
  deliverySweepSeconds: number;
}

/**
 * Background jobs settings (the JOBS_* variables). Defaults suit production; tests shorten the intervals so
 * that they do not wait on BullMQ's 30-second lock and stall defaults.
 */
export interface JobsSettings {
  /** How often each sweep runs: readiness every minute, storage reviews and dose expiry hourly (docs/operations.md). */
  readinessSweepSeconds: number;
  storageReviewSweepSeconds: number;
  expirySweepSeconds: number;
  /** The environment sweep (calibrations falling due), hourly. */
  environmentSweepSeconds: number;
  /** The vigilance sweep (adverse events' reports falling overdue), hourly. */
  vigilanceSweepSeconds: number;
  /** The relay wakes on NOTIFY; this poll is the fallback when a notification is missed. */
  outboxPollMs: number;
  /** Outbox rows moved to the queues per relay transaction. */
  outboxBatchSize: number;
  /** Jobs a worker process runs at once, per queue. */
  concurrency: number;
  /** A job's lock: a worker that dies mid-job loses it after this long and another worker runs the job again. */
  lockDurationMs: number;
  /** How often workers look for jobs whose lock ran out (stalled jobs). */
  stalledIntervalMs: number;
  /** Attempts per job, retried with exponential backoff starting at backoffMs. */
  attempts: number;
  backoffMs: number;
  /** Failed jobs kept in Redis for inspection (dashboard, GET /jobs/:name/runs/:jobId). */
  keepFailedJobs: number;
  /** Completed jobs kept; also the window in which a re-sent outbox event is recognised as a duplicate. */
  keepCompletedJobs: number;
}

export class EnvironmentError extends Error {}

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/cpc';

type Source = Record<string, string | undefined>;

const DURATION = /^(\d+)\s*(ms|s|m|h|d)?$/;
const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 };

/** `8h`, `30m`, `3600` (seconds) -> seconds. */
export function parseDurationSeconds(value: string): number | null {
  const match = DURATION.exec(value.trim());
  if (!match) return null;
  const seconds = Number(match[1]) * UNIT_SECONDS[match[2] ?? 's'];
  return seconds >= 1 ? Math.floor(seconds) : null;
}

function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function isUrl(value: string, protocols: string[]): boolean {
  try {
    return protocols.includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

export function loadEnvironment(source: Source = process.env): Environment {
  const problems: string[] = [];
  const warnings: string[] = [];
  const nodeEnv = source.NODE_ENV ?? 'development';
  const production = nodeEnv === 'production';

  const text = (name: string, fallback: string): string => {
    const value = source[name];
    return value === undefined || value === '' ? fallback : value;
  };
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = text(name, String(fallback));
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be an integer from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  };
  const secret = (name: string): string => {
    const value = source[name];
    if (value) {
      if (value.length < 32) problems.push(`${name} must be at least 32 characters`);
      return value;
    }
    if (production) problems.push(`${name} is required when NODE_ENV=production`);
    else
      warnings.push(
        `${name} is not set: using a random one for this process (tokens and anchors die with it)`,
      );
    return randomBytes(32).toString('hex');
  };

  const databaseUrl = text('DATABASE_URL', DEFAULT_DATABASE_URL);
  if (!isUrl(databaseUrl, ['postgres:', 'postgresql:']))
    problems.push('DATABASE_URL must be a postgres:// URL');
  const redisUrl = text('REDIS_URL', 'redis://127.0.0.1:6379');
  if (!isUrl(redisUrl, ['redis:', 'rediss:'])) problems.push('REDIS_URL must be a redis:// URL');
  const redisClusterNodes = clusterNodes(source.REDIS_CLUSTER_NODES, problems);

  const jwtTtlRaw = text('JWT_TTL', '8h');
  const jwtTtlSeconds = parseDurationSeconds(jwtTtlRaw);
  if (jwtTtlSeconds === null)
    problems.push(`JWT_TTL must be a duration like 8h, 30m or 3600 (got "${jwtTtlRaw}")`);

  const appRole = text('APP_ROLE', 'all');
  if (!['api', 'worker', 'all'].includes(appRole))
    problems.push(`APP_ROLE must be api, worker or all (got "${appRole}")`);

  const facilityFin = text('FACILITY_FIN', 'X9999');
  if (!/^[A-Z]\d{4}$/.test(facilityFin))
    problems.push(`FACILITY_FIN must be one letter and four digits (got "${facilityFin}")`);
  const facilityTz = text('FACILITY_TZ', 'Asia/Tokyo');
  if (!isValidTimeZone(facilityTz))
    problems.push(`FACILITY_TZ must be an IANA time zone (got "${facilityTz}")`);

  const scanRequired = text('SCAN_REQUIRED', 'false');
  if (!['true', 'false'].includes(scanRequired))
    problems.push(`SCAN_REQUIRED must be true or false (got "${scanRequired}")`);

  const queuePrefix = text('QUEUE_PREFIX', 'cpc');
  // BullMQ builds Redis keys as prefix:queue:...; a colon in the prefix would blur that structure.
  if (!/^[A-Za-z0-9_{}-]{1,64}$/.test(queuePrefix))
    problems.push('QUEUE_PREFIX must be 1-64 characters of [A-Za-z0-9_{}-]');
  // In a cluster, a queue's keys must hash to one slot (BullMQ's scripts touch several at once): the prefix
  // carries a hash tag, e.g. {cpc}. Not rewritten silently: that would move every queue to new keys.
  if (redisClusterNodes !== null && !/\{[^{}]+\}/.test(queuePrefix))
    problems.push(
      `QUEUE_PREFIX must carry a hash tag such as {${queuePrefix}} when REDIS_CLUSTER_NODES is set`,
    );

  const migrate = text('MIGRATE_ON_START', 'true');
  if (!['true', 'false'].includes(migrate))
    problems.push(`MIGRATE_ON_START must be true or false (got "${migrate}")`);

  const notifications = loadNotifications(source, { text, integer, secret, production, problems });

  const email = source.BOOTSTRAP_ADMIN_EMAIL || null;
  const password = source.BOOTSTRAP_ADMIN_PASSWORD || null;
  if ((email === null) !== (password === null)) {
    problems.push('BOOTSTRAP_ADMIN_EMAIL and BOOTSTRAP_ADMIN_PASSWORD must be set together');
  }
  if (password !== null && password.length < 12)
    problems.push('BOOTSTRAP_ADMIN_PASSWORD must be at least 12 characters');

  const environment: Environment = {
    nodeEnv,
    port: integer('PORT', 3000, 0, 65535),
    databaseUrl,
    databaseAppRole: text('DATABASE_APP_ROLE', 'cpc_app'),
    databasePoolSize: integer('DATABASE_POOL_SIZE', 10, 1, 200),
    databaseStatementTimeoutMs: integer('DATABASE_STATEMENT_TIMEOUT_MS', 5000, 100, 600_000),
    databaseAcquireTimeoutMs: integer('DATABASE_ACQUIRE_TIMEOUT_MS', 5000, 100, 600_000),
    metricsToken: metricsToken(source, problems, production),
    redisUrl,
    redisClusterNodes,
    jwtSecret: secret('JWT_SECRET'),
    jwtTtlSeconds: jwtTtlSeconds ?? 0,
    auditSigningKey: signingKey(source, problems, warnings, production),
    auditSequencer: {
      intervalMs: integer('AUDIT_SEQUENCER_INTERVAL_MS', 200, 10, 60_000),
      batchSize: integer('AUDIT_SEQUENCER_BATCH', 5000, 1, 100_000),
    },
    bootstrapAdminEmail: email,
    bootstrapAdminPassword: password,
    queuePrefix,
    appRole: appRole as AppRole,
    facilityFin,
    facilityTz,
    scanRequired: scanRequired === 'true',
    facilityName: text('FACILITY_NAME', 'Cell Processing Center'),
    migrateOnStart: migrate === 'true',
    logLevel: text('LOG_LEVEL', 'info'),
    freshDoseShelfLifeHours: integer('FRESH_DOSE_SHELF_LIFE_HOURS', 48, 1, 720),
    boosterDoseShelfLifeHours: integer('BOOSTER_DOSE_SHELF_LIFE_HOURS', 6, 1, 720),
    releaseLeadHours: integer('RELEASE_LEAD_HOURS', 12, 0, 720),
    storageReviewIntervalMonths: integer('STORAGE_REVIEW_INTERVAL_MONTHS', 12, 1, 120),
    importChunkLines: integer('IMPORT_CHUNK_LINES', 1000, 1, 10000),
    importSweepSeconds: integer('IMPORT_SWEEP_SECONDS', 60, 1, 86400),
    passwordHashMemoryKib: integer('PASSWORD_HASH_MEMORY_KIB', 65536, 1024, 1048576),
    auth: {
      maxFailures: integer('AUTH_MAX_FAILURES', 5, 1, 1000),
      accountMaxFailures: integer('AUTH_ACCOUNT_MAX_FAILURES', 50, 1, 100000),
      windowMinutes: integer('AUTH_FAILURE_WINDOW_MINUTES', 15, 1, 1440),
      lockMinutes: integer('AUTH_LOCK_MINUTES', 15, 1, 1440),
      sourceMaxFailures: integer('AUTH_SOURCE_MAX_FAILURES', 20, 1, 100000),
    },
    // Background jobs (src/jobs); documented at the end of .env.example.
    jobs: {
      readinessSweepSeconds: integer('JOBS_READINESS_SWEEP_SECONDS', 60, 1, 86400),
      storageReviewSweepSeconds: integer('JOBS_STORAGE_REVIEW_SWEEP_SECONDS', 3600, 1, 86400),
      expirySweepSeconds: integer('JOBS_EXPIRY_SWEEP_SECONDS', 3600, 1, 86400),
      environmentSweepSeconds: integer('JOBS_ENVIRONMENT_SWEEP_SECONDS', 3600, 1, 86400),
      vigilanceSweepSeconds: integer('JOBS_VIGILANCE_SWEEP_SECONDS', 3600, 1, 86400),
      outboxPollMs: integer('JOBS_OUTBOX_POLL_MS', 2000, 50, 60000),
      outboxBatchSize: integer('JOBS_OUTBOX_BATCH_SIZE', 200, 1, 5000),
      concurrency: integer('JOBS_CONCURRENCY', 4, 1, 100),
      lockDurationMs: integer('JOBS_LOCK_DURATION_MS', 30000, 1000, 600000),
      stalledIntervalMs: integer('JOBS_STALLED_INTERVAL_MS', 30000, 500, 600000),
      attempts: integer('JOBS_ATTEMPTS', 8, 1, 100),
      backoffMs: integer('JOBS_BACKOFF_MS', 1000, 10, 600000),
      keepFailedJobs: integer('JOBS_KEEP_FAILED', 10000, 1, 1000000),
      keepCompletedJobs: integer('JOBS_KEEP_COMPLETED', 1000, 1, 1000000),
    },
    notifications,
  };
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(environment.databaseAppRole)) {
    problems.push('DATABASE_APP_ROLE must be a lower-case SQL identifier');
  }
  if (problems.length > 0) {
    throw new EnvironmentError(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
  for (const warning of warnings) process.emitWarning(warning, { code: 'CPC_CONFIG' });
  return environment;
}

/**
 * AUDIT_SIGNING_KEY: an Ed25519 private key as PKCS#8 PEM (`openssl genpkey -algorithm ed25519`); the line
 * breaks may be written as `\n` in one line. Required in production. Elsewhere a missing key is replaced by
 * one made for this process, loudly: heads it signs cannot be checked once the process is gone.
 */
function signingKey(source: Source, problems: string[], warnings: string[], production: boolean): string {
  const raw = source.AUDIT_SIGNING_KEY;
  if (raw) {
    const pem = raw.replace(/\\n/g, '\n');
    try {
      const key = createPrivateKey(pem);
      if (key.asymmetricKeyType === 'ed25519') return pem;
    } catch {
      // Reported below, without echoing the key.
    }
    problems.push('AUDIT_SIGNING_KEY must be an Ed25519 private key in PKCS#8 PEM');
    return '';
  }
  if (production) {
    problems.push('AUDIT_SIGNING_KEY is required when NODE_ENV=production');
    return '';
  }
  warnings.push(
    'AUDIT_SIGNING_KEY is not set: signing audit tree heads with a key made for this process only. ' +
      'Heads it signs cannot be verified after it exits. Never run like this with real records.',
  );
  return generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

/** METRICS_TOKEN: 16+ characters when set; unset in production is allowed but warned about. */
function metricsToken(source: Source, problems: string[], production: boolean): string | null {
  const token = source.METRICS_TOKEN || null;
  if (token !== null && token.trim().length < 16)
    problems.push('METRICS_TOKEN must be at least 16 characters');
  if (token === null && production)
    process.emitWarning('METRICS_TOKEN is not set: /metrics is open to anyone who reaches the port', {
      code: 'CPC_CONFIG',
    });
  return token === null ? null : token.trim();
}

interface Readers {
  text(name: string, fallback: string): string;
  integer(name: string, fallback: number, min: number, max: number): number;
  secret(name: string): string;
  production: boolean;
  problems: string[];
}

const DAY_SECONDS = 86400;

function loadNotifications(source: Source, read: Readers): NotificationSettings {
  const smtpUrl = source.SMTP_URL || null;
  // Never echo the URL: it may carry the SMTP password.
  if (smtpUrl !== null && !isUrl(smtpUrl, ['smtp:', 'smtps:']))
    read.problems.push('SMTP_URL must be an smtp:// or smtps:// URL');
  const insecure = read.text('WEBHOOK_ALLOW_INSECURE', 'false');
  if (!['true', 'false'].includes(insecure))
    read.problems.push(`WEBHOOK_ALLOW_INSECURE must be true or false (got "${insecure}")`);
  if (insecure === 'true' && read.production)
    process.emitWarning('WEBHOOK_ALLOW_INSECURE=true: webhooks may reach http and private addresses', {
      code: 'CPC_CONFIG',
    });
  const publicBaseUrl = read.text('PUBLIC_BASE_URL', `http://localhost:${read.text('PORT', '3000')}`);
  if (!isUrl(publicBaseUrl, ['http:', 'https:']))
    read.problems.push('PUBLIC_BASE_URL must be an http(s):// URL');
  const retryWindowSeconds = read.integer('WEBHOOK_RETRY_WINDOW_SECONDS', DAY_SECONDS, 1, 30 * DAY_SECONDS);
  // Receivers are promised at least a day of retries; only tests shorten it.
  if (read.production && retryWindowSeconds < DAY_SECONDS)
    read.problems.push('WEBHOOK_RETRY_WINDOW_SECONDS must be at least 86400 (24 h) when NODE_ENV=production');
  return {
    smtpUrl,
    smtpFrom: read.text('SMTP_FROM', 'CPC Tracker <cpc-tracker@localhost>'),
    webhookAllowInsecure: insecure === 'true',
    webhookSecretKey: read.secret('WEBHOOK_SECRET_KEY'),
    publicBaseUrl: publicBaseUrl.replace(/\/+$/, ''),
    retryFirstDelayMs: read.integer('WEBHOOK_RETRY_FIRST_DELAY_MS', 5000, 10, 3_600_000),
    retryMaxDelayMs: read.integer('WEBHOOK_RETRY_MAX_DELAY_MS', 7_200_000, 10, 86_400_000),
    retryWindowSeconds,
    deliverySweepSeconds: read.integer('NOTIFICATIONS_SWEEP_SECONDS', 30, 1, 3600),
  };
}

/** REDIS_CLUSTER_NODES as host:port pairs; unset or empty means one Redis at REDIS_URL. */
function clusterNodes(
  value: string | undefined,
  problems: string[],
): { host: string; port: number }[] | null {
  if (value === undefined || value.trim() === '') return null;
  const nodes = value.split(',').map((item) => {
    const match = /^\s*([A-Za-z0-9.-]+|\[[0-9A-Fa-f:]+\]):(\d{1,5})\s*$/.exec(item);
    const port = match ? Number(match[2]) : 0;
    return match && port > 0 && port < 65536 ? { host: match[1].replace(/^\[|\]$/g, ''), port } : null;
  });
  if (nodes.some((node) => node === null)) {
    problems.push(`REDIS_CLUSTER_NODES must be host:port pairs separated by commas (got "${value}")`);
    return null;
  }
  return nodes as { host: string; port: number }[];
}
