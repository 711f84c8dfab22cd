import { FlagEvent, FlagEventType } from './flag-event';

/** What the e-mail names besides the flag: the batch's DIN and the dose's label, when the flag has them. */
export interface FlagSubjectNames {
  din: string | null;
  doseLabel: string | null;
}

export interface EmailMessage {
  subject: string;
  text: string;
}

const TITLES: Record<string, string> = {
  READY_FOR_RELEASE: 'Ready for release',
  READY_FOR_INJECTION: 'Ready for injection',
  POST_RELEASE_QC_FAILURE: 'QC failure after release',
  STORAGE_REVIEW_DUE: 'Storage review due',
  DOSE_EXPIRING: 'Dose expiring',
  STORAGE_MISMATCH: 'Vial in the wrong tank class',
  ADVERSE_EVENT_REPORT_DUE: 'Adverse event report due',
  TEMPERATURE_EXCURSION: 'Temperature excursion',
  CALIBRATION_DUE: 'Calibration due',
  ENVIRONMENT_ACTION: 'Environmental action limit reached',
  VISIT_AT_RISK: 'Injection visit at risk',
  FOLLOW_UP_DUE: 'Follow-up due',
  BOOSTER_CANDIDATE: 'Booster candidate',
};

export function flagTitle(type: string): string {
  return TITLES[type] ?? type;
}

/**
 * Where the message points: the dose or batch the flag is about, else the flag list of its type. The API has
 * no single-flag route, and the record is what the reader acts on.
 */
export function flagLink(baseUrl: string, event: FlagEvent): string {
  const base = baseUrl.replace(/\/+$/, '');
  const { flag } = event;
  if (flag.doseId) return `${base}/api/v1/doses/${flag.doseId}`;
  if (flag.batchId) return `${base}/api/v1/batches/${flag.batchId}`;
  return `${base}/api/v1/flags?type=${encodeURIComponent(flag.type)}`;
}

/**
 * The e-mail of one flag event: the subject says what happened and to which product (DIN, dose label), so a
 * reader can sort a mailbox without opening; the text repeats it with the times and a link. No patient name:
 * the system holds none, and donor codes stay inside the API.
 */
export function flagEmail(event: FlagEvent, names: FlagSubjectNames, baseUrl: string): EmailMessage {
  const what = flagTitle(event.flag.type);
  const resolved = event.type === FlagEventType.RESOLVED;
  const product = [names.din ? `DIN ${names.din}` : null, names.doseLabel ? `dose ${names.doseLabel}` : null]
    .filter((part): part is string => part !== null)
    .join(', ');
  const subject = `[CPC] ${resolved ? 'Resolved: ' : ''}${what}${product ? ` - ${product}` : ''}`;
  const lines = [
    `${what} (${event.flag.type}) was ${resolved ? 'resolved' : 'raised'} at ${event.occurredAt.toISOString()}.`,
    '',
    ...(names.din ? [`DIN: ${names.din}`] : []),
    ...(names.doseLabel ? [`Dose: ${names.doseLabel}`] : []),
    `Flag: ${event.flag.id} (${event.flag.status})`,
    ...detailLines(event.flag.details),
    '',
    `Open: ${flagLink(baseUrl, event)}`,
    '',
    'You receive this because you asked for e-mail about this flag type (PUT /api/v1/users/me/notifications).',
  ];
  return { subject, text: `${lines.join('\n')}\n` };
}

function detailLines(details: Record<string, unknown>): string[] {
  const simple = Object.entries(details).filter(
    ([, value]) => typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean',
  );
  return simple.map(([key, value]) => `${key}: ${String(value)}`);
}
