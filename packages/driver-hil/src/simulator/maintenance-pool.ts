import { request as httpRequest } from 'node:http';
import { pythonJsonDumps } from './python/python-json.js';
import { attachmentCount, type SimNode, type SimState, setNodeProject } from './state.js';

/** Options of the maintenance pool (HIL's `[maintenance]` section). */
export interface MaintenancePoolOptions {
  /** The maintenance project; created at start. Default `maintenance`. */
  project?: string;
  /** HIL POSTs `{"node": …}` here when a node enters the pool, as the real service expects. */
  url?: string;
  /**
   * Scrub in the simulator: this long after a node enters the pool it is detached into the free
   * pool, as the maintenance service does once it has wiped the node. Default 50 ms when no `url`
   * is given; with a `url` the service is expected to detach the node itself.
   */
  scrubAfterMs?: number;
}

/** The maintenance pool of a running simulator. */
export interface MaintenancePool {
  readonly project: string;
  /** Take a node just detached from `project`; false when `project` is the maintenance one. */
  maintain(project: string, node: SimNode): boolean;
  close(): void;
}

/**
 * HIL's maintenance pool (hil/api.py `_maintain`, docs/maintenance-pool.md): a node detached from
 * a project goes to the maintenance project instead of the free pool, and the maintenance service
 * is told. The simulator can play that service and scrub the node after a delay.
 */
export function createMaintenancePool(state: SimState, options: MaintenancePoolOptions): MaintenancePool {
  const project = options.project ?? 'maintenance';
  const scrubAfterMs = options.scrubAfterMs ?? (options.url === undefined ? 50 : undefined);
  const timers = new Set<NodeJS.Timeout>();
  if (!state.projects.has(project)) state.projects.set(project, []);

  const scrub = (node: SimNode): void => {
    // The service detaches the node only once nothing holds it, like any caller of detach_node.
    if (node.project !== project || node.obmToken !== undefined || attachmentCount(node) > 0) return;
    setNodeProject(state, node, null);
  };

  const notify = (url: string, node: string): void => {
    const body = pythonJsonDumps({ node });
    const request = httpRequest(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      timeout: 5_000,
    });
    // HIL only logs a failed notification; the node stays in the maintenance project.
    request.on('error', () => undefined);
    request.on('timeout', () => request.destroy());
    request.on('response', (response) => response.resume());
    request.end(body);
  };

  return {
    project,
    maintain(from, node) {
      if (from === project) return false;
      setNodeProject(state, node, project);
      if (options.url !== undefined) notify(options.url, node.name);
      if (scrubAfterMs !== undefined) {
        const timer = setTimeout(() => {
          timers.delete(timer);
          scrub(node);
        }, scrubAfterMs);
        timers.add(timer);
      }
      return true;
    },
    close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}
