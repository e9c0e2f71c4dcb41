import { FeedbackHistoryImporter } from '@cbme/feedback-application';
import { historyImportRoutes } from '@cbme/service-runtime';

/** POST /history-imports and GET /history-imports/:id for feedback's kinds (docs/history-import.md), and their job. */
export const feedbackHistoryImport = historyImportRoutes({
  context: 'feedback',
  importer: FeedbackHistoryImporter,
  example: '{"kind":"goal-set","sourceId":"goal-2023-17","occurredAt":"2023-09-01T09:00:00.000Z","goalId":"g-17","learnerId":"lea-1","description":"Lead a family meeting","competencies":["ICS"],"targetDate":"2024-03-01"}',
});
