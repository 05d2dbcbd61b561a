/**
 * What each Keylime release answers on the wire that the simulator models: the API versions
 * `GET /version` advertises and which front door routes requests.
 *
 * - `7.13` (7.13.x, the default): keylime/api_version.py of v7.13.1 knows 1.0 and 2.0–2.4 (current
 *   2.4); the verifier is cloud_verifier_tornado.py's `get_app`, whose catch-all `MainHandler`
 *   answers 405 with a JSON envelope ("Not Implemented: Use /agents/ interface instead").
 * - `current` (master, 7.14.x): 1.0, 2.0–2.6 and 3.0 (current 2.6), routed by keylime/web's
 *   framework (empty-bodied 404/405 from its DefaultController).
 */
export type KeylimeRelease = '7.13' | 'current';

/** The releases {@link KeylimeRelease} names, for option schemas. */
export const KEYLIME_RELEASES = ['7.13', 'current'] as const;

/** The release a simulator models unless told otherwise: the newest one released and checked. */
export const DEFAULT_KEYLIME_RELEASE: KeylimeRelease = '7.13';

/** What `GET /version` reports: `current_version` and `supported_versions`. */
export interface AdvertisedVersions {
  current: string;
  supported: readonly string[];
}

/** How the verifier routes a request before any handler runs. */
export type VerifierRouting = 'tornado-handlers' | 'web-framework';

/** One release's wire profile. */
export interface KeylimeReleaseProfile {
  versions: AdvertisedVersions;
  routing: VerifierRouting;
}

/** The wire profile of every modelled release. */
export const KEYLIME_RELEASE_PROFILES: Readonly<Record<KeylimeRelease, KeylimeReleaseProfile>> = Object.freeze({
  '7.13': {
    versions: Object.freeze({ current: '2.4', supported: Object.freeze(['1.0', '2.0', '2.1', '2.2', '2.3', '2.4']) }),
    routing: 'tornado-handlers',
  },
  current: {
    versions: Object.freeze({
      current: '2.6',
      supported: Object.freeze(['1.0', '2.0', '2.1', '2.2', '2.3', '2.4', '2.5', '2.6', '3.0']),
    }),
    routing: 'web-framework',
  },
});
