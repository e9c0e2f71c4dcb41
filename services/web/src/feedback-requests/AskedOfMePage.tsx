import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { refreshAfterCommand } from '../api/invalidate';
import { useSignedIn } from '../auth/SessionProvider';
import { formatDate, Query } from '../ui/Status';
import { TableWrap } from '../ui/TableWrap';
import { AnswerForm, contextText, STATUS_LABELS } from './AnswerForm';
import { requestKeys, useAskedOfMe, useRequest } from './queries';

/** "Feedback asked of me": the requests of learners who asked this person (a coach or a colleague with an account). */
export function AskedOfMePage() {
  const asked = useAskedOfMe();
  return (
    <>
      <h1>Feedback asked of me</h1>
      <Query query={asked} what="the requests">
        {(list) =>
          list.length === 0 ? (
            <p>Nobody has asked you for feedback.</p>
          ) : (
            <TableWrap label="Feedback asked of me">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Learner</th>
                    <th scope="col">Competencies</th>
                    <th scope="col">About</th>
                    <th scope="col">Status</th>
                    <th scope="col">Open until</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((r) => (
                    <tr key={r.requestId}>
                      <td>
                        <Link to={`/feedback/asked/${r.requestId}`}>{r.learner?.displayName ?? r.learnerId}</Link>
                      </td>
                      <td>{r.competencies.join(', ')}</td>
                      <td>{contextText(r.context)}</td>
                      <td>{r.status === 'requested' ? 'waiting for you' : STATUS_LABELS[r.status]}</td>
                      <td>{formatDate(r.expiresAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          )
        }
      </Query>
    </>
  );
}

/** One request asked of me, with the answer form while it is open (the link in the e-mail opens this page). */
export function AskedRequestPage() {
  const { requestId = '' } = useParams();
  const { api, userId } = useSignedIn();
  const queryClient = useQueryClient();
  const request = useRequest(requestId);
  const refresh = () => void refreshAfterCommand(queryClient, [requestKeys.one(requestId), requestKeys.askedOfMe(userId)]);
  const answer = useMutation({ mutationFn: (body: object) => api('feedback', `/feedback-requests/${encodeURIComponent(requestId)}/answer`, { body }), onSuccess: refresh });
  const decline = useMutation({ mutationFn: (body: object) => api('feedback', `/feedback-requests/${encodeURIComponent(requestId)}/decline`, { body }), onSuccess: refresh });
  return (
    <Query query={request} what="the request" page>
      {(r) => (
        <>
          <h1>{r.learner.displayName} asks for your feedback</h1>
          <section className="panel" aria-labelledby="request-heading">
            <h2 id="request-heading">The request</h2>
            <p>On: {r.competencies.map((c) => `${c.code} (${c.name})`).join(', ')}</p>
            {contextText(r.context) && <p>About: {contextText(r.context)}</p>}
            <p>
              Status: {STATUS_LABELS[r.status]}
              {r.status === 'requested' && `, open until ${formatDate(r.expiresAt)}`}
            </p>
            <p>
              <Link to="/feedback/asked">All feedback asked of me</Link>
            </p>
          </section>
          {r.status === 'requested' && r.assessor?.userId === userId && (
            <AnswerForm competencies={r.competencies} onAnswer={(b) => answer.mutate(b)} onDecline={(b) => decline.mutate(b)} answering={answer} declining={decline} />
          )}
        </>
      )}
    </Query>
  );
}
