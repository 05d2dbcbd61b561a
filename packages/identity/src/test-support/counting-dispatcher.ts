import { Agent, type Dispatcher } from 'undici';

/** An undici dispatcher that counts the requests it sends, by path. Tests only. */
export function countingDispatcher(): { dispatcher: Dispatcher; count(path: string): number; close(): Promise<void> } {
  const counts = new Map<string, number>();
  const agent = new Agent();
  const dispatcher = agent.compose((dispatch) => (options, handler) => {
    const path = options.path.split('?')[0] ?? options.path;
    counts.set(path, (counts.get(path) ?? 0) + 1);
    return dispatch(options, handler);
  });
  return { dispatcher, count: (path) => counts.get(path) ?? 0, close: () => agent.close() };
}
