import { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { describeSmtpFailure, Mailer } from '../../../src/notifications/email/mailer';

interface Received {
  from: string;
  to: string[];
  raw: string;
}

async function anSmtpServer(options: { refuse?: boolean } = {}): Promise<{
  port: number;
  received: Received[];
  close(): Promise<void>;
}> {
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      callback(null, { user: auth.username });
    },
    onData(stream, session, callback) {
      let raw = '';
      stream.on('data', (chunk: Buffer) => (raw += chunk.toString()));
      stream.on('end', () => {
        if (options.refuse) {
          const error = new Error('mailbox unavailable') as Error & { responseCode: number };
          error.responseCode = 550;
          callback(error);
          return;
        }
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          raw,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { port, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('the mailer', () => {
  it('delivers a message to a real SMTP server with its recipient, subject, body and message id', async () => {
    const smtp = await anSmtpServer();
    const mailer = new Mailer(`smtp://127.0.0.1:${smtp.port}`, 'CPC Tracker <cpc@example.org>');
    try {
      await mailer.send({
        to: 'qa@example.org',
        subject: '[CPC] Dose expiring - DIN X999926000001',
        text: 'Open: http://localhost:3000/api/v1/doses/1\n',
        messageId: '<evt-1.user-1@cpc-tracker>',
      });
      expect(smtp.received).toHaveLength(1);
      expect(smtp.received[0].from).toBe('cpc@example.org');
      expect(smtp.received[0].to).toEqual(['qa@example.org']);
      expect(smtp.received[0].raw).toContain('Subject: [CPC] Dose expiring - DIN X999926000001');
      expect(smtp.received[0].raw).toContain('Message-ID: <evt-1.user-1@cpc-tracker>');
      expect(smtp.received[0].raw).toContain('http://localhost:3000/api/v1/doses/1');
    } finally {
      mailer.close();
      await smtp.close();
    }
  });

  it('rejects when the server refuses, with its answer and without the password of the URL', async () => {
    const smtp = await anSmtpServer({ refuse: true });
    const mailer = new Mailer(`smtp://user:s3cret-pass@127.0.0.1:${smtp.port}`, 'cpc@example.org');
    try {
      const failure = await mailer
        .send({ to: 'qa@example.org', subject: 's', text: 't', messageId: '<m@x>' })
        .then(
          () => null,
          (error: unknown) => describeSmtpFailure(error),
        );
      expect(failure).toContain('550');
      expect(failure).not.toContain('s3cret-pass');
    } finally {
      mailer.close();
      await smtp.close();
    }
  });
});
