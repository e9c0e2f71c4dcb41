import { EventCatalog, EventDefinition } from './catalog';
import { CoachingEvents } from './coaching/coaching.events';
import { FeedbackEvents } from './feedback/feedback.events';
import { IdentityEvents } from './identity/identity.events';

export const allPublicEvents: EventDefinition<string, object>[] = [
  ...Object.values(IdentityEvents),
  ...Object.values(CoachingEvents),
  ...Object.values(FeedbackEvents),
];

/** Every event published on Kafka; consumers validate and upcast with it. */
export const publicCatalog = (): EventCatalog => new EventCatalog(allPublicEvents);
