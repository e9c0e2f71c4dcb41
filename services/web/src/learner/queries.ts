import { useQuery } from '@tanstack/react-query';
import { ApiError } from '../api/http';
import { useSignedIn } from '../auth/SessionProvider';
import { DialogueSummary, Goal, GoalSummary, LearnerCoaching, Plan, ReflectionsPage } from '../api/types';
import { ResultSummary } from './links';

/** Query keys start with the learner, so a command can invalidate everything about them. */
export const keys = {
  coaching: (learnerId: string) => ['learner', learnerId, 'coaching'] as const,
  dialogues: (learnerId: string) => ['learner', learnerId, 'dialogues'] as const,
  dialogue: (dialogueId: string) => ['dialogue', dialogueId] as const,
  goals: (learnerId: string) => ['learner', learnerId, 'goals'] as const,
  goal: (goalId: string) => ['goal', goalId] as const,
  plan: (learnerId: string) => ['learner', learnerId, 'plan'] as const,
  /** a page of reflections; under the learner's dialogues, so a new entry refreshes them */
  reflections: (learnerId: string, page: number) => ['learner', learnerId, 'dialogues', 'reflections', page] as const,
  /** as the self-assessment page keys them */
  results: (learnerId: string) => ['learner', learnerId, 'results'] as const,
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

export function useReflections(learnerId: string, page: number, pageSize = 10) {
  const { api } = useSignedIn();
  return useQuery({
    queryKey: keys.reflections(learnerId, page),
    queryFn: () => api<ReflectionsPage>('feedback', path(learnerId, '/reflections'), { query: { page, pageSize } }),
    placeholderData: (previous) => previous,
  });
}

export function useAssessmentResults(learnerId: string) {
  const { api } = useSignedIn();
  return useQuery({
    queryKey: keys.results(learnerId),
    queryFn: async () => (await api<{ results: ResultSummary[] }>('feedback', path(learnerId, '/assessment-results'))).results,
  });
}
