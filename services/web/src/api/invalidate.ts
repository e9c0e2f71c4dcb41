import { QueryClient, QueryKey } from '@tanstack/react-query';

/**
 * Not awaited by the mutations: the form is done when the command is accepted, the page catches up after.
 * After a command, the read models catch up within moments (they are projected from the events): refetch now,
 * and again shortly after, so the page shows the change without a reload.
 */
export function refreshAfterCommand(queryClient: QueryClient, keys: QueryKey[], delays = [0, 1000, 3000, 8000]): Promise<void> {
  const refresh = () => Promise.all(keys.map((queryKey) => queryClient.invalidateQueries({ queryKey }))).then(() => undefined);
  for (const delay of delays.slice(1)) setTimeout(() => void refresh(), delay);
  return refresh();
}
