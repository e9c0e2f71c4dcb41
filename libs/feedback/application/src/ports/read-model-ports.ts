import { GoalStatus, GoalVisibility } from '@cbme/contracts';

/** Who coaches whom now, as this service learned it from coaching's events. */
export interface CurrentCoaches {
  /** the learner's coach now (also while the relationship is paused); null after it ended or before any */
  currentCoachOf(schoolId: string, learnerId: string): Promise<string | null>;
}
export const CURRENT_COACHES = Symbol('CURRENT_COACHES');

export interface GoalView {
  goalId: string;
  learnerId: string;
  description: string;
  measureOfSuccess: string | null;
  competencies: string[];
  targetDate: string;
  status: GoalStatus;
  visibility: GoalVisibility;
  lastRevisedAt: string | null;
  version: number;
}

export interface LearnerGoals {
  list(schoolId: string, learnerId: string): Promise<GoalView[]>;
}
export const LEARNER_GOALS = Symbol('LEARNER_GOALS');
