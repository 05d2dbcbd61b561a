/**
 * The REST calls of M2's front end ("picasso"), exactly as its Flask routes declare them: the
 * method, the path (some with a trailing slash, some without; Flask answers the other spelling
 * with a redirect or a 404) and the form fields each call reads besides `project`.
 *
 * The client and the simulator both read this table; the recorded fixtures in `__fixtures__/`
 * spell every path and field out again independently, so a mistake here fails their tests.
 */
export const M2_CALLS = {
  create_disk: { method: 'PUT', path: '/create_disk', fields: ['disk_name', 'img'] },
  delete_disk: { method: 'DELETE', path: '/delete_disk', fields: ['disk_name'] },
  provision: { method: 'PUT', path: '/provision/', fields: ['node', 'disk_name', 'nic'] },
  deprovision: { method: 'DELETE', path: '/deprovision/', fields: ['node', 'nic'] },
  create_snapshot: { method: 'PUT', path: '/create_snapshot/', fields: ['disk_name', 'snap_name'] },
  list_images: { method: 'POST', path: '/list_images/', fields: [] },
  list_snapshots: { method: 'POST', path: '/list_snapshots/', fields: [] },
  remove_image: { method: 'DELETE', path: '/remove_image/', fields: ['img'] },
} as const satisfies Record<string, { method: string; path: string; fields: readonly string[] }>;

/** The name of one M2 REST call, e.g. `create_disk`. */
export type M2CallName = keyof typeof M2_CALLS;

/** The form field every call carries: the HIL project the caller acts in. */
export const M2_PROJECT_FIELD = 'project';

/** The body M2 sends when an operation returned `true`. */
export const M2_SUCCESS_BODY = 'Success';
