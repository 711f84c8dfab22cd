import { createTransport, Transporter } from 'nodemailer';

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  /** Sent as Message-ID, so a mail server that received an attempt already can tell a retry. */
  messageId: string;
}

/**
 * The SMTP client (nodemailer) at SMTP_URL. A pool of two connections, bounded connection, greeting and socket
 * times, and no logging of its own: the URL may carry the SMTP password, which must never reach a log.
 */
export class Mailer {
  private readonly transport: Transporter;

  constructor(
    smtpUrl: string,
    private readonly from: string,
  ) {
    this.transport = createTransport({
      url: smtpUrl,
      pool: true,
      maxConnections: 2,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
      logger: false,
      debug: false,
    });
  }

  async send(email: OutgoingEmail): Promise<void> {
    await this.transport.sendMail({
      from: this.from,
      to: email.to,
      subject: email.subject,
      text: email.text,
      messageId: email.messageId,
    });
  }

  close(): void {
    this.transport.close();
  }
}

/**
 * An SMTP failure as a short sentence for the delivery log: nodemailer's message and response code, which
 * name the server's answer, never the URL or its credentials.
 */
export function describeSmtpFailure(error: unknown): string {
  if (!(error instanceof Error)) return 'the mail server refused the message';
  const withCode = error as Error & { code?: string; responseCode?: number };
  const parts = [withCode.code, withCode.responseCode ? String(withCode.responseCode) : null].filter(Boolean);
  return `${parts.length > 0 ? `${parts.join(' ')}: ` : ''}${error.message}`.slice(0, 500);
}
