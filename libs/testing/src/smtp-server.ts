import { SMTPServer } from 'smtp-server';
import { freePort } from './service-process';

export interface ReceivedMail {
  to: string[];
  subject: string;
  /** the Message-ID header as sent */
  messageId: string;
  /** the whole message, quoted-printable soft breaks and escapes undone */
  text: string;
}

export interface RunningSmtpServer {
  url: string;
  received: ReceivedMail[];
  /** while set, every recipient is refused with 451 (try again later), as a mail server that is down for a while */
  refusing: boolean;
  stop(): Promise<void>;
}

const decodeQuotedPrintable = (raw: string) =>
  raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));

/** A real SMTP server (the smtp-server package) on a free local port that keeps every message it accepts. */
export async function startSmtpServer(): Promise<RunningSmtpServer> {
  const port = await freePort();
  const received: ReceivedMail[] = [];
  const state = { refusing: false };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(_address, _session, callback) {
      callback(state.refusing ? Object.assign(new Error('try again later'), { responseCode: 451 }) : undefined);
    },
    onData(stream, session, callback) {
      let raw = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => (raw += chunk));
      stream.on('end', () => {
        const text = decodeQuotedPrintable(raw);
        const headers = text.slice(0, text.search(/\r?\n\r?\n/)).replace(/\r?\n[ \t]+/g, ' ');
        const header = (name: string) => new RegExp(`^${name}: *(.*)$`, 'mi').exec(headers)?.[1]?.trim() ?? '';
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), subject: header('Subject'), messageId: header('Message-ID'), text });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `smtp://127.0.0.1:${port}`, received,
    get refusing() {
      return state.refusing;
    },
    set refusing(on: boolean) {
      state.refusing = on;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
