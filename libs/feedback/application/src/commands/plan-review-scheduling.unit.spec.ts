import { EventMetadata } from '@cbme/contracts';
import { InMemoryEventStore } from '@cbme/event-sourcing';
import { planStreamId } from '@cbme/feedback-domain';
import { randomUUID } from 'node:crypto';
import { PlanReviewJob, PlanReviewReminderScheduling } from './plan.commands';

const metadata: EventMetadata = {
  occurredAt: '2026-11-30T10:00:00.000Z', tenant: { institutionId: 'inst', schoolId: 'medicine' }, actor: { userId: 'lea-1', role: 'learner' }, correlationId: 'c-1', causationId: null,
};
const revised = (nextReviewDue: string, occurredAt?: string) => ({
  ...metadata, ...(occurredAt ? { occurredAt } : {}), eventId: randomUUID(), type: 'feedback.plan-revised', schemaVersion: 2,
  data: { planId: 'p-1', learnerId: 'lea-1', version: 1, focusAreas: [{ focusId: 'f', title: 'f', competencies: [] }], goalIds: [], motivatedBy: [], competencies: [], nextReviewDue },
});

describe('plan review reminders', () => {
  it('are scheduled for a review still to come, never for one an imported plan was due before it was recorded', async () => {
    const store = new InMemoryEventStore();
    const jobs: PlanReviewJob[] = [];
    const scheduling = new PlanReviewReminderScheduling(store, { schedule: async (job) => void jobs.push(job) });
    const stream = planStreamId('medicine', 'lea-1');
    // imported: revised in 2023 with a review due in September 2023, recorded now
    await store.append(stream, 0, [revised('2023-09-01T09:00:00.000Z', '2023-03-02T09:00:00.000Z')]);
    await scheduling.apply(await store.readStream(stream));
    expect(jobs).toEqual([]);
    const due = new Date(Date.now() + 30 * 86_400_000).toISOString();
    await store.append(stream, 1, [revised(due)]);
    await scheduling.apply(await store.readStream(stream, { fromVersion: 2 }));
    expect(jobs).toEqual([expect.objectContaining({ learnerId: 'lea-1', dueAt: due })]);
  });
});
