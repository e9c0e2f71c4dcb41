export * from './feedback-dialogue.decider';
export * from './goal.decider';
export * from './competency-frameworks';
export * from './development-plan.decider';
export * from './assessments';
export * from './progress-history';
export * from './dialogue-summaries';
export * from './framework-crosswalk';
