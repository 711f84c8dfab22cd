import {
  AnnouncedFlag,
  FlagEventType,
  recipientMaySee,
  subscriptionWants,
  webhookBody,
} from '../../../src/notifications/domain/flag-event';
import { flagEmail, flagLink } from '../../../src/notifications/domain/flag-email';

const CLINIC_A = '11111111-1111-4111-8111-111111111111';
const CLINIC_B = '22222222-2222-4222-8222-222222222222';

function aFlag(overrides: Partial<AnnouncedFlag> = {}): AnnouncedFlag {
  return {
    id: 'f0000000-0000-4000-8000-000000000001',
    type: 'READY_FOR_INJECTION',
    status: 'OPEN',
    clinicId: CLINIC_A,
    batchId: 'b0000000-0000-4000-8000-000000000001',
    doseId: null,
    details: { din: 'X999926000001' },
    ...overrides,
  };
}

describe('which webhooks receive a flag event', () => {
  it('a webhook receives the types it lists, or all with *', () => {
    expect(subscriptionWants({ events: ['READY_FOR_INJECTION'], clinicId: null }, aFlag())).toBe(true);
    expect(subscriptionWants({ events: ['*'], clinicId: null }, aFlag())).toBe(true);
    expect(subscriptionWants({ events: ['DOSE_EXPIRING'], clinicId: null }, aFlag())).toBe(false);
  });

  it("a clinic's webhook receives only its clinic's flags, never a facility flag", () => {
    expect(subscriptionWants({ events: ['*'], clinicId: CLINIC_A }, aFlag())).toBe(true);
    expect(subscriptionWants({ events: ['*'], clinicId: CLINIC_B }, aFlag())).toBe(false);
    const facility = aFlag({ type: 'TEMPERATURE_EXCURSION', clinicId: null, batchId: null });
    expect(subscriptionWants({ events: ['*'], clinicId: CLINIC_A }, facility)).toBe(false);
    expect(subscriptionWants({ events: ['*'], clinicId: null }, facility)).toBe(true);
  });

  it('sends {type, timestamp, data} with data the flag', () => {
    const flag = aFlag();
    const body = JSON.parse(
      webhookBody({ type: FlagEventType.RAISED, occurredAt: new Date('2026-11-24T09:30:00Z'), flag }),
    );
    expect(body).toEqual({ type: 'flag.raised', timestamp: '2026-11-24T09:30:00.000Z', data: flag });
  });
});

describe('who may be e-mailed about a flag', () => {
  const staff = (role: 'admin' | 'qa' | 'technician') => ({ role, clinicId: null, active: true });

  it('CPC staff see every flag, facility flags included', () => {
    for (const role of ['admin', 'qa', 'technician'] as const) {
      expect(recipientMaySee(staff(role), aFlag())).toBe(true);
      expect(recipientMaySee(staff(role), aFlag({ clinicId: null }))).toBe(true);
    }
  });

  it("a doctor sees their own clinic's flags only, and no facility flag", () => {
    const doctor = { role: 'doctor' as const, clinicId: CLINIC_A, active: true };
    expect(recipientMaySee(doctor, aFlag())).toBe(true);
    expect(recipientMaySee(doctor, aFlag({ clinicId: CLINIC_B }))).toBe(false);
    expect(recipientMaySee(doctor, aFlag({ clinicId: null }))).toBe(false);
  });

  it('the monitoring account and deactivated users get nothing', () => {
    expect(recipientMaySee({ role: 'monitor', clinicId: null, active: true }, aFlag())).toBe(false);
    expect(recipientMaySee({ ...staff('qa'), active: false }, aFlag())).toBe(false);
  });
});

describe('the e-mail of a flag event', () => {
  const at = new Date('2026-11-24T09:30:00Z');

  it('names the flag, the DIN and the dose label in the subject, and links the record', () => {
    const flag = aFlag({ type: 'DOSE_EXPIRING', doseId: 'd0000000-0000-4000-8000-000000000001' });
    const message = flagEmail(
      { type: FlagEventType.RAISED, occurredAt: at, flag },
      { din: 'X999926000001', doseLabel: 'X999926000001-D01' },
      'https://cpc.example.org/',
    );
    expect(message.subject).toBe('[CPC] Dose expiring - DIN X999926000001, dose X999926000001-D01');
    expect(message.text).toContain(
      'https://cpc.example.org/api/v1/doses/d0000000-0000-4000-8000-000000000001',
    );
    expect(message.text).toContain('raised at 2026-11-24T09:30:00.000Z');
    expect(message.text).toContain('din: X999926000001');
  });

  it('says when a flag was resolved', () => {
    const message = flagEmail(
      { type: FlagEventType.RESOLVED, occurredAt: at, flag: aFlag({ status: 'RESOLVED' }) },
      { din: 'X999926000001', doseLabel: null },
      'http://localhost:3000',
    );
    expect(message.subject).toBe('[CPC] Resolved: Ready for injection - DIN X999926000001');
    expect(message.text).toContain('was resolved');
  });

  it('links the flag list when the flag names no batch or dose', () => {
    const flag = aFlag({ type: 'CALIBRATION_DUE', clinicId: null, batchId: null });
    expect(flagLink('http://x', { type: FlagEventType.RAISED, occurredAt: at, flag })).toBe(
      'http://x/api/v1/flags?type=CALIBRATION_DUE',
    );
  });
});
