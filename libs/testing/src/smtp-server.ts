import { SMTPServer } from 'smtp-server';
import { freePort } from './service-process';

export interface ReceivedMail {
  to: string[];
  subject: string;
  /** the whole message, quoted-printable soft breaks and escapes undone */
  text: string;
}

export interface RunningSmtpServer {
  url: string;
  received: ReceivedMail[];
  stop(): Promise<void>;
}

const decodeQuotedPrintable = (raw: string) =>
  raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));

/** A real SMTP server (the smtp-server package) on a free local port that keeps every message it accepts. */
export async function startSmtpServer(): Promise<RunningSmtpServer> {
  const port = await freePort();
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      let raw = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => (raw += chunk));
      stream.on('end', () => {
        const text = decodeQuotedPrintable(raw);
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), subject: /^Subject: (.*)$/m.exec(text)?.[1]?.trim() ?? '', text });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { url: `smtp://127.0.0.1:${port}`, received, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
