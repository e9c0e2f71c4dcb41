import { useMutation, useQueryClient } from '@tanstack/react-query';
import { FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { refreshAfterCommand } from '../api/invalidate';
import { useSignedIn } from '../auth/SessionProvider';
import { TableWrap } from '../ui/TableWrap';
import { Field, FormError, parseCodes } from '../ui/forms';
import { formatDate, Query } from '../ui/Status';
import { keys, useGoals } from './queries';

export function GoalsPage() {
  const { userId } = useSignedIn();
  const goals = useGoals(userId);
  return (
    <>
      <h1>Goals</h1>
      <SetGoalForm />
      <section aria-labelledby="my-goals">
        <h2 id="my-goals">My goals</h2>
        <Query query={goals} what="your goals">
          {(list) =>
            list.length === 0 ? (
              <p>No goals yet.</p>
            ) : (
              <TableWrap label="My goals">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Goal</th>
                      <th scope="col">Status</th>
                      <th scope="col">Target date</th>
                      <th scope="col">Shared</th>
                    </tr>
                  </thead>
                  <tbody>
                    {list.map((g) => (
                      <tr key={g.goalId}>
                        <td>
                          <Link to={`/learner/goals/${g.goalId}`}>{g.description}</Link>
                        </td>
                        <td>{g.status}</td>
                        <td>{formatDate(g.targetDate)}</td>
                        <td>{g.visibility === 'shared' ? 'with my coach' : 'private'}</td>
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

/** Mirrors SetGoalDto / ReviseGoalDto: a description (≤ 2000) and a target date; a revision also a rationale. */
export function checkGoal(fields: { description: string; targetDate: string; rationale?: string }, today: string) {
  const errors: { description?: string; targetDate?: string; rationale?: string } = {};
  if (!fields.description.trim()) errors.description = 'Describe the goal';
  else if (fields.description.length > 2000) errors.description = 'At most 2,000 characters';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(fields.targetDate)) errors.targetDate = 'Pick a target date';
  else if (fields.targetDate < today) errors.targetDate = 'The target date is in the past';
  if (fields.rationale !== undefined && !fields.rationale.trim()) errors.rationale = 'Say why the goal changes';
  return errors;
}

function SetGoalForm() {
  const { api, userId } = useSignedIn();
  const queryClient = useQueryClient();
  const [description, setDescription] = useState('');
  const [measure, setMeasure] = useState('');
  const [codes, setCodes] = useState('');
  const [targetDate, setTargetDate] = useState('');
  const [draft, setDraft] = useState(false);
  const [privateGoal, setPrivateGoal] = useState(false);
  const [checked, setChecked] = useState<ReturnType<typeof checkGoal>>({});
  const set = useMutation({
    mutationFn: (body: object) => api('feedback', '/goals', { body }),
    onSuccess: () => {
      setDescription('');
      setMeasure('');
      setCodes('');
      setTargetDate('');
      void refreshAfterCommand(queryClient, [keys.goals(userId)]);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const errors = checkGoal({ description, targetDate }, new Date().toISOString().slice(0, 10));
    setChecked(errors);
    if (Object.keys(errors).length) return;
    set.mutate({
      description: description.trim(),
      ...(measure.trim() ? { measureOfSuccess: measure.trim() } : {}),
      competencies: parseCodes(codes),
      targetDate,
      status: draft ? 'draft' : 'active',
      visibility: privateGoal ? 'private' : 'shared',
    });
  };
  return (
    <form className="panel" onSubmit={submit} aria-labelledby="set-goal" noValidate>
      <h2 id="set-goal">Set a goal</h2>
      <Field label="Goal" name="description" error={checked.description} serverError={set.error}>
        {(p) => <textarea {...p} rows={2} value={description} onChange={(e) => setDescription(e.target.value)} />}
      </Field>
      <Field label="How I will know I got there (optional)" name="measureOfSuccess" serverError={set.error}>
        {(p) => <input {...p} value={measure} onChange={(e) => setMeasure(e.target.value)} maxLength={2000} />}
      </Field>
      <Field label="Competencies" name="competencies" hint="Codes separated by commas, e.g. PC, ICS" serverError={set.error}>
        {(p) => <input {...p} value={codes} onChange={(e) => setCodes(e.target.value)} />}
      </Field>
      <Field label="Target date" name="targetDate" error={checked.targetDate} serverError={set.error}>
        {(p) => <input {...p} type="date" value={targetDate} onChange={(e) => setTargetDate(e.target.value)} />}
      </Field>
      <label className="inline">
        <input type="checkbox" checked={draft} onChange={(e) => setDraft(e.target.checked)} /> Keep as a draft
      </label>
      <label className="inline">
        <input type="checkbox" checked={privateGoal} onChange={(e) => setPrivateGoal(e.target.checked)} /> Private (my coach does not see it)
      </label>
      <FormError error={set.error} />
      <button type="submit" disabled={set.isPending}>
        Set goal
      </button>
    </form>
  );
}
