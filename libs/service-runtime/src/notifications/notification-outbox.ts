import { JobsOptions, Queue, Worker, WorkerOptions } from 'bullmq';
import { Connection, Model, Schema } from 'mongoose';
import { createHash } from 'node:crypto';
import { NotificationTransport } from './notification-transports';

/** One message of one due item; `key` is its idempotency key (e.g. `meeting:<id>:<startsAt>:<recipient>`). */
export interface NotificationMessage {
  key: string;
  to: string;
  subject: string;
  text: string;
}

/** The port services bind their notifications to. */
export interface Notifier {
  notify(message: NotificationMessage): Promise<void>;
}

export const NOTIFICATION_QUEUE = 'notifications';

interface IntentDocument {
  _id: string;
  to: string;
  /** subject and text are dropped once sent */
  subject?: string;
  text?: string;
  intendedAt: Date;
  /** set before each hand-over to the transport: how often it may have gone out */
  attempts: number;
  sentAt: Date | null;
}

const intentSchema = new Schema<IntentDocument>(
  { _id: String, to: String, subject: String, text: String, intendedAt: Date, attempts: Number, sentAt: Date },
  { versionKey: false, collection: 'notifications' },
);

const digest = (key: string) => createHash('sha256').update(key).digest('hex');

/** BullMQ job ids may not contain ':' (keys do), and a hash keeps any key a valid one. */
export const notificationJobId = (key: string) => `notify-${digest(key)}`;

/** The same Message-ID for every attempt of a key, so a receiver can drop a repeat (RFC 5322 msg-id: no ':' on the left). */
export const notificationMessageId = (key: string, domain: string) => `<${digest(key)}.notification@${domain}>`;

const SEND_JOB: JobsOptions = {
  attempts: 10,
  backoff: { type: 'exponential', delay: 5_000 },
  removeOnComplete: { age: 7 * 86_400 },
  removeOnFail: { age: 30 * 86_400 },
};

/** A job whose worker died mid-send comes back this often before BullMQ gives up on it. */
export const NOTIFICATION_WORKER_OPTIONS: Partial<WorkerOptions> = { maxStalledCount: 5 };

/** Test seams: stop a process between its steps as a crash would. */
export interface OutboxHooks {
  afterIntent?(key: string): Promise<void>;
  beforeSend?(key: string): Promise<void>;
  afterSend?(key: string): Promise<void>;
}

/**
 * The intent of each notification is a document in the service's own database, `_id` = its key, inserted before
 * anything is sent: the unique `_id` makes a second `notify` of the key a no-op, and every later read is by `_id`.
 * A BullMQ job (job id from the key) sends it with a Message-ID from the key and records `sentAt`; a job whose
 * worker died is taken up again (stalled), and one that finds `sentAt` set sends nothing. The one window left is
 * a crash after the mail server accepted the mail and before `sentAt` was written: then it goes out again, with
 * the same Message-ID.
 *
 * `notify` resolves once the intent is recorded and its job queued; a caller that saw it fail or died before it
 * resolved calls it again (the callers are BullMQ jobs and checkpointed readers), which queues a recorded intent
 * that no job holds yet.
 */
export class NotificationOutbox implements Notifier {
  private readonly model: Model<IntentDocument>;

  constructor(
    connection: Connection,
    private readonly queue: Queue,
    private readonly transport: NotificationTransport,
    private readonly hooks: OutboxHooks = {},
  ) {
    this.model = (connection.models['NotificationIntent'] as Model<IntentDocument>) ?? connection.model<IntentDocument>('NotificationIntent', intentSchema);
  }

  /** the channel messages leave by (`email` or `log`) */
  get channel() {
    return this.transport.name;
  }

  async notify({ key, to, subject, text }: NotificationMessage): Promise<void> {
    if (!key) throw new Error('a notification needs an idempotency key');
    try {
      await this.model.create({ _id: key, to, subject, text, intendedAt: new Date(), attempts: 0, sentAt: null });
    } catch (error) {
      if ((error as { code?: number }).code !== 11000) throw error;
      const intent = await this.model.findById(key).lean<IntentDocument>();
      if (intent?.sentAt) return;
    }
    await this.hooks.afterIntent?.(key);
    await this.enqueue(key);
  }

  /** Sends the recorded intent of `key` unless it was sent; what the job runs. */
  async deliver(key: string): Promise<'sent' | 'already-sent'> {
    const intent = await this.model.findById(key).lean<IntentDocument>();
    if (!intent) throw new Error(`no recorded notification ${key}`);
    if (intent.sentAt) return 'already-sent';
    await this.hooks.beforeSend?.(key);
    await this.model.updateOne({ _id: key }, { $set: { attempts: intent.attempts + 1 } });
    await this.transport.send({ messageId: notificationMessageId(key, this.transport.domain), to: intent.to, subject: intent.subject ?? '', text: intent.text ?? '' });
    await this.hooks.afterSend?.(key);
    // the text is needed only until it went out; what stays is who was told, when, and the key that refuses a repeat
    await this.model.updateOne({ _id: key }, { $set: { sentAt: new Date() }, $unset: { subject: '', text: '' } });
    return 'sent';
  }

  /** a worker of this process over the queue (the services use their BullMQ processor instead) */
  worker(options: Partial<WorkerOptions> = {}) {
    return new Worker<{ key: string }>(this.queue.name, (job) => this.deliver(job.data.key), {
      ...NOTIFICATION_WORKER_OPTIONS, connection: this.queue.opts.connection, prefix: this.queue.opts.prefix, ...options,
    });
  }

  private async enqueue(key: string) {
    const jobId = notificationJobId(key);
    await this.queue.add('send', { key }, { ...SEND_JOB, jobId });
    // an existing job id adds nothing: one that gave up (every attempt failed) is tried again
    const job = await this.queue.getJob(jobId);
    if (job && (await job.getState()) === 'failed') await job.retry('failed');
  }
}
