import { BootstrapAdminService } from '../../src/auth/bootstrap-admin.service';
import { aPerson, bearer } from '../support/people';
import {
  aPrivateDatabase,
  loginAsAdmin,
  PrivateDatabase,
  startTestApp,
  startTestAppWith,
  TestApp,
} from '../support/test-app';
import { TEST_ADMIN } from '../support/test-env';

/** Starts apps at once; if one fails to start, the others are closed before the error is passed on. */
async function startAtOnce(starts: (() => Promise<TestApp>)[]): Promise<TestApp[]> {
  const results = await Promise.allSettled(starts.map((start) => start()));
  const started = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) {
    await Promise.all(started.map((app) => app.close()));
    throw failed.reason;
  }
  return started;
}

const countUsers = async (t: TestApp, email?: string): Promise<number> =>
  Number(
    (
      await t.sql.query(
        email ? 'SELECT count(*) FROM users WHERE lower(email) = lower($1)' : 'SELECT count(*) FROM users',
        email ? [email] : [],
      )
    ).rows[0].count,
  );

describe('auth: the bootstrap administrator', () => {
  it('is created once, even when two apps start at once on the already bootstrapped run database', async () => {
    const apps = await startAtOnce([startTestApp, startTestApp]);
    try {
      expect(await countUsers(apps[0], TEST_ADMIN.email)).toBe(1);
      await loginAsAdmin(apps[1].http);
    } finally {
      await Promise.all(apps.map((app) => app.close()));
    }
  });

  describe('on an empty database', () => {
    let db: PrivateDatabase;
    beforeEach(async () => {
      db = await aPrivateDatabase();
    });
    afterEach(async () => {
      await db.drop();
    });

    it('is created exactly once when three apps start at once, audited as the system, without its hash', async () => {
      const apps = await startAtOnce([1, 2, 3].map(() => () => startTestAppWith(db.settings)));
      try {
        const users = await apps[0].sql.query('SELECT id, email, role, clinic_id, active FROM users');
        expect(users.rows).toEqual([
          { id: expect.any(String), email: TEST_ADMIN.email, role: 'admin', clinic_id: null, active: true },
        ]);
        const audit = await apps[0].sql.query(
          'SELECT action, actor_id, actor_role, canonical FROM audit_entries WHERE entity_id = $1',
          [users.rows[0].id],
        );
        expect(audit.rows).toEqual([
          expect.objectContaining({ action: 'user.created', actor_id: null, actor_role: 'system' }),
        ]);
        expect(audit.rows[0].canonical).not.toMatch(/argon2|passwordHash|admin-password/);
        for (const app of apps) await loginAsAdmin(app.http);
      } finally {
        await Promise.all(apps.map((app) => app.close()));
      }
    });

    it('creates nobody without BOOTSTRAP_ADMIN_EMAIL / PASSWORD', async () => {
      const app = await startTestAppWith({
        ...db.settings,
        bootstrapAdminEmail: null,
        bootstrapAdminPassword: null,
      });
      try {
        expect(await countUsers(app)).toBe(0);
      } finally {
        await app.close();
      }
    });

    it('lets exactly one of many concurrent bootstraps win, even with different emails (the advisory lock, not the unique email, decides)', async () => {
      const app = await startTestAppWith({
        ...db.settings,
        bootstrapAdminEmail: null,
        bootstrapAdminPassword: null,
      });
      try {
        const bootstrap = app.app.get(BootstrapAdminService);
        const results = await Promise.all(
          [1, 2, 3, 4, 5].map((n) =>
            bootstrap.createFirstAdmin(`admin-${n}@cpc.test`, 'first-admin-password'),
          ),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
        expect(await countUsers(app)).toBe(1);
        expect(await bootstrap.createFirstAdmin('late@cpc.test', 'first-admin-password')).toBe(false);
      } finally {
        await app.close();
      }
    });
  });
});

describe('auth: the system keeps an active administrator', () => {
  let db: PrivateDatabase;
  let t: TestApp;
  let admin: string;
  let adminId: string;

  beforeAll(async () => {
    db = await aPrivateDatabase();
    t = await startTestAppWith(db.settings);
    admin = await loginAsAdmin(t.http);
    adminId = (await t.http.get('/api/v1/auth/me').set(...bearer(admin))).body.id as string;
  });
  afterAll(async () => {
    await t.close();
    await db.drop();
  });

  it('refuses to let the last active admin deactivate or demote themselves (409 INVALID_TRANSITION), changing nothing', async () => {
    const deactivate = await t.http
      .patch(`/api/v1/users/${adminId}`)
      .set(...bearer(admin))
      .send({ active: false })
      .expect(409);
    expect(deactivate.body.code).toBe('INVALID_TRANSITION');
    const demote = await t.http
      .patch(`/api/v1/users/${adminId}`)
      .set(...bearer(admin))
      .send({ role: 'qa' })
      .expect(409);
    expect(demote.body.code).toBe('INVALID_TRANSITION');
    const stored = await t.sql.query('SELECT role, active FROM users WHERE id = $1', [adminId]);
    expect(stored.rows).toEqual([{ role: 'admin', active: true }]);
    // Renaming the last admin is fine.
    await t.http
      .patch(`/api/v1/users/${adminId}`)
      .set(...bearer(admin))
      .send({ name: 'First Admin' })
      .expect(200);
  });

  it('lets an admin step down while another active admin remains, and counts deactivated admins as gone', async () => {
    const second = await aPerson(t.http, 'admin');
    const third = await aPerson(t.http, 'admin');
    await t.http
      .patch(`/api/v1/users/${third.id}`)
      .set(...bearer(admin))
      .send({ active: false })
      .expect(200);
    await t.http
      .patch(`/api/v1/users/${second.id}`)
      .set(...bearer(second))
      .send({ role: 'technician' })
      .expect(200);
    // Now the first admin is the only active one again.
    await t.http
      .patch(`/api/v1/users/${adminId}`)
      .set(...bearer(admin))
      .send({ active: false })
      .expect(409);
  });

  it('lets exactly one of two admins demoting each other at once succeed', async () => {
    const a = await aPerson(t.http, 'admin');
    const b = await aPerson(t.http, 'admin');
    // Leave a and b as the only active admins.
    await t.http
      .patch(`/api/v1/users/${adminId}`)
      .set(...bearer(a))
      .send({ role: 'qa' })
      .expect(200);
    const [ab, ba] = await Promise.all([
      t.http
        .patch(`/api/v1/users/${b.id}`)
        .set(...bearer(a))
        .send({ role: 'technician' }),
      t.http
        .patch(`/api/v1/users/${a.id}`)
        .set(...bearer(b))
        .send({ active: false }),
    ]);
    expect([ab.status, ba.status].sort()).toEqual([200, 409]);
    const admins = await t.sql.query("SELECT count(*)::int AS n FROM users WHERE role = 'admin' AND active");
    expect(admins.rows[0].n).toBe(1);
  });
});
