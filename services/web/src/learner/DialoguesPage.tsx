import { useMutation, useQueryClient } from '@tanstack/react-query';
import { FormEvent, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { refreshAfterCommand } from '../api/invalidate';
import { useSignedIn } from '../auth/SessionProvider';
import { TableWrap } from '../ui/TableWrap';
import { Dialogue } from '../api/types';
import { Field, FormError, parseCodes } from '../ui/forms';
import { Pager } from '../ui/Pager';
import { formatDate, formatDateTime, Query } from '../ui/Status';
import { keys, useDialogues, useReflections } from './queries';

const REFLECTIONS_PER_PAGE = 10;

export function DialoguesPage() {
  const { userId } = useSignedIn();
  const dialogues = useDialogues(userId);
  return (
    <>
      <h1>Feedback dialogues</h1>
      <OpenDialogueForm />
      <section aria-labelledby="all-dialogues">
        <h2 id="all-dialogues">My dialogues</h2>
        <Query query={dialogues} what="your dialogues">
          {(list) =>
            list.length === 0 ? (
              <p>No dialogues yet.</p>
            ) : (
              <TableWrap label="My dialogues">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Topic</th>
                      <th scope="col">Competencies</th>
                      <th scope="col">Status</th>
                      <th scope="col">Last activity</th>
                      <th scope="col">Entries</th>
                    </tr>
                  </thead>
                  <tbody>
                    {list.map((d) => (
                      <tr key={d.dialogueId}>
                        <td>
                          <Link to={`/learner/dialogues/${d.dialogueId}`}>{d.topic}</Link>
                          {d.awaiting === 'learner' && <span className="badge">your turn</span>}
                        </td>
                        <td>{d.competencies.join(', ')}</td>
                        <td>{d.status}</td>
                        <td>{formatDate(d.lastActivityAt)}</td>
                        <td>{d.entries}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableWrap>
            )
          }
        </Query>
      </section>
      <Reflections />
    </>
  );
}

/** The learner's reflections across their dialogues, newest first, a page at a time. */
function Reflections() {
  const { userId } = useSignedIn();
  const [page, setPage] = useState(1);
  const reflections = useReflections(userId, page, REFLECTIONS_PER_PAGE);
  return (
    <section aria-labelledby="my-reflections" id="reflections">
      <h2 id="my-reflections">My reflections</h2>
      <Query query={reflections} what="your reflections">
        {(r) =>
          r.total === 0 ? (
            <p>No reflections yet. Tick “This is a reflection” when you write one in a dialogue.</p>
          ) : (
            <>
              <ol className="entries reflections">
                {r.reflections.map((entry) => (
                  <li key={entry.entryId}>
                    <p className="meta">
                      <Link to={`/learner/dialogues/${entry.dialogueId}`}>{entry.topic}</Link> · {formatDateTime(entry.at)}
                      {entry.visibility === 'private' && <span className="badge private">private</span>}
                    </p>
                    <p className="text">{entry.text}</p>
                  </li>
                ))}
              </ol>
              {r.total > r.pageSize && <Pager page={r.page} pages={Math.ceil(r.total / r.pageSize)} onPage={setPage} label="Pages of my reflections" />}
            </>
          )
        }
      </Query>
    </section>
  );
}

/** Mirrors OpenDialogueDto: a topic (≤ 300), at least one competency code, optional context. */
export function checkDialogue(topic: string, competencies: string[]): { topic?: string; competencies?: string } {
  const errors: { topic?: string; competencies?: string } = {};
  if (!topic.trim()) errors.topic = 'Say what the dialogue is about';
  else if (topic.length > 300) errors.topic = 'At most 300 characters';
  if (competencies.length === 0) errors.competencies = 'Name at least one competency, like ICS';
  else if (competencies.some((c) => !/^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*$/.test(c))) errors.competencies = 'Codes are letters and digits, like ICS or EPA-1';
  return errors;
}

function OpenDialogueForm() {
  const { api, userId } = useSignedIn();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [topic, setTopic] = useState('');
  const [codes, setCodes] = useState('');
  const [rotation, setRotation] = useState('');
  const [checked, setChecked] = useState<ReturnType<typeof checkDialogue>>({});
  const open = useMutation({
    mutationFn: (body: object) => api<Dialogue>('feedback', '/dialogues', { body }),
    onSuccess: (dialogue) => {
      void refreshAfterCommand(queryClient, [keys.dialogues(userId)]);
      navigate(`/learner/dialogues/${dialogue.dialogueId}`);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const competencies = parseCodes(codes);
    const errors = checkDialogue(topic, competencies);
    setChecked(errors);
    if (Object.keys(errors).length) return;
    open.mutate({ topic: topic.trim(), competencies, ...(rotation.trim() ? { context: { rotation: rotation.trim() } } : {}) });
  };
  return (
    <form className="panel" onSubmit={submit} aria-labelledby="open-dialogue" noValidate>
      <h2 id="open-dialogue">Open a dialogue with your coach</h2>
      <Field label="Topic" name="topic" error={checked.topic} serverError={open.error}>
        {(p) => <input {...p} value={topic} onChange={(e) => setTopic(e.target.value)} maxLength={300} />}
      </Field>
      <Field label="Competencies" name="competencies" hint="Codes separated by commas, e.g. ICS, PC" error={checked.competencies} serverError={open.error}>
        {(p) => <input {...p} value={codes} onChange={(e) => setCodes(e.target.value)} />}
      </Field>
      <Field label="Rotation (optional)" name="context" serverError={open.error}>
        {(p) => <input {...p} value={rotation} onChange={(e) => setRotation(e.target.value)} maxLength={200} />}
      </Field>
      <FormError error={open.error} />
      <button type="submit" disabled={open.isPending}>
        Open dialogue
      </button>
    </form>
  );
}
