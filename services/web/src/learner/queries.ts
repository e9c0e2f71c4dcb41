import { useQuery } from '@tanstack/react-query';
import { ApiError } from '../api/http';
import { useSignedIn } from '../auth/SessionProvider';
import { DialogueSummary, Goal, GoalSummary, LearnerCoaching, Plan } from '../api/types';

/** Query keys start with the learner, so a command can invalidate everything about them. */
export const keys = {
  coaching: (learnerId: string) => ['learner', learnerId, 'coaching'] as const,
  dialogues: (learnerId: string) => ['learner', learnerId, 'dialogues'] as const,
  dialogue: (dialogueId: string) => ['dialogue', dialogueId] as const,
  goals: (learnerId: string) => ['learner', learnerId, 'goals'] as const,
  goal: (goalId: string) => ['goal', goalId] as const,
  plan: (learnerId: string) => ['learner', learnerId, 'plan'] as const,
};

const path = (learnerId: string, rest: string) => `/learners/${encodeURIComponent(learnerId)}${rest}`;

export function useCoaching(learnerId: string) {
  const { api } = useSignedIn();
  return useQuery({ queryKey: keys.coaching(learnerId), queryFn: () => api<LearnerCoaching>('coaching', path(learnerId, '/coaching')) });
}

export function useDialogues(learnerId: string) {
  const { api } = useSignedIn();
  return useQuery({
    queryKey: keys.dialogues(learnerId),
    queryFn: async () => (await api<{ dialogues: DialogueSummary[] }>('feedback', path(learnerId, '/dialogues'))).dialogues,
  });
}

export function useGoals(learnerId: string) {
  const { api } = useSignedIn();
  return useQuery({ queryKey: keys.goals(learnerId), queryFn: async () => (await api<{ goals: GoalSummary[] }>('feedback', path(learnerId, '/goals'))).goals });
}

export function useGoal(goalId: string) {
  const { api } = useSignedIn();
  return useQuery({ queryKey: keys.goal(goalId), queryFn: () => api<Goal>('feedback', `/goals/${encodeURIComponent(goalId)}`) });
}

export function usePlan(learnerId: string) {
  const { api } = useSignedIn();
  return useQuery({
    queryKey: keys.plan(learnerId),
    // no plan yet is a 404: the page offers to write the first version
    queryFn: () => api<Plan>('feedback', path(learnerId, '/plan')).catch((error) => {
      if (error instanceof ApiError && error.status === 404 && error.message.startsWith('no development plan')) return null;
      throw error;
    }),
  });
}
