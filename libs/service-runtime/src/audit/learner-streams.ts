/**
 * Which of a service's own streams are about a learner in a school (its answer to an audit export). `whole`: streams
 * that belong to the learner alone, exported from version 1 so their chains verify; `shared`: streams several learners
 * share (an assessment-results import), of which only the learner's events go in, each with its inclusion proof.
 * null: the service does not know this learner in this school (the export answers 404).
 */
export interface LearnerStreams {
  of(schoolId: string, learnerId: string): Promise<LearnerStreamSet | null>;
}

export interface LearnerStreamSet {
  whole: string[];
  shared: { streamId: string; versions: number[] }[];
}

/** Provided by a service's module; a service without one (analytics) exports no streams of its own. */
export const LEARNER_STREAMS = Symbol('LEARNER_STREAMS');
