import { Link } from 'react-router';
import { useSignedIn } from '../auth/SessionProvider';
import { DialogueSummary } from '../api/types';
import { formatDate, formatDateTime, Query } from '../ui/Status';
import { openActionItems } from './links';
import { useCoaching, useDialogues, useGoals, usePlan } from './queries';
import { useLearnerRequests } from '../feedback-requests/queries';

/** What needs the learner this week: their coach and next meeting, dialogues waiting for them, goals, the plan's review. */
export function LearnerHome() {
  const { userId } = useSignedIn();
  const coaching = useCoaching(userId);
  const dialogues = useDialogues(userId);
  const goals = useGoals(userId);
  const plan = usePlan(userId);
  const requests = useLearnerRequests(userId);
  return (
    <>
      <h1>Welcome back</h1>
      <div className="cards">
        <section className="card" aria-labelledby="my-coach">
          <h2 id="my-coach">My coach</h2>
          <Query query={coaching} what="your coach">
            {(c) => {
              const next = c.meetings.filter((m) => m.status === 'scheduled').sort((a, b) => a.startsAt.localeCompare(b.startsAt))[0];
              return c.currentCoach ? (
                <>
                  <p>
                    <strong>{c.currentCoach.coachName ?? c.currentCoach.coachId}</strong> since {formatDate(c.currentCoach.since)}
                    {c.currentCoach.status === 'paused' && <span className="badge">paused</span>}
                  </p>
                  <p>Next meeting: {next ? `${formatDateTime(next.startsAt)}${next.location ? `, ${next.location}` : ''}` : 'none booked yet'}</p>
                </>
              ) : (
                <p>You have no coach yet. Your coaching lead will assign one.</p>
              );
            }}
          </Query>
        </section>
        <section className="card" aria-labelledby="waiting">
          <h2 id="waiting">Dialogues waiting for me</h2>
          <Query query={dialogues} what="your dialogues">
            {(list) => {
              const waiting = list.filter((d) => d.awaiting === 'learner');
              return waiting.length ? (
                <ul>
                  {waiting.map((d) => (
                    <li key={d.dialogueId}>
                      <Link to={`/learner/dialogues/${d.dialogueId}`}>{d.topic}</Link> <span className="muted">({formatDate(d.lastActivityAt)})</span>
                    </li>
                  ))}
                </ul>
              ) : (
                <p>Nothing is waiting for you. <Link to="/learner/dialogues">Open a dialogue</Link></p>
              );
            }}
          </Query>
        </section>
        <section className="card" aria-labelledby="active-goals">
          <h2 id="active-goals">Active goals</h2>
          <Query query={goals} what="your goals">
            {(list) => {
              const active = list.filter((g) => g.status === 'active').sort((a, b) => a.targetDate.localeCompare(b.targetDate));
              return active.length ? (
                <ul>
                  {active.map((g) => (
                    <li key={g.goalId}>
                      <Link to={`/learner/goals/${g.goalId}`}>{g.description}</Link> <span className="muted">by {formatDate(g.targetDate)}</span>
                    </li>
                  ))}
                </ul>
              ) : (
                <p>No active goals. <Link to="/learner/goals">Set a goal</Link></p>
              );
            }}
          </Query>
        </section>
        <section className="card" aria-labelledby="open-actions">
          <h2 id="open-actions">Open action items</h2>
          <Query query={dialogues} what="your action items">
            {(list) => <OpenActionItems dialogues={list} />}
          </Query>
        </section>
        <section className="card" aria-labelledby="seek-feedback">
          <h2 id="seek-feedback">Feedback to seek</h2>
          <Query query={requests} what="your feedback requests">
            {(list) => {
              const prompts = list.filter((r) => r.status === 'prompted');
              const answered = list.filter((r) => r.status === 'answered' && r.dialogueId).slice(0, 3);
              return prompts.length || answered.length ? (
                <ul>
                  {prompts.map((r) => (
                    <li key={r.requestId}>
                      Your coach suggests asking for feedback on <strong>{r.competencies.join(', ')}</strong>
                      {r.promptMessage ? `: ${r.promptMessage}` : ''}. <Link to="/learner/feedback-requests">Ask someone</Link>
                    </li>
                  ))}
                  {answered.map((r) => (
                    <li key={r.requestId}>
                      {r.assessorName ?? 'Someone'} answered on {r.competencies.join(', ')}: <Link to={`/learner/dialogues/${r.dialogueId}`}>read and reflect</Link>
                    </li>
                  ))}
                </ul>
              ) : (
                <p>
                  No prompts from your coach. <Link to="/learner/feedback-requests">Ask for feedback</Link>
                </p>
              );
            }}
          </Query>
        </section>
        <section className="card" aria-labelledby="plan-review">
          <h2 id="plan-review">Development plan</h2>
          <Query query={plan} what="your plan">
            {(p) =>
              p?.nextReviewDue ? (
                <p>
                  Next review with your coach: <strong>{formatDate(p.nextReviewDue)}</strong>
                  {new Date(p.nextReviewDue) < new Date() && <span className="badge warn">due</span>}. <Link to="/learner/plan">See the plan</Link>
                </p>
              ) : (
                <p>
                  No plan yet. <Link to="/learner/plan">Write your plan</Link>
                </p>
              )
            }
          </Query>
        </section>
      </div>
    </>
  );
}

/** The items neither done nor dropped, as the dialogue list carries them: overdue first. */
function OpenActionItems({ dialogues }: { dialogues: DialogueSummary[] }) {
  const { userId } = useSignedIn();
  const items = openActionItems(dialogues);
  if (items.length === 0) return <p>No open action items.</p>;
  return (
    <ul>
      {items.map((a) => (
        <li key={a.actionId}>
          {a.description} <span className="muted">({a.ownerId === userId ? 'you' : a.ownerId}{a.dueDate ? `, by ${formatDate(a.dueDate)}` : ''})</span>
          {a.overdue && <span className="badge warn">overdue</span>} in{' '}
          <Link to={`/learner/dialogues/${a.dialogueId}`}>{a.topic}</Link>
        </li>
      ))}
    </ul>
  );
}
