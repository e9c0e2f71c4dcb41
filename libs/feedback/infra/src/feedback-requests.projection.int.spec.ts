import { InMemoryEventStore, StoredEvent } from '@cbme/event-sourcing';
import { connectTestDatabase, dropTestDatabase, pendingEvent } from '@cbme/testing';
import { Connection } from 'mongoose';
import { FeedbackRequestsProjection } from './feedback-requests.projection';

let connection: Connection;
beforeAll(async () => {
  connection = await connectTestDatabase('feedback-requests');
});
afterAll(() => dropTestDatabase(connection));

const context = { setting: 'ward', occurredOn: '2026-09-01' };
const made = (requestId: string, learnerId: string, asked: { assessorKind: string; assessorId?: string }, at: string) => pendingEvent('feedback.request-made', {
  requestId, learnerId, coachId: 'coa', ...asked, assessorName: 'Dr. Asked', context, competencies: ['PC'],
  remindAt: '2026-09-20T09:00:00.000Z', expiresAt: '2026-10-01T09:00:00.000Z',
}, at);

/** Lena asks a colleague (cob) and an external; Max asks cob too and cob answers; Lena's coach prompts her. */
async function requestHistory(): Promise<StoredEvent[]> {
  const store = new InMemoryEventStore();
  await store.append('fr-1', 0, [made('r1', 'lena', { assessorKind: 'colleague', assessorId: 'cob' }, '2026-09-02T10:00:00.000Z')]);
  await store.append('fr-2', 0, [made('r2', 'lena', { assessorKind: 'external' }, '2026-09-03T10:00:00.000Z')]);
  await store.append('fr-3', 0, [made('r3', 'max', { assessorKind: 'colleague', assessorId: 'cob' }, '2026-09-04T10:00:00.000Z')]);
  await store.append('fr-3', 1, [pendingEvent('feedback.request-answered', {
    requestId: 'r3', learnerId: 'max', dialogueId: 'fr-r3', answeredBy: 'cob', ratings: [{ competency: 'PC', level: 4 }], wordCount: 5, text: 'SECRET answer',
  }, '2026-09-05T10:00:00.000Z')]);
  await store.append('fr-4', 0, [pendingEvent('feedback.request-prompted', { requestId: 'r4', learnerId: 'lena', coachId: 'coa', competencies: ['ICS'] }, '2026-09-06T10:00:00.000Z')]);
  return [...(await store.readStream('fr-1')), ...(await store.readStream('fr-2')), ...(await store.readStream('fr-3')), ...(await store.readStream('fr-4'))];
}

describe('FeedbackRequestsProjection (real MongoDB-compatible server)', () => {
  it('lists a learner\'s requests and those asked of a colleague, newest first, the same whatever the batch shape and redelivery', async () => {
    const projection = new FeedbackRequestsProjection(connection);
    const history = await requestHistory();
    const read = async () => ({
      lena: (await projection.ofLearner('med', 'lena')).map((r) => [r.requestId, r.status]),
      max: (await projection.ofLearner('med', 'max')).map((r) => [r.requestId, r.status, r.ratings]),
      cob: (await projection.askedOf('med', 'cob')).map((r) => [r.requestId, r.learnerId, r.status]),
    });

    await projection.apply(history);
    const once = await read();
    expect(once).toEqual({
      lena: [['r4', 'prompted'], ['r2', 'requested'], ['r1', 'requested']],
      max: [['r3', 'answered', [{ competency: 'PC', level: 4 }]]],
      cob: [['r3', 'max', 'answered'], ['r1', 'lena', 'requested']],
    });
    const prompt = (await projection.ofLearner('med', 'lena'))[0];
    expect(prompt).toMatchObject({ assessorKind: null, assessorId: null, answeredAt: null, ratings: [], promptedBy: 'coa' });

    // redelivered, out of order, or rebuilt: the same
    await projection.apply([history[3], history[0]]);
    expect(await read()).toEqual(once);
    await projection.reset();
    await projection.apply([...history].reverse());
    expect(await read()).toEqual(once);

    // nothing of another school, nor for someone nobody asked; the answer's text is not kept
    expect(await projection.ofLearner('nursing', 'lena')).toEqual([]);
    expect(await projection.askedOf('med', 'cox')).toEqual([]);
    expect(JSON.stringify(await connection.collection('feedback_requests_view').find({}).toArray())).not.toContain('SECRET');
  });
});
