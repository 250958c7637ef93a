// Settings of one suite run, read once from the environment.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

function withSlash(url) {
  return url.endsWith('/') ? url : `${url}/`;
}

/** The dev server origin (with trailing slash), serving the portal at `/` and the test API. */
export const PORTAL_URL = withSlash(process.env.PORTAL_URL || 'http://127.0.0.1:8080/');

/** Where the app lives for most tests (the root mount). */
export const BASE = PORTAL_URL;

/** The same portal mounted under a sub-path. */
export const SUBPATH_BASE = new URL('support/', PORTAL_URL).href;

/** Which adapter the portal under test was built with. */
export const BACKEND = process.env.PORTAL_BACKEND || 'zammad';
export const IS_ZAMMAD = BACKEND === 'zammad';
export const IS_ZNUNY = BACKEND === 'znuny';
if (!IS_ZAMMAD && !IS_ZNUNY) throw new Error(`PORTAL_BACKEND must be zammad or znuny, not "${BACKEND}"`);

/** `opts.skip` value for tests that only make sense on one backend (a reason string or false). */
export const onlyOn = (backend, why) =>
  BACKEND === backend ? false : `${backend} only${why ? `: ${why}` : ''} (this run: ${BACKEND})`;

/** Screenshots, DOM snapshots and request logs of failed tests go here. */
export const ARTIFACTS = process.env.E2E_ARTIFACTS || path.join(here, '..', 'artifacts');

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

/** Default wait for UI conditions (ms). */
export const UI_TIMEOUT = Number(process.env.E2E_UI_TIMEOUT_MS || 10_000);
