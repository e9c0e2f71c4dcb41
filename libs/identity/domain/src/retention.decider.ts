import { CALENDAR_DATE, ErasureProposalDismissed, ErasureProposed, RETENTION_YEARS, RetentionPolicySet, Role } from '@cbme/contracts';
import { assertNever, Decider, DomainError, invalidState, notFound, ruleViolated } from '@cbme/decider';

/*
 * Retention (issue 16): a school keeps a learner's personal data for a number of years after they left it; then an
 * erasure is proposed for an institution admin to confirm (the user decider's EraseSubject) or to dismiss.
 * Dates are calendar dates (YYYY-MM-DD, UTC), so they compare as strings.
 */

const onlyInstitutionAdmin = (role: Role, what: string) => {
  if (role !== 'institution-admin') throw new DomainError('forbidden', `only an institution admin ${what}`);
};

export type RetentionPolicyEvent = { type: 'identity.retention-policy-set'; data: RetentionPolicySet };
/** `schoolExists` is looked up by the handler in this service's own store; `byRole` is the actor's. */
export type RetentionPolicyCommand = { type: 'SetRetentionPolicy'; data: RetentionPolicySet & { byRole: Role; schoolExists: boolean } };
export type RetentionPolicyState = { policy: null | { yearsAfterLeaving: number; reason: string } };

export const retentionPolicyDecider: Decider<RetentionPolicyCommand, RetentionPolicyEvent, RetentionPolicyState> = {
  decide({ data: { byRole, schoolExists, ...policy } }, state) {
    onlyInstitutionAdmin(byRole, 'sets a retention policy');
    if (!schoolExists) throw notFound(`unknown school ${policy.schoolId}`);
    const { yearsAfterLeaving } = policy;
    if (!Number.isInteger(yearsAfterLeaving) || yearsAfterLeaving < RETENTION_YEARS.min || yearsAfterLeaving > RETENTION_YEARS.max) {
      throw ruleViolated(`yearsAfterLeaving must be a whole number from ${RETENTION_YEARS.min} to ${RETENTION_YEARS.max}`, 'yearsAfterLeaving');
    }
    const reason = policy.reason.trim();
    if (!reason) throw ruleViolated('a retention policy needs a reason', 'reason');
    // the same policy again changes nothing
    if (state.policy?.yearsAfterLeaving === yearsAfterLeaving && state.policy.reason === reason) return [];
    return [{ type: 'identity.retention-policy-set', data: { ...policy, reason } }];
  },
  evolve: (_state, { data }) => ({ policy: { yearsAfterLeaving: data.yearsAfterLeaving, reason: data.reason } }),
  initialState: { policy: null },
};

export const retentionPolicyStreamId = (schoolId: string) => `identity-retention-policy-${schoolId}`;

/** The calendar date `years` after an instant (a 29 February falls on the 28th in a year without one). */
export function dueOn(leftAt: string, years: number): string {
  const left = new Date(leftAt);
  const due = new Date(Date.UTC(left.getUTCFullYear() + years, left.getUTCMonth(), left.getUTCDate()));
  if (due.getUTCMonth() !== left.getUTCMonth()) due.setUTCDate(0);
  return due.toISOString().slice(0, 10);
}

/** A learner as the user stream tells it, for one school: registered, erased, and when they last left it. */
export interface LearnerStanding {
  registered: boolean;
  erased: boolean;
  /** the occurredAt of their last graduation or withdrawal; null while enrolled or never enrolled there */
  leftAt: string | null;
}

/** Reads a learner's standing in a school from their user stream's events (with their dates). */
export function standingIn(schoolId: string, history: { type: string; data: unknown; occurredAt: string }[]): LearnerStanding {
  const standing: LearnerStanding = { registered: false, erased: false, leftAt: null };
  for (const { type, data, occurredAt } of history) {
    if (type === 'identity.user-registered') standing.registered = true;
    else if (type === 'identity.subject-erased') standing.erased = true;
    else if ((data as { schoolId?: string } | null)?.schoolId !== schoolId) continue;
    else if (type === 'identity.learner-enrolled') standing.leftAt = null;
    else if (type === 'identity.learner-graduated' || type === 'identity.learner-withdrawn') standing.leftAt = occurredAt;
  }
  return standing;
}

export type ErasureProposalEvent =
  | { type: 'identity.erasure-proposed'; data: ErasureProposed }
  | { type: 'identity.erasure-proposal-dismissed'; data: ErasureProposalDismissed };

/** The handler reads the school's policy and the learner's standing; `asOf` is the date judged at (today, or an admin's). */
export type ErasureProposalCommand =
  | { type: 'ProposeErasure'; data: { userId: string; schoolId: string; asOf: string; byRole: Role; policyYears: number | null; learner: LearnerStanding } }
  | { type: 'DismissErasureProposal'; data: ErasureProposalDismissed & { asOf: string; byRole: Role; erased: boolean } };

export type ErasureProposalState =
  | { status: 'none' }
  | { status: 'pending' | 'dismissed'; leftAt: string; dueOn: string; policyYears: number; keepUntil?: string };

function propose(data: Extract<ErasureProposalCommand, { type: 'ProposeErasure' }>['data'], state: ErasureProposalState): ErasureProposalEvent[] {
  const { userId, schoolId, asOf, policyYears, learner } = data;
  if (data.byRole !== 'system' && data.byRole !== 'institution-admin') throw new DomainError('forbidden', 'only the retention sweep or an institution admin proposes an erasure');
  if (!CALENDAR_DATE.test(asOf)) throw ruleViolated(`asOf must be a date (YYYY-MM-DD), not ${asOf}`, 'asOf');
  if (policyYears === null) throw invalidState(`school ${schoolId} has no retention policy`);
  if (!learner.registered) throw notFound(`no user ${userId}`);
  if (learner.erased) throw invalidState(`${userId} is already erased`);
  if (!learner.leftAt) throw invalidState(`${userId} has not left ${schoolId}`);
  const due = dueOn(learner.leftAt, policyYears);
  if (due > asOf) throw invalidState(`${userId}'s erasure is not due before ${due}`);
  if (state.status === 'pending') throw invalidState(`${userId}'s erasure is already proposed`);
  if (state.status === 'dismissed' && state.keepUntil && state.keepUntil > asOf) throw invalidState(`${userId} is kept until ${state.keepUntil}`);
  return [{ type: 'identity.erasure-proposed', data: { userId, schoolId, leftAt: learner.leftAt, dueOn: due, policyYears } }];
}

function dismiss(data: Extract<ErasureProposalCommand, { type: 'DismissErasureProposal' }>['data'], state: ErasureProposalState): ErasureProposalEvent[] {
  const { asOf, byRole, erased, keepUntil, ...dismissal } = data;
  onlyInstitutionAdmin(byRole, 'dismisses an erasure proposal');
  if (state.status === 'none') throw notFound(`no erasure proposal for ${dismissal.userId} in ${dismissal.schoolId}`);
  if (erased) throw invalidState(`${dismissal.userId} is already erased`);
  if (state.status !== 'pending') throw invalidState(`the erasure proposal for ${dismissal.userId} is already dismissed`);
  const reason = dismissal.reason.trim();
  if (!reason) throw ruleViolated('a dismissal needs a reason', 'reason');
  if (keepUntil !== undefined && !(CALENDAR_DATE.test(keepUntil) && keepUntil > asOf)) throw ruleViolated(`keepUntil must be a date after ${asOf}`, 'keepUntil');
  // without a date it holds a year: otherwise the next daily sweep would propose the erasure again tomorrow
  return [{ type: 'identity.erasure-proposal-dismissed', data: { ...dismissal, reason, keepUntil: keepUntil ?? dueOn(asOf, 1) } }];
}

export const erasureProposalDecider: Decider<ErasureProposalCommand, ErasureProposalEvent, ErasureProposalState> = {
  decide(command, state) {
    switch (command.type) {
      case 'ProposeErasure':
        return propose(command.data, state);
      case 'DismissErasureProposal':
        return dismiss(command.data, state);
      default:
        return assertNever(command);
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'identity.erasure-proposed': {
        const { leftAt, dueOn: due, policyYears } = event.data;
        return { status: 'pending', leftAt, dueOn: due, policyYears };
      }
      case 'identity.erasure-proposal-dismissed':
        return state.status === 'none' ? state : { ...state, status: 'dismissed', ...(event.data.keepUntil ? { keepUntil: event.data.keepUntil } : {}) };
      default:
        return assertNever(event);
    }
  },
  initialState: { status: 'none' },
};

/** School slugs hold no ':', so school and user cannot run into each other. */
export const erasureProposalStreamId = (schoolId: string, userId: string) => `identity-retention-${schoolId}:${userId}`;

export type ProposalStatus = 'pending' | 'dismissed' | 'erased';

/** What a proposal reads as: an erased learner's is done, whatever it was. */
export const proposalStatus = (status: 'pending' | 'dismissed', erased: boolean): ProposalStatus => (erased ? 'erased' : status);
