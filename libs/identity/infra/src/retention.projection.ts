import { ErasureProposalDismissed, ErasureProposed, LearnerEnrolled, RetentionPolicySet, UserRegistered } from '@cbme/contracts';
import { GroupedChange, GroupedReadModel, StoredEvent } from '@cbme/event-sourcing';
import { RetentionProposal, RetentionViews, SchoolRetention } from '@cbme/identity-application';
import { proposalStatus } from '@cbme/identity-domain';
import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { Connection } from 'mongoose';

type Entry = Record<string, unknown> & { kind: 'policy' | 'leaver' | 'proposal' | 'person' };
const schoolGroup = (schoolId: string) => `school:${schoolId}`;
const personGroup = (userId: string) => `person:${userId}`;

/**
 * Retention per school, read by `_id`: a school's document holds its policy, its leavers (who left when: the sweep's
 * candidates) and its erasure proposals; a person's document their name and whether they are erased (an erased
 * learner's proposal reads as erased, and their name is gone at once, before the erasure's rebuild).
 */
@Injectable()
export class RetentionProjection extends GroupedReadModel<Entry> implements RetentionViews {
  readonly name = 'retention';

  constructor(@InjectConnection() connection: Connection) {
    super(connection, 'retention_view');
  }

  protected changesOf(events: StoredEvent[]): GroupedChange[] {
    return events.flatMap((e): GroupedChange[] => {
      const version = e.streamVersion;
      switch (e.type) {
        case 'identity.retention-policy-set': {
          const { schoolId, yearsAfterLeaving, reason } = e.data as RetentionPolicySet;
          return [{ group: schoolGroup(schoolId), id: 'policy', version, set: { kind: 'policy', yearsAfterLeaving, reason, setAt: e.occurredAt } }];
        }
        case 'identity.learner-enrolled':
        case 'identity.learner-graduated':
        case 'identity.learner-withdrawn': {
          const { schoolId, userId } = e.data as LearnerEnrolled;
          const leftAt = e.type === 'identity.learner-enrolled' ? null : e.occurredAt;
          return [{ group: schoolGroup(schoolId), id: `leaver:${userId}`, version, set: { kind: 'leaver', userId, leftAt } }];
        }
        case 'identity.erasure-proposed': {
          const { schoolId, userId, leftAt, dueOn, policyYears } = e.data as ErasureProposed;
          const set = { kind: 'proposal', userId, leftAt, dueOn, policyYears, status: 'pending', proposedAt: e.occurredAt, dismissal: null };
          return [{ group: schoolGroup(schoolId), id: `proposal:${userId}`, version, set }];
        }
        case 'identity.erasure-proposal-dismissed': {
          const { schoolId, userId, reason, keepUntil } = e.data as ErasureProposalDismissed;
          const dismissal = { reason, ...(keepUntil ? { keepUntil } : {}), at: e.occurredAt };
          return [{ group: schoolGroup(schoolId), id: `proposal:${userId}`, version, set: { status: 'dismissed', dismissal } }];
        }
        case 'identity.user-registered': {
          const { userId, displayName } = e.data as UserRegistered;
          return [{ group: personGroup(userId), id: 'person', version, set: { kind: 'person', name: displayName, erased: false } }];
        }
        case 'identity.subject-erased': {
          const { userId } = e.data as { userId: string };
          return [{ group: personGroup(userId), id: 'person', version, set: { kind: 'person', name: null, erased: true } }];
        }
        default:
          return [];
      }
    });
  }

  async retention(schoolId: string): Promise<SchoolRetention & { leavers: { userId: string; leftAt: string }[] }> {
    const [entries] = await this.entriesOf([schoolGroup(schoolId)]);
    const policy = entries.find((e) => e.kind === 'policy');
    const proposals = entries.filter((e) => e.kind === 'proposal') as unknown as (Omit<RetentionProposal, 'name' | 'status'> & { kind: string; status: 'pending' | 'dismissed'; dismissal: RetentionProposal['dismissal'] | null })[];
    const people = await this.entriesOf(proposals.map((p) => personGroup(p.userId)));
    return {
      schoolId,
      policy: policy ? { yearsAfterLeaving: policy['yearsAfterLeaving'] as number, reason: policy['reason'] as string, setAt: policy['setAt'] as string } : null,
      proposals: proposals
        .map(({ dismissal, status, kind: _k, ...p }, i) => {
          const person = people[i][0] as { name?: string | null; erased?: boolean } | undefined;
          return { ...p, name: person?.name ?? null, status: proposalStatus(status, person?.erased ?? false), ...(dismissal ? { dismissal } : {}) };
        })
        .sort((a, b) => a.dueOn.localeCompare(b.dueOn) || a.userId.localeCompare(b.userId)),
      leavers: entries.filter((e) => e.kind === 'leaver' && e['leftAt']).map((e) => ({ userId: e['userId'] as string, leftAt: e['leftAt'] as string })),
    };
  }
}
