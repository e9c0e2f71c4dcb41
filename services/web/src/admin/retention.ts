/** identity's GET /schools/:schoolId/retention */
export interface RetentionProposal {
  userId: string;
  name: string | null;
  leftAt: string;
  dueOn: string;
  policyYears: number;
  status: 'pending' | 'dismissed' | 'erased';
  proposedAt: string;
  dismissal?: { reason: string; keepUntil?: string; at: string };
}

export interface RetentionView {
  schoolId: string;
  policy: { yearsAfterLeaving: number; reason: string; setAt: string } | null;
  proposals: RetentionProposal[];
}

/** identity's POST /schools/:schoolId/retention/sweep */
export interface SweepAnswer {
  asOf: string;
  proposed: { schoolId: string; userId: string; dueOn: string }[];
}

/** A proposal's status in words, with a dismissal's reason and date. */
export function describeProposal(p: Pick<RetentionProposal, 'status' | 'dismissal'>): string {
  if (p.status === 'erased') return 'Erased';
  if (p.status === 'pending') return 'Awaiting your decision';
  const why = p.dismissal ? `: ${p.dismissal.reason}` : '';
  return p.dismissal?.keepUntil ? `Kept until ${p.dismissal.keepUntil}${why}` : `Dismissed${why}`;
}
