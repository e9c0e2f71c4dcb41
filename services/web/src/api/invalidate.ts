import { QueryClient, QueryKey } from '@tanstack/react-query';

/**
 * Not awaited by the mutations: the form is done when the command is accepted, the page catches up after.
 * Refetches the named queries once: the command's answer told the http client the position it wrote, and each later
 * GET to that service sends it back (X-Read-After), so the service answers once its read models show the write.
 * `delays` (ms after the command, default just now) is only for a page that shows another service's read model that
 * this command feeds through Kafka: a position of one service's store means nothing to another, so that one can only
 * be refetched again later.
 */
export function refreshAfterCommand(queryClient: QueryClient, keys: QueryKey[], delays: number[] = [0]): Promise<void> {
  const refresh = () => Promise.all(keys.map((queryKey) => queryClient.invalidateQueries({ queryKey }))).then(() => undefined);
  for (const delay of delays.filter((d) => d > 0)) setTimeout(() => void refresh(), delay);
  return refresh();
}
