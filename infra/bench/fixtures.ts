import { Connection } from 'mongoose';
import { randomUUID } from 'node:crypto';

/**
 * Bench fixtures written straight in the event store's document layout (one commit document per append, one
 * position document per commit; see libs/event-sourcing/src/store/mongo-event-store.ts), because appending
 * 100k events one command at a time would take longer than the measurement. Everything is read back through
 * the store's own code, so a layout mismatch fails loudly.
 */
export interface GoalStreamFixture {
  streamId: string;
  goalId: string;
  /** when each event occurred, oldest first */
  occurredAt: string[];
}

const TENANT = { institutionId: 'bench-institution', schoolId: 'bench-school' };

/** A goal stream's events: goal-set, then revisions (a realistic long-lived goal), one day apart from `start`. */
export function goalEvents(goalId: string, learnerId: string, count: number, start = Date.parse('2020-01-01T00:00:00.000Z')) {
  const streamId = `feedback-goal-${goalId}`;
  return Array.from({ length: count }, (_, i) => {
    const occurredAt = new Date(start + i * 86_400_000).toISOString();
    const common = {
      eventId: randomUUID(), schemaVersion: 1, envelopeVersion: 2, streamId, streamVersion: i + 1, occurredAt, recordedAt: occurredAt, tenant: TENANT,
      actor: { userId: learnerId, role: 'learner' as const }, correlationId: randomUUID(), causationId: null,
    };
    return i === 0
      ? { ...common, type: 'feedback.goal-set', data: { goalId, learnerId, description: 'Lead a structured handover (SBAR) on every night shift', measureOfSuccess: 'Observed by my coach', competencies: ['ICS', 'PC'], targetDate: '2030-06-30' } }
      : { ...common, type: 'feedback.goal-revised', data: { goalId, learnerId, description: `Lead a structured handover, revision ${i}`, targetDate: '2030-06-30', rationale: 'Rotation schedule changed' } };
  });
}

/**
 * Writes `streams` goal streams of `eventsPerStream` events each into the store collection `collection`,
 * interleaved in the global order as concurrent learners would, one event per commit. Returns the streams.
 */
export async function writeGoalStreams(connection: Connection, collection: string, streams: number, eventsPerStream: number, firstPosition = 1): Promise<GoalStreamFixture[]> {
  const fixtures = Array.from({ length: streams }, () => {
    const goalId = randomUUID();
    return { goalId, events: goalEvents(goalId, `learner-${goalId.slice(0, 8)}`, eventsPerStream) };
  });
  const commits = connection.collection(collection);
  const positions = connection.collection(`${collection}_positions`);
  let position = firstPosition;
  let commitBatch: object[] = [];
  let positionBatch: object[] = [];
  const flush = async () => {
    if (commitBatch.length === 0) return;
    await commits.insertMany(commitBatch as never[], { ordered: false });
    await positions.insertMany(positionBatch as never[], { ordered: false });
    commitBatch = [];
    positionBatch = [];
  };
  for (let v = 0; v < eventsPerStream; v++) {
    for (const { events } of fixtures) {
      const event = events[v];
      const id = `${event.streamId}#${event.streamVersion}`;
      commitBatch.push({ _id: id, streamId: event.streamId, from: event.streamVersion, to: event.streamVersion, position, committedAt: new Date(), events: [event] });
      positionBatch.push({ _id: String(position), commitId: id, streamId: event.streamId, events: [event] });
      position++;
      if (commitBatch.length >= 1000) await flush();
    }
  }
  await flush();
  return fixtures.map(({ goalId, events }) => ({ streamId: events[0].streamId, goalId, occurredAt: events.map((e) => e.occurredAt) }));
}
