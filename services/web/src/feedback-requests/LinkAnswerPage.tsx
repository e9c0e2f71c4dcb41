import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError, call } from '../api/http';
import { LinkedFeedbackRequest } from '../api/types';
import { formatDate, Loading } from '../ui/Status';
import { AnswerForm, contextText } from './AnswerForm';

/** The token travels in the link's fragment, which browsers never send to a server (nor to nginx's log). */
const tokenOf = (hash: string) => new URLSearchParams(hash.replace(/^#/, '')).get('token') ?? '';

/** The service's one message for a link that cannot be used, as a sentence. */
export const sentence = (message: string) => `${message.charAt(0).toUpperCase()}${message.slice(1)}.`;

/**
 * An external assessor's page, without sign-in: the one request the link's token names and the answer form. A used,
 * declined, expired or forged link gets the service's one message and nothing else.
 */
export function LinkAnswerPage() {
  const [token] = useState(() => tokenOf(window.location.hash));
  const [done, setDone] = useState<'answered' | 'declined' | null>(null);
  const request = useQuery({
    queryKey: ['feedback-link', token],
    queryFn: () => call<LinkedFeedbackRequest>('feedback', '/feedback-links/request', { query: { token } }),
    enabled: token !== '',
    retry: false,
  });
  const answer = useMutation({
    mutationFn: (body: object) => call('feedback', '/feedback-links/answer', { body: { token, ...body } }),
    onSuccess: () => setDone('answered'),
  });
  const decline = useMutation({
    mutationFn: (body: object) => call('feedback', '/feedback-links/decline', { body: { token, ...body } }),
    onSuccess: () => setDone('declined'),
  });
  return (
    <main id="main" className="public">
      <h1>Feedback asked of you</h1>
      {done ? (
        <p role="status">{done === 'answered' ? 'Thank you: your feedback was sent to the learner.' : 'You declined this request. Thank you for letting the learner know.'}</p>
      ) : !token ? (
        <p className="error" role="alert">This page needs the link from your e-mail.</p>
      ) : request.isPending ? (
        <Loading what="the request" />
      ) : request.error || !request.data ? (
        <p className="error" role="alert">
          {request.error instanceof ApiError && request.error.status === 404 ? sentence(request.error.message) : request.error instanceof Error ? request.error.message : 'The request could not be loaded.'}
        </p>
      ) : (
        <>
          <section className="panel" aria-labelledby="request-heading">
            <h2 id="request-heading">{request.data.learner.displayName} asks for your feedback</h2>
            <p>On: {request.data.competencies.map((c) => `${c.code} (${c.name})`).join(', ')}</p>
            {contextText(request.data.context) && <p>About: {contextText(request.data.context)}</p>}
            <p className="muted">Open until {formatDate(request.data.expiresAt)}. You can answer once.</p>
          </section>
          <AnswerForm competencies={request.data.competencies} onAnswer={(b) => answer.mutate(b)} onDecline={(b) => decline.mutate(b)} answering={answer} declining={decline} />
        </>
      )}
    </main>
  );
}
