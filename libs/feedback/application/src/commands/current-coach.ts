import { EventStore } from '@cbme/event-sourcing';
import { CurrentCoaches } from '../ports/read-model-ports';

/**
 * Who coaches the learner of a dialogue or goal stream now (null: nobody, or no such stream in this school): the
 * fact its decider needs to tell who may see it. Read before deciding; a change that lands in between is seen next time.
 */
export async function currentCoachOfStream(store: EventStore, coaches: CurrentCoaches, schoolId: string, streamId: string): Promise<string | null> {
  const [first] = await store.readStream(streamId);
  if (!first || first.tenant.schoolId !== schoolId) return null;
  return coaches.currentCoachOf(schoolId, (first.data as { learnerId: string }).learnerId);
}
