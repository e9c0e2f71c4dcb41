import { describeEventStoreContract } from './event-store.contract';
import { InMemoryEventStore } from './in-memory-event-store';

describeEventStoreContract('in memory', async () => {
  const shared = new InMemoryEventStore();
  return async (options = {}) => new InMemoryEventStore({ ...options, sharing: shared });
});
