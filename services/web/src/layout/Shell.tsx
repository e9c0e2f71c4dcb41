import { ChangeEvent } from 'react';
import { NavLink, Outlet, useNavigate } from 'react-router';
import { useSession } from '../auth/SessionProvider';
import { actingChoices, HOME_OF, Role, ROLE_LABELS } from '../auth/session';

const NAV: Record<Role, { to: string; label: string }[]> = {
  learner: [
    { to: '/learner', label: 'Home' },
    { to: '/learner/dialogues', label: 'Dialogues' },
    { to: '/learner/feedback-requests', label: 'Ask for feedback' },
    { to: '/learner/goals', label: 'Goals' },
    { to: '/learner/plan', label: 'Development plan' },
    { to: '/learner/self-assessment', label: 'Self-assessment' },
    { to: '/learner/self-vs-others', label: "Others' view" },
    { to: '/learner/timeline', label: 'Timeline' },
    { to: '/learner/who-viewed', label: 'Who viewed my record' },
  ],
  coach: [
    { to: '/coach', label: 'My coachees' },
    { to: '/coach/community', label: 'My community' },
    { to: '/coach/plan', label: 'My development plan' },
    { to: '/coach/plan-reviews', label: 'Plans to review' },
    { to: '/feedback/asked', label: 'Feedback asked of me' },
  ],
  'coaching-lead': [
    { to: '/lead', label: 'Roster' },
    { to: '/lead/coach-plans', label: "Coaches' plans" },
    { to: '/feedback/asked', label: 'Feedback asked of me' },
    { to: '/lead/analytics', label: 'Analytics' },
  ],
  'school-admin': [
    { to: '/school-admin', label: 'People' },
    { to: '/school-admin/records', label: 'Records' },
    { to: '/school-admin/history-import', label: 'History import' },
    { to: '/school-admin/audit', label: 'Audit' },
    { to: '/school-admin/analytics', label: 'Analytics' },
  ],
  'institution-admin': [
    { to: '/institution', label: 'Operations' },
    { to: '/institution/schools', label: 'Schools' },
    { to: '/institution/dead-letters', label: 'Dead letters' },
    { to: '/institution/audit', label: 'Audit' },
    { to: '/institution/retention', label: 'Retention' },
    { to: '/institution/analytics', label: 'Schools compared' },
  ],
  'committee-member': [{ to: '/committee', label: 'Analytics' }],
};

const schoolLabel = (schoolId: string) => (schoolId === '*' ? 'Institution' : schoolId[0].toUpperCase() + schoolId.slice(1));

export function Shell() {
  const { session, act, signOut } = useSession();
  const navigate = useNavigate();
  const s = session!;
  const choices = actingChoices(s.schools);
  const current = `${s.acting.schoolId}|${s.acting.role}`;
  const choose = (event: ChangeEvent<HTMLSelectElement>) => {
    const [schoolId, role] = event.target.value.split('|') as [string, Role];
    act({ schoolId, role });
    navigate(HOME_OF[role]);
  };
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <span className="brand">Coaching workspace</span>
        <nav aria-label="Main">
          <ul>
            {NAV[s.acting.role].map((item) => (
              <li key={item.to}>
                <NavLink to={item.to} end>
                  {item.label}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="who">
          {choices.length > 1 ? (
            <>
              <label htmlFor="acting">Acting as</label>
              <select id="acting" value={current} onChange={choose}>
                {choices.map((c) => (
                  <option key={`${c.schoolId}|${c.role}`} value={`${c.schoolId}|${c.role}`}>
                    {ROLE_LABELS[c.role]} · {schoolLabel(c.schoolId)}
                  </option>
                ))}
              </select>
            </>
          ) : (
            <span>
              {ROLE_LABELS[s.acting.role]} · {schoolLabel(s.acting.schoolId)}
            </span>
          )}
          <span className="user">{s.userId}</span>
          <button type="button" className="secondary" onClick={() => signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
}
