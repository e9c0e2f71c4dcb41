import { Queue, Worker } from 'bullmq';
import mongoose, { Connection } from 'mongoose';
import { randomUUID } from 'node:crypto';
import { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { NOTIFICATION_QUEUE, notificationMessageId, NotificationOutbox, OutboxHooks } from './notification-outbox';
import { SmtpTransport } from './notification-transports';

// real MongoDB-compatible server, Redis and SMTP server (a runtime library may not use @cbme/testing's helpers)
const REDIS = { url: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379', maxRetriesPerRequest: null };
const FROM = 'coaching@cbme.test';

let connection: Connection;
let smtp: SMTPServer;
let smtpUrl: string;
const received: { to: string[]; messageId: string; subject: string }[] = [];
const queues: Queue[] = [];
const workers: Worker[] = [];

beforeAll(async () => {
  connection = await mongoose.createConnection(process.env['MONGO_URL'] ?? 'mongodb://127.0.0.1:27017', { dbName: `test_notifications_${randomUUID().slice(0, 8)}` }).asPromise();
  smtp = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
    onData(stream, session, callback) {
      let raw = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => (raw += chunk));
      stream.on('end', () => {
        const headers = raw.slice(0, raw.search(/\r?\n\r?\n/)).replace(/\r?\n[ \t]+/g, ' ');
        const header = (name: string) => new RegExp(`^${name}: *(.*)$`, 'mi').exec(headers)?.[1]?.trim() ?? '';
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), messageId: header('Message-ID'), subject: header('Subject') });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await Promise.all(workers.map((w) => w.close(true)));
  for (const queue of queues) {
    await queue.obliterate({ force: true });
    await queue.close();
  }
  await connection.dropDatabase();
  await connection.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

/** One "process": its own outbox and worker over the test's database and queue (the same Redis prefix for both). */
function processOf(prefix: string, hooks: OutboxHooks = {}, workerOptions = {}) {
  const queue = new Queue(NOTIFICATION_QUEUE, { connection: REDIS, prefix });
  queues.push(queue);
  const outbox = new NotificationOutbox(connection, queue, new SmtpTransport(smtpUrl, FROM), hooks);
  const worker = outbox.worker({ lockDuration: 1_000, stalledInterval: 500, ...workerOptions });
  workers.push(worker);
  return { outbox, worker, queue };
}

const message = (key: string) => ({ key, to: `${key.replace(/\W/g, '')}@cbme.test`, subject: `Reminder ${key}`, text: 'Your meeting starts soon.' });
const mailsOf = (key: string) => received.filter((m) => m.subject === `Reminder ${key}`);
const intentOf = (key: string) => connection.collection<{ _id: string; attempts: number; sentAt: Date | null }>('notifications').findOne({ _id: key });

async function waitFor<T>(probe: () => Promise<T | undefined | null | false> | T | undefined | null | false): Promise<T> {
  for (;;) {
    const value = await probe();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Nothing left that could send: the intent is recorded sent and the queue holds no job that is waiting, delayed or running. */
async function settled(queue: Queue, key: string) {
  await waitFor(async () => (await intentOf(key))?.sentAt);
  await waitFor(async () => Object.values(await queue.getJobCounts('wait', 'active', 'delayed', 'prioritized')).every((n) => n === 0));
}

/** notify in one process whose worker stops for good at `step` and is killed there; then a process restarted over the same servers */
async function killedAt(step: 'beforeSend' | 'afterSend', prefix: string, key: string) {
  let reached!: () => void;
  const stopped = new Promise<void>((resolve) => (reached = resolve));
  const dying = processOf(prefix, { [step]: () => (reached(), new Promise<void>(() => undefined)) });
  await dying.outbox.notify(message(key));
  await stopped;
  await dying.worker.close(true);
  return processOf(prefix);
}

describe('NotificationOutbox against the real servers', () => {
  it('sends one mail per key, with the key\'s Message-ID, when notify is called twice and from two processes', async () => {
    const prefix = `test-notify-${randomUUID().slice(0, 8)}`;
    const a = processOf(prefix);
    const b = processOf(prefix);
    const key = `meeting:m-1:2026-12-24T09:00:00.000Z:lea-${randomUUID().slice(0, 4)}`;
    await a.outbox.notify(message(key));
    await Promise.all([a.outbox.notify(message(key)), b.outbox.notify({ ...message(key), text: 'a changed text is not a new notification' })]);
    await settled(a.queue, key);
    await a.outbox.notify(message(key));
    await settled(a.queue, key);

    expect(mailsOf(key)).toEqual([{ to: [message(key).to], subject: `Reminder ${key}`, messageId: notificationMessageId(key, 'cbme.test') }]);
    const intent = await intentOf(key);
    expect(intent).toMatchObject({ to: message(key).to, attempts: 1 });
    expect(intent).not.toHaveProperty('text');
    expect(await a.outbox.deliver(key)).toBe('already-sent');
  });

  it('a process that died after recording the intent, before queueing it, leaves it for the caller\'s retry, which sends it once', async () => {
    const prefix = `test-notify-${randomUUID().slice(0, 8)}`;
    const key = `plan-review:med:lea:2027-01-10:lea-${randomUUID().slice(0, 4)}`;
    const dying = processOf(prefix, { afterIntent: () => Promise.reject(new Error('process killed')) });
    await expect(dying.outbox.notify(message(key))).rejects.toThrow('process killed');
    expect(await intentOf(key)).toMatchObject({ attempts: 0, sentAt: null });
    expect(await dying.queue.getJobCounts('wait', 'delayed')).toEqual({ wait: 0, delayed: 0 });

    const restarted = processOf(prefix);
    await restarted.outbox.notify(message(key));
    await settled(restarted.queue, key);
    expect(mailsOf(key)).toHaveLength(1);
  });

  it('a worker killed after the job was queued, before sending: the restarted process sends it once without a new notify', async () => {
    const prefix = `test-notify-${randomUUID().slice(0, 8)}`;
    const key = `meeting:m-2:2026-12-24T10:00:00.000Z:cam-${randomUUID().slice(0, 4)}`;
    const restarted = await killedAt('beforeSend', prefix, key);
    await settled(restarted.queue, key);
    expect(mailsOf(key)).toHaveLength(1);
    expect(await intentOf(key)).toMatchObject({ attempts: 1 });
  });

  it('the one window: killed after the server accepted the mail, before recording it sent, it goes again with the same Message-ID', async () => {
    const prefix = `test-notify-${randomUUID().slice(0, 8)}`;
    const key = `meeting:m-3:2026-12-24T11:00:00.000Z:lea-${randomUUID().slice(0, 4)}`;
    const restarted = await killedAt('afterSend', prefix, key);
    await settled(restarted.queue, key);
    const mails = mailsOf(key);
    expect(mails).toHaveLength(2);
    expect(new Set(mails.map((m) => m.messageId))).toEqual(new Set([notificationMessageId(key, 'cbme.test')]));
    expect(await intentOf(key)).toMatchObject({ attempts: 2 });
  });
});
