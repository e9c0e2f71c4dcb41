import { useQuery } from '@tanstack/react-query';
import { useSignedIn } from '../auth/SessionProvider';
import { FeedbackRequestDetail, FeedbackRequestItem } from '../api/types';

/** Under the learner's key, so a learner's command refreshes their requests with everything else about them. */
export const requestKeys = {
  ofLearner: (learnerId: string) => ['learner', learnerId, 'feedback-requests'] as const,
  askedOfMe: (userId: string) => ['feedback-requests', 'asked-of', userId] as const,
  one: (requestId: string) => ['feedback-request', requestId] as const,
};

export function useLearnerRequests(learnerId: string) {
  const { api } = useSignedIn();
  return useQuery({
    queryKey: requestKeys.ofLearner(learnerId),
    queryFn: async () => (await api<{ requests: FeedbackRequestItem[] }>('feedback', `/learners/${encodeURIComponent(learnerId)}/feedback-requests`)).requests,
  });
}

export function useAskedOfMe() {
  const { api, userId } = useSignedIn();
  return useQuery({
    queryKey: requestKeys.askedOfMe(userId),
    queryFn: async () => (await api<{ requests: FeedbackRequestItem[] }>('feedback', '/feedback-requests/asked-of-me')).requests,
  });
}

export function useRequest(requestId: string) {
  const { api } = useSignedIn();
  return useQuery({ queryKey: requestKeys.one(requestId), queryFn: () => api<FeedbackRequestDetail>('feedback', `/feedback-requests/${encodeURIComponent(requestId)}`) });
}
