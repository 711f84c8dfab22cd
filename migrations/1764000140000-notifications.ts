import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Notifications (docs/notifications.md): webhooks and their deliveries, e-mail preferences and e-mails, and the
 * flag events both are made from.
 *
 * Delivery is at least once and survives restarts of the app and of Redis, so the database, not the queue,
 * holds every delivery's state: a delivery is PENDING with a next attempt time until it is DELIVERED (or SENT)
 * or FAILED, and jobs in Redis are only wake-ups that a sweep re-creates. The deliveries of a flag event are
 * written in the flag's own transaction, so no committed flag change can miss them; unique keys keep one
 * delivery per (webhook, event) and one e-mail per (event, user).
 */
export class Notifications1764000140000 implements MigrationInterface {
  name = 'Notifications1764000140000';

  async up(db: QueryRunner): Promise<void> {
    const role = appRole();
    await db.query(`
      CREATE TABLE webhooks (
        id uuid PRIMARY KEY,
        url text NOT NULL CHECK (length(url) BETWEEN 8 AND 2048),
        -- Flag types, or '*' alone for all of them.
        events text[] NOT NULL CHECK (cardinality(events) BETWEEN 1 AND 50 AND events <@ ARRAY[${FLAG_TYPES}, '*']::text[]),
        -- null: the facility's webhook (every clinic and the facility flags); else that clinic's flags only.
        clinic_id uuid REFERENCES clinics(id),
        active boolean NOT NULL DEFAULT true,
        -- The signing secret, sealed with AES-256-GCM under WEBHOOK_SECRET_KEY (never the plain secret).
        secret_sealed text NOT NULL CHECK (secret_sealed LIKE 'v1.%'),
        created_by uuid NOT NULL REFERENCES users(id),
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        CONSTRAINT webhooks_star_alone CHECK (NOT ('*' = ANY (events)) OR cardinality(events) = 1)
      )`);
    await db.query(`CREATE INDEX webhooks_created ON webhooks (created_at DESC, id DESC)`);
    await db.query(`CREATE INDEX webhooks_active ON webhooks (clinic_id) WHERE active`);

    // What was announced: one row per flag raised or resolved, recorded in the flag's own transaction; its id
    // is the webhook-id of every delivery of it, and its body is sent byte for byte on every attempt.
    await db.query(`
      CREATE TABLE notification_events (
        id uuid PRIMARY KEY,
        type text NOT NULL CHECK (type IN ('flag.raised', 'flag.resolved')),
        flag_id uuid NOT NULL REFERENCES flags(id),
        flag_type text NOT NULL,
        clinic_id uuid REFERENCES clinics(id),
        occurred_at timestamptz NOT NULL,
        body text NOT NULL,
        created_at timestamptz NOT NULL
      )`);
    await db.query(`CREATE INDEX notification_events_flag ON notification_events (flag_id)`);

    await db.query(`
      CREATE TABLE webhook_deliveries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        webhook_id uuid NOT NULL REFERENCES webhooks(id),
        event_id uuid NOT NULL REFERENCES notification_events(id),
        state text NOT NULL DEFAULT 'PENDING' CHECK (state IN ('PENDING', 'DELIVERED', 'FAILED')),
        attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        response_status integer,
        last_error text,
        last_attempt_at timestamptz,
        next_attempt_at timestamptz,
        -- Retries go on for the retry window from here: the event, or the admin's manual retry.
        window_opened_at timestamptz NOT NULL,
        -- An attempt in flight holds the delivery until then; a worker that died lets it go when it passes.
        leased_until timestamptz,
        delivered_at timestamptz,
        created_at timestamptz NOT NULL,
        CONSTRAINT webhook_deliveries_once UNIQUE (webhook_id, event_id),
        CONSTRAINT webhook_deliveries_next_iff_pending CHECK ((state = 'PENDING') = (next_attempt_at IS NOT NULL)),
        CONSTRAINT webhook_deliveries_delivered_complete CHECK ((state = 'DELIVERED') = (delivered_at IS NOT NULL))
      )`);
    await db.query(
      `CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE state = 'PENDING'`,
    );
    await db.query(
      `CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id, created_at DESC, id DESC)`,
    );

    // Every attempt, kept: what was sent when, and what came back (never the secret or the signature).
    await db.query(`
      CREATE TABLE webhook_delivery_attempts (
        id bigserial PRIMARY KEY,
        delivery_id uuid NOT NULL REFERENCES webhook_deliveries(id),
        attempt integer NOT NULL CHECK (attempt >= 1),
        attempted_at timestamptz NOT NULL,
        duration_ms integer NOT NULL CHECK (duration_ms >= 0),
        response_status integer,
        error text,
        CONSTRAINT webhook_delivery_attempts_once UNIQUE (delivery_id, attempt)
      )`);

    await db.query(`
      CREATE TABLE notification_preferences (
        user_id uuid PRIMARY KEY REFERENCES users(id),
        email_flag_types text[] NOT NULL CHECK (email_flag_types <@ ARRAY[${FLAG_TYPES}]::text[]),
        updated_at timestamptz NOT NULL
      )`);
    // The fan-out looks up who asked for a flag type.
    await db.query(
      `CREATE INDEX notification_preferences_email ON notification_preferences USING gin (email_flag_types)`,
    );

    await db.query(`
      CREATE TABLE email_deliveries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        event_id uuid NOT NULL REFERENCES notification_events(id),
        user_id uuid NOT NULL REFERENCES users(id),
        recipient text NOT NULL,
        subject text NOT NULL,
        body text NOT NULL,
        state text NOT NULL DEFAULT 'PENDING' CHECK (state IN ('PENDING', 'SENT', 'FAILED', 'WITHDRAWN')),
        attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        last_error text,
        last_attempt_at timestamptz,
        next_attempt_at timestamptz,
        window_opened_at timestamptz NOT NULL,
        leased_until timestamptz,
        sent_at timestamptz,
        created_at timestamptz NOT NULL,
        CONSTRAINT email_deliveries_once UNIQUE (event_id, user_id),
        CONSTRAINT email_deliveries_next_iff_pending CHECK ((state = 'PENDING') = (next_attempt_at IS NOT NULL)),
        CONSTRAINT email_deliveries_sent_complete CHECK ((state = 'SENT') = (sent_at IS NOT NULL))
      )`);
    await db.query(
      `CREATE INDEX email_deliveries_due ON email_deliveries (next_attempt_at) WHERE state = 'PENDING'`,
    );

    // The log of what was sent is a record: rows change state, but nobody removes them.
    for (const table of ['webhooks', 'notification_events', 'webhook_deliveries', 'email_deliveries']) {
      await db.query(`REVOKE DELETE, TRUNCATE ON ${table} FROM ${role}`);
    }
    await db.query(`REVOKE UPDATE, DELETE, TRUNCATE ON notification_events FROM ${role}`);
    await db.query(`REVOKE UPDATE, DELETE, TRUNCATE ON webhook_delivery_attempts FROM ${role}`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE email_deliveries');
    await db.query('DROP TABLE notification_preferences');
    await db.query('DROP TABLE webhook_delivery_attempts');
    await db.query('DROP TABLE webhook_deliveries');
    await db.query('DROP TABLE notification_events');
    await db.query('DROP TABLE webhooks');
  }
}

/** The flag types of migration 1764000045000, as SQL literals. */
const FLAG_TYPES = [
  'READY_FOR_RELEASE',
  'READY_FOR_INJECTION',
  'POST_RELEASE_QC_FAILURE',
  'STORAGE_REVIEW_DUE',
  'DOSE_EXPIRING',
  'STORAGE_MISMATCH',
  'ADVERSE_EVENT_REPORT_DUE',
  'TEMPERATURE_EXCURSION',
  'CALIBRATION_DUE',
  'ENVIRONMENT_ACTION',
  'VISIT_AT_RISK',
  'FOLLOW_UP_DUE',
  'BOOSTER_CANDIDATE',
]
  .map((type) => `'${type}'`)
  .join(', ');

function appRole(): string {
  const role = process.env.DATABASE_APP_ROLE || 'cpc_app';
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(role))
    throw new Error('DATABASE_APP_ROLE must be a lower-case SQL identifier');
  return role;
}
