import { MotivationKind } from '@cbme/contracts';
import { EventStore } from '@cbme/event-sourcing';
import { assessmentImportStreamId, dialogueStreamId } from '@cbme/feedback-domain';

/** Assessment results are recorded in the stream of their import; their id says which: `<importId>.<line>`. */
export const importIdOfResult = (resultId: string) => resultId.slice(0, Math.max(0, resultId.lastIndexOf('.')));

/**
 * Whose dialogue or assessment result this is, read from the store (consistent right after it was written);
 * null when there is no such thing in this school.
 */
export async function learnerOfMotivation(store: EventStore, schoolId: string, kind: MotivationKind, targetId: string): Promise<string | null> {
  if (kind === 'dialogue') {
    const [opened] = await store.readStream(dialogueStreamId(targetId));
    return opened && opened.tenant.schoolId === schoolId ? (opened.data as { learnerId: string }).learnerId : null;
  }
  const importId = importIdOfResult(targetId);
  if (!importId) return null;
  const recorded = (await store.readStream(assessmentImportStreamId(importId)))
    .find((e) => e.type === 'feedback.assessment-result-recorded' && (e.data as { resultId: string }).resultId === targetId);
  return recorded && recorded.tenant.schoolId === schoolId ? (recorded.data as { learnerId: string }).learnerId : null;
}
