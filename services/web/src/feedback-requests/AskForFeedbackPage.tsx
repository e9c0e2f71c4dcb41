import { useMutation, useQueryClient } from '@tanstack/react-query';
import { FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { refreshAfterCommand } from '../api/invalidate';
import { FeedbackRequestItem } from '../api/types';
import { useSignedIn } from '../auth/SessionProvider';
import { Field, FormError, keepForm, parseCodes } from '../ui/forms';
import { formatDate, Query } from '../ui/Status';
import { TableWrap } from '../ui/TableWrap';
import { contextText, STATUS_LABELS } from './AnswerForm';
import { requestKeys, useLearnerRequests } from './queries';

type Kind = 'coach' | 'colleague' | 'external';

/** Mirrors RequestFeedbackDto: who (by kind), at least one competency code, an e-mail address for an external. */
export function checkRequest(fields: { kind: Kind; userId: string; name: string; email: string; codes: string[] }) {
  const errors: { userId?: string; name?: string; email?: string; competencies?: string } = {};
  if (fields.kind === 'colleague' && !fields.userId.trim()) errors.userId = 'Name the colleague by their user id';
  if (fields.kind === 'external' && !fields.name.trim()) errors.name = 'Say whom you ask';
  if (fields.kind === 'external' && !/^[^\s@]+@[^\s@]+$/.test(fields.email.trim())) errors.email = 'An e-mail address, e.g. r.rivera@hospital.org';
  if (fields.codes.length === 0) errors.competencies = 'Name at least one competency or EPA';
  return errors;
}

const askedText = (r: FeedbackRequestItem) => (r.assessorKind === 'coach' ? 'my coach' : r.assessorName ?? '—');

/** The learner asks for feedback (or turns a coach's prompt into a request) and follows their requests. */
export function AskForFeedbackPage() {
  const { userId } = useSignedIn();
  const requests = useLearnerRequests(userId);
  const [fromPrompt, setFromPrompt] = useState<FeedbackRequestItem | null>(null);
  const [sent, setSent] = useState(false);
  return (
    <>
      <h1>Ask for feedback</h1>
      {/* here, not in the form: a request from a prompt remounts the form for the next one */}
      {sent && <p role="status">Sent: they get an e-mail with a link.</p>}
      <AskForm
        key={fromPrompt?.requestId ?? 'new'}
        prompt={fromPrompt}
        onDone={() => {
          setSent(true);
          setFromPrompt(null);
        }}
      />
      <section aria-labelledby="my-requests">
        <h2 id="my-requests">My requests</h2>
        <Query query={requests} what="your requests">
          {(list) =>
            list.length === 0 ? (
              <p>No requests yet.</p>
            ) : (
              <TableWrap label="My requests">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Competencies</th>
                      <th scope="col">Asked of</th>
                      <th scope="col">About</th>
                      <th scope="col">Status</th>
                      <th scope="col">Open until</th>
                      <th scope="col">Answer</th>
                    </tr>
                  </thead>
                  <tbody>
                    {list.map((r) => (
                      <tr key={r.requestId}>
                        <td>{r.competencies.join(', ')}</td>
                        <td>{r.status === 'prompted' ? '—' : askedText(r)}</td>
                        <td>{r.status === 'prompted' ? r.promptMessage ?? '' : contextText(r.context)}</td>
                        <td>
                          {STATUS_LABELS[r.status]}
                          {r.reminded && r.status === 'requested' ? ' (reminded)' : ''}
                        </td>
                        <td>{formatDate(r.expiresAt)}</td>
                        <td>
                          {r.dialogueId ? (
                            <Link to={`/learner/dialogues/${r.dialogueId}`}>Read and reflect</Link>
                          ) : r.status === 'prompted' ? (
                            <button type="button" className="secondary" onClick={() => setFromPrompt(r)}>
                              Ask about {r.competencies.join(', ')}
                            </button>
                          ) : (
                            '—'
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableWrap>
            )
          }
        </Query>
      </section>
    </>
  );
}

function AskForm({ prompt, onDone }: { prompt: FeedbackRequestItem | null; onDone: () => void }) {
  const { api, userId } = useSignedIn();
  const queryClient = useQueryClient();
  const [kind, setKind] = useState<Kind>('external');
  const [colleague, setColleague] = useState('');
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [codes, setCodes] = useState(prompt?.competencies.join(', ') ?? '');
  const [rotation, setRotation] = useState('');
  const [date, setDate] = useState('');
  const [encounter, setEncounter] = useState('');
  const [checked, setChecked] = useState<ReturnType<typeof checkRequest>>({});
  const ask = useMutation({
    mutationFn: (body: object) => api('feedback', '/feedback-requests', { body }),
    onSuccess: () => void refreshAfterCommand(queryClient, [requestKeys.ofLearner(userId)]),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const competencies = parseCodes(codes);
    const errors = checkRequest({ kind, userId: colleague, name, email, codes: competencies });
    setChecked(errors);
    if (Object.keys(errors).length) return;
    const asked = kind === 'coach' ? { kind } : kind === 'colleague' ? { kind, userId: colleague.trim() } : { kind, name: name.trim(), email: email.trim() };
    const context = { ...(rotation.trim() ? { rotation: rotation.trim() } : {}), ...(date ? { date } : {}), ...(encounter.trim() ? { encounter: encounter.trim() } : {}) };
    ask.mutateAsync({ ...(prompt ? { requestId: prompt.requestId } : {}), asked, competencies, context }).then(() => {
      setColleague('');
      setName('');
      setEmail('');
      setEncounter('');
      onDone();
    }, keepForm);
  };
  return (
    <form className="panel" onSubmit={submit} aria-labelledby="ask-heading" noValidate>
      <h2 id="ask-heading">{prompt ? `Ask about ${prompt.competencies.join(', ')}, as your coach suggested` : 'Ask someone for feedback'}</h2>
      <fieldset>
        <legend>Whom I ask</legend>
        {([['coach', 'My coach'], ['colleague', 'A colleague with an account'], ['external', 'Someone by e-mail']] as const).map(([value, label]) => (
          <label key={value} className="inline">
            <input type="radio" name="kind" value={value} checked={kind === value} onChange={() => setKind(value)} /> {label}
          </label>
        ))}
      </fieldset>
      {kind === 'colleague' && (
        <Field label="Colleague's user id" name="userId" error={checked.userId} serverError={ask.error}>
          {(p) => <input {...p} value={colleague} onChange={(e) => setColleague(e.target.value)} maxLength={128} />}
        </Field>
      )}
      {kind === 'external' && (
        <>
          <Field label="Their name" name="name" error={checked.name} serverError={ask.error}>
            {(p) => <input {...p} value={name} onChange={(e) => setName(e.target.value)} maxLength={200} />}
          </Field>
          <Field label="Their e-mail address" name="email" error={checked.email} serverError={ask.error}>
            {(p) => <input {...p} type="email" value={email} onChange={(e) => setEmail(e.target.value)} maxLength={320} />}
          </Field>
        </>
      )}
      <Field label="Competencies or EPAs" name="competencies" hint="Codes separated by commas, e.g. ICS, EPA-8" error={checked.competencies} serverError={ask.error}>
        {(p) => <input {...p} value={codes} onChange={(e) => setCodes(e.target.value)} />}
      </Field>
      <Field label="Rotation (optional)" name="rotation" serverError={ask.error}>
        {(p) => <input {...p} value={rotation} onChange={(e) => setRotation(e.target.value)} maxLength={200} />}
      </Field>
      <Field label="Date (optional)" name="date" serverError={ask.error}>
        {(p) => <input {...p} type="date" value={date} onChange={(e) => setDate(e.target.value)} />}
      </Field>
      <Field label="The encounter they observed (optional)" name="encounter" serverError={ask.error}>
        {(p) => <textarea {...p} rows={2} value={encounter} onChange={(e) => setEncounter(e.target.value)} maxLength={1000} />}
      </Field>
      <FormError error={ask.error} />
      <button type="submit" disabled={ask.isPending}>
        Send request
      </button>
    </form>
  );
}
