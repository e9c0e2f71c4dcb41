import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { lazy, ReactNode, Suspense, useEffect } from 'react';
import { BrowserRouter, Navigate, Outlet, Route, Routes, useLocation, useParams } from 'react-router';
import { ApiError } from './api/http';
import { SessionProvider, useSession } from './auth/SessionProvider';
import { HOME_OF, Role } from './auth/session';
import { SignInPage, SsoCallbackPage } from './auth/SignInPage';
import { Shell } from './layout/Shell';
import { LearnerHome } from './learner/LearnerHome';
import { DialoguesPage } from './learner/DialoguesPage';
import { DialoguePage } from './learner/DialoguePage';
import { GoalsPage } from './learner/GoalsPage';
import { GoalPage } from './learner/GoalPage';
import { PlanPage } from './learner/PlanPage';
import { TimelinePage } from './learner/TimelinePage';
import { CoachHome } from './coach/CoachHome';
import { CoacheePage } from './coach/CoacheePage';
import { CoacheeMeetingsPage } from './coach/CoacheeMeetingsPage';
import { CoacheeAssessmentsPage } from './coach/CoacheeAssessmentsPage';
import { SelfVsOthersPage } from './learner/SelfVsOthersPage';
import { MyCommunityPage } from './coach/MyCommunityPage';
import { CoachPlanReviewPage, CoachPlansPage, MyCoachPlanPage } from './coach/CoachPlanPages';
import { LeadHome } from './lead/LeadHome';
import { CommunitySessionsPage } from './lead/CommunitySessionsPage';
import { SchoolAdminHome } from './admin/SchoolAdminHome';
import { SchoolRecords } from './admin/SchoolRecords';
import { HistoryImportPage } from './admin/HistoryImportPage';
import { InstitutionHome } from './admin/InstitutionHome';
import { DeadLettersPage } from './admin/DeadLettersPage';
import { PersonPage } from './admin/PersonPage';
import { CohortPage } from './admin/CohortPage';
import { SchoolsPage } from './admin/SchoolsPage';
import { RetentionPage } from './admin/RetentionPage';
import { InstitutionAuditPage, InstitutionLearnerAudit, LearnerAuditPage, SchoolAuditPage } from './admin/AuditPages';
import { Loading, NotFound } from './ui/Status';
import { AskForFeedbackPage } from './feedback-requests/AskForFeedbackPage';
import { AskedOfMePage, AskedRequestPage } from './feedback-requests/AskedOfMePage';
import { LinkAnswerPage } from './feedback-requests/LinkAnswerPage';
import { WhoViewedPage } from './disclosures/DisclosureReport';

// the charts are the heaviest part: they load with the committee's page only
const CommitteeHome = lazy(() => import('./committee/CommitteeHome'));
const SelfAssessmentPage = lazy(() => import('./learner/SelfAssessmentPage'));

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      // 4xx answers are final; network faults and 5xx are retried twice
      retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
    },
  },
});

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <SessionProvider>
        <BrowserRouter>
          <Routes>
            <Route path="/sign-in" element={<SignInPage />} />
            <Route path="/sso/callback" element={<SsoCallbackPage />} />
            {/* an external assessor's link: no account, no sign-in */}
            <Route path="/feedback/answer" element={<LinkAnswerPage />} />
            <Route element={<RequireSession><Shell /></RequireSession>}>
              <Route index element={<HomeRedirect />} />
              {/* asked of anyone with an account in the school, whatever role they act in */}
              <Route path="feedback/asked" element={<AskedOfMePage />} />
              <Route path="feedback/asked/:requestId" element={<AskedRequestPage />} />
              <Route path="learner" element={<For role="learner" />}>
                <Route index element={<LearnerHome />} />
                <Route path="dialogues" element={<DialoguesPage />} />
                <Route path="dialogues/:dialogueId" element={<DialoguePage />} />
                <Route path="goals" element={<GoalsPage />} />
                <Route path="goals/:goalId" element={<GoalPage />} />
                <Route path="plan" element={<PlanPage />} />
                <Route path="timeline" element={<TimelinePage />} />
                <Route path="feedback-requests" element={<AskForFeedbackPage />} />
                <Route path="self-vs-others" element={<SelfVsOthersPage />} />
                <Route path="who-viewed" element={<WhoViewedPage />} />
                <Route path="self-assessment" element={<Suspense fallback={<Loading what="the page" />}><SelfAssessmentPage /></Suspense>} />
              </Route>
              <Route path="coach" element={<For role="coach" />}>
                <Route index element={<CoachHome />} />
                <Route path="coachees/:learnerId" element={<CoacheePage />} />
                <Route path="coachees/:learnerId/plan" element={<WithLearner page={PlanPage} />} />
                <Route path="coachees/:learnerId/timeline" element={<WithLearner page={TimelinePage} />} />
                <Route path="coachees/:learnerId/meetings" element={<CoacheeMeetingsPage />} />
                <Route path="coachees/:learnerId/assessments" element={<CoacheeAssessmentsPage />} />
                <Route path="coachees/:learnerId/self-vs-others" element={<SelfVsOthersPage />} />
                <Route path="dialogues/:dialogueId" element={<DialoguePage />} />
                <Route path="community" element={<MyCommunityPage />} />
                <Route path="plan" element={<MyCoachPlanPage />} />
                <Route path="plan-reviews" element={<CoachPlansPage base="/coach/plan-reviews" />} />
                <Route path="plan-reviews/:coachId" element={<CoachPlanReviewPage />} />
              </Route>
              <Route path="lead" element={<For role="coaching-lead" />}>
                <Route index element={<LeadHome />} />
                <Route path="communities/:communityId" element={<CommunitySessionsPage />} />
                <Route path="coach-plans" element={<CoachPlansPage base="/lead/coach-plans" lead />} />
                <Route path="coach-plans/:coachId" element={<CoachPlanReviewPage />} />
                <Route path="analytics" element={<Suspense fallback={<Loading what="the dashboard" />}><CommitteeHome /></Suspense>} />
              </Route>
              <Route path="school-admin" element={<For role="school-admin" />}>
                <Route index element={<SchoolAdminHome />} />
                <Route path="learners/:learnerId" element={<WithLearner page={LearnerAuditPage} />} />
                <Route path="people/:userId" element={<PersonPage />} />
                <Route path="cohorts/:cohortId" element={<CohortPage />} />
                <Route path="audit" element={<SchoolAuditPage />} />
                <Route path="records" element={<SchoolRecords />} />
                <Route path="history-import" element={<HistoryImportPage />} />
                <Route path="analytics" element={<Suspense fallback={<Loading what="the dashboard" />}><CommitteeHome /></Suspense>} />
              </Route>
              <Route path="institution" element={<For role="institution-admin" />}>
                <Route index element={<InstitutionHome />} />
                <Route path="schools" element={<SchoolsPage />} />
                <Route path="dead-letters" element={<DeadLettersPage />} />
                <Route path="audit" element={<InstitutionAuditPage />} />
                <Route path="audit/:schoolId/learners/:learnerId" element={<InstitutionLearnerAudit />} />
                <Route path="retention" element={<RetentionPage />} />
                <Route path="analytics" element={<Suspense fallback={<Loading what="the dashboard" />}><CommitteeHome /></Suspense>} />
              </Route>
              <Route path="committee" element={<For role="committee-member" />}>
                <Route index element={<Suspense fallback={<Loading what="the dashboard" />}><CommitteeHome /></Suspense>} />
              </Route>
              <Route path="*" element={<NotFound />} />
            </Route>
          </Routes>
        </BrowserRouter>
      </SessionProvider>
    </QueryClientProvider>
  );
}

/** A learner's page (plan, timeline) opened by someone else: the learner comes from the path. */
function WithLearner({ page: Page }: { page: (props: { learnerId?: string }) => ReactNode }) {
  const { learnerId } = useParams();
  return <Page learnerId={learnerId} />;
}

/** Signed out (or expired): to the sign-in page, which comes back here afterwards. */
function RequireSession({ children }: { children: ReactNode }) {
  const { session } = useSession();
  const location = useLocation();
  if (!session) return <Navigate to={`/sign-in?returnTo=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  return <>{children}</>;
}

function HomeRedirect() {
  const { session } = useSession();
  return <Navigate to={HOME_OF[session!.acting.role]} replace />;
}

/**
 * A role's area. A deep link into another of the user's roles switches to it (first school holding it);
 * a role the user does not hold gets the not-found page.
 */
function For({ role }: { role: Role }) {
  const { session, act } = useSession();
  const acting = session!.acting;
  const school = acting.role === role ? acting.schoolId : [...session!.schools].find(([, roles]) => roles.includes(role))?.[0];
  useEffect(() => {
    if (school && acting.role !== role) act({ schoolId: school, role });
  }, [school, role, acting.role, act]);
  if (!school) return <NotFound />;
  if (acting.role !== role) return <Loading what="your page" />;
  return <OutletWithKey />;
}

/** A new school or role remounts the pages, so nothing of the previous one stays on screen. */
function OutletWithKey() {
  const { session } = useSession();
  return <Outlet key={`${session!.acting.schoolId}/${session!.acting.role}`} />;
}
