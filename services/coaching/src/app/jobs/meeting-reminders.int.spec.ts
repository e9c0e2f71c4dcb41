import { coachingCatalog, Directory, LearnerActivityLog, meetingReminderKey, Meetings, SendMeetingRemindersHandler } from '@cbme/coaching-application';
import { coachingMeetingDecider, meetingStreamId } from '@cbme/coaching-domain';
import { EventMetadata } from '@cbme/contracts';
import { EventStore, executeCommand, MongoEventStore } from '@cbme/event-sourcing';
import { NOTIFICATION_QUEUE, NotificationOutbox, SmtpTransport } from '@cbme/service-runtime';
import { RunningSmtpServer, startSmtpServer, testServers, uniqueName, waitFor } from '@cbme/testing';
import { Queue, Worker } from 'bullmq';
import mongoose, { Connection } from 'mongoose';

/**
 * Meeting reminders through the notification outbox, against the real MongoDB-compatible server, Redis and an SMTP
 * server: a reminder job that died after notifying and before recording `coaching.meeting-reminder-sent` is run
 * again by BullMQ, and nobody gets a second mail. (Before the outbox the job sent first and recorded after, so its
 * retry sent the learner's reminder again.)
 */
let connection: Connection;
let smtp: RunningSmtpServer;
let queue: Queue;
const workers: Worker[] = [];

beforeAll(async () => {
  connection = await mongoose.createConnection(testServers().mongoUrl, { dbName: uniqueName('test_meeting_reminders').replace(/-/g, '_') }).asPromise();
  smtp = await startSmtpServer();
  queue = new Queue(NOTIFICATION_QUEUE, { connection: { url: testServers().redisUrl, maxRetriesPerRequest: null }, prefix: uniqueName('test-reminders') });
});

afterAll(async () => {
  await Promise.all(workers.map((w) => w.close()));
  await queue?.obliterate({ force: true });
  await queue?.close();
  await connection?.dropDatabase();
  await connection?.close();
  await smtp?.stop();
});

// what the reminder reads besides the meeting's stream: who to write to, and the learner's (here empty) activity
const directory: Directory = { rolesOf: async () => [], contactOf: async (userId) => ({ email: `${userId}@cbme.test`, displayName: userId }), displayNamesOf: async () => new Map() };
const meetings: Meetings = { list: async () => [], scheduledOfCoachEverywhere: async () => [] };
const activity: LearnerActivityLog = { of: async () => [] };

/** The handler of one coaching process: its own outbox and worker over the shared database and queue. */
function processOver(store: EventStore) {
  const outbox = new NotificationOutbox(connection, queue, new SmtpTransport(smtp.url, 'coaching@cbme.test'));
  workers.push(outbox.worker());
  return new SendMeetingRemindersHandler(store, coachingCatalog(), directory, meetings, activity, outbox);
}

/** the store as a process sees it that is killed at its next append, before the append is made */
function killedAtNextAppend(store: EventStore): EventStore {
  return new Proxy(store, {
    get(target, property) {
      if (property === 'append') return () => Promise.reject(new Error('process killed'));
      const value = Reflect.get(target, property);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

describe('meeting reminders through the outbox', () => {
  it('a reminder job that died between notifying and recording the reminder sends nobody a second mail when it runs again', async () => {
    const store = new MongoEventStore(connection, { collection: 'events' });
    await store.init();
    const meetingId = uniqueName('m');
    const startsAt = new Date(Date.now() + 86_400_000).toISOString();
    const metadata: EventMetadata = {
      occurredAt: new Date().toISOString(), tenant: { institutionId: 'inst', schoolId: 'med' }, actor: { userId: 'coa', role: 'coach' }, correlationId: 'c-1', causationId: null,
    };
    await executeCommand(store, coachingCatalog(), coachingMeetingDecider, meetingStreamId('med', meetingId), {
      type: 'ScheduleMeeting',
      data: { meetingId, relationshipId: 'r-1', learnerId: 'lea', coachId: 'coa', startsAt, durationMinutes: 30, now: metadata.occurredAt, relationshipIsActive: true, requestedBy: 'coa', currentCoachId: 'coa' },
    }, metadata);
    const job = { ...metadata, actor: { userId: 'coaching-service', role: 'system' as const } };

    await expect(processOver(killedAtNextAppend(store)).execute({ metadata: job, meetingId, startsAt })).rejects.toThrow('process killed');
    const restarted = processOver(store);
    expect(await restarted.execute({ metadata: job, meetingId, startsAt })).toEqual({ sent: ['lea', 'coa'] });
    expect(await restarted.execute({ metadata: job, meetingId, startsAt })).toEqual({ sent: [] });

    // every send was queued before execute resolved: once the queue holds nothing to run, nothing more can arrive
    await waitFor(async () => expect(await queue.getJobCounts('wait', 'active', 'delayed', 'prioritized')).toEqual({ wait: 0, active: 0, delayed: 0, prioritized: 0 }));
    expect(smtp.received.map((m) => m.to[0]).sort()).toEqual(['coa@cbme.test', 'lea@cbme.test']);
    const intents = connection.collection<{ _id: string; sentAt: Date | null }>('notifications');
    for (const recipient of ['lea', 'coa']) expect((await intents.findOne({ _id: meetingReminderKey(meetingId, startsAt, recipient) }))?.sentAt).toBeInstanceOf(Date);
    const reminders = (await store.readStream(meetingStreamId('med', meetingId))).filter((e) => e.type === 'coaching.meeting-reminder-sent');
    expect(reminders.map((e) => [(e.data as { recipientId: string }).recipientId, (e.data as { channel: string }).channel])).toEqual([['lea', 'email'], ['coa', 'email']]);
  });
});
