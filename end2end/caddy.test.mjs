// The shipped Caddy configuration (deploy/caddy/), in a real Caddy on loopback: the portal under
// /support/ beside the help desk's API, proxied to the dev server's fake back end. Only what an
// admin edits is substituted (site address, upstream, folder). The folder is a copy of the build
// with .br / .gz files for some assets and not for others, so both cases are served.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import {
  BACKEND,
  IS_ZNUNY,
  PORTAL_URL,
  articles,
  expectListed,
  listHeading,
  signIn,
  signInHeading,
  signOutButton,
  ticketHeading,
  ticketLink,
  usePortal,
} from './lib/index.mjs';
import { freePort, waitForPort } from './lib/proxy.mjs';

const it = usePortal(import.meta);
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CADDY = ['/usr/bin/caddy', '/usr/local/bin/caddy'].find((p) => fs.existsSync(p));
const skip = CADDY ? false : 'caddy is not installed (cargo xtask setup --browser installs it)';

// The policy the dev server sends (devserver/src/static_files.rs): the shipped config must match it.
const CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: blob: https:; " +
  "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'";

let caddy;
let base;
let dir;
let site;
let logFile;

before(async () => {
  if (!CADDY) return;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-caddy-'));
  const port = await freePort();
  const upstream = new URL(PORTAL_URL).host;

  // The portal's folder: the build, with precompressed files for some assets only.
  site = path.join(dir, 'help-portal');
  fs.cpSync(path.join(repo, 'dist', BACKEND), site, { recursive: true });
  for (const f of fs.readdirSync(site)) if (/\.(br|gz)$/.test(f)) fs.rmSync(path.join(site, f));
  const wasm = fs.readdirSync(site).find((f) => f.endsWith('_bg.wasm'));
  const css = fs.readdirSync(site).find((f) => /^main-.*\.css$/.test(f));
  assert.ok(wasm && css, `the build in dist/${BACKEND} has no wasm or css`);
  const wasmBytes = fs.readFileSync(path.join(site, wasm));
  fs.writeFileSync(path.join(site, `${wasm}.br`), zlib.brotliCompressSync(wasmBytes));
  fs.writeFileSync(path.join(site, `${wasm}.gz`), zlib.gzipSync(wasmBytes));
  fs.writeFileSync(path.join(site, `${css}.gz`), zlib.gzipSync(fs.readFileSync(path.join(site, css))));
  // A file an admin adds (brand.logo), without a content hash in its name.
  fs.copyFileSync(path.join(repo, 'public', 'favicon.svg'), path.join(site, 'logo.svg'));

  const conf = (name) => fs.readFileSync(path.join(repo, 'deploy', 'caddy', name), 'utf8');
  const siteFile = conf(`${BACKEND}.Caddyfile`)
    .replace(/^support\.example\.com \{/m, `http://127.0.0.1:${port} {`)
    .replace(/reverse_proxy 127\.0\.0\.1:\d+/, `reverse_proxy ${upstream}`);
  assert.ok(siteFile.includes(`http://127.0.0.1:${port} {`), 'the site address placeholder moved');
  assert.ok(siteFile.includes(`reverse_proxy ${upstream}`), 'the upstream placeholder moved');
  fs.writeFileSync(path.join(dir, 'help-portal.caddy'), conf('help-portal.caddy').replaceAll('/srv/help-portal', site));
  // The global options a test run needs: no admin endpoint (port 2019 may be taken), no
  // certificates, nothing saved outside the temporary folder.
  fs.writeFileSync(
    path.join(dir, 'Caddyfile'),
    ['{', '\tadmin off', '\tauto_https off', '}', '', siteFile].join('\n'),
  );
  logFile = path.join(dir, 'caddy.log');
  const out = fs.openSync(logFile, 'w');
  caddy = spawn(CADDY, ['run', '--adapter', 'caddyfile', '--config', path.join(dir, 'Caddyfile')], {
    cwd: dir,
    stdio: ['ignore', out, out],
    env: { ...process.env, HOME: dir, XDG_DATA_HOME: dir, XDG_CONFIG_HOME: dir },
  });
  await waitForPort(port, caddy, { name: 'caddy', logFile });
  base = `http://127.0.0.1:${port}/support/`;
}, { skip });

after(() => {
  caddy?.kill('SIGTERM');
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}, { skip });

/** A raw GET (no automatic decompression): status, headers and the bytes as sent. */
function rawGet(url, headers = {}) {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });
}

it('serves the document for every route under /support/, with its base, CSP and no-cache', async () => {
  const dev = await fetch(PORTAL_URL);
  assert.equal(dev.headers.get('content-security-policy'), CSP, 'the dev server and the Caddy config send one policy');
  for (const route of ['', 'index.html', 'tickets/101', 'tickets/new', 'sign-in?next=%2Ftickets', 'no/such/page']) {
    const doc = await rawGet(`${base}${route}`, { 'accept-encoding': 'br, gzip' });
    assert.equal(doc.status, 200, route);
    assert.match(doc.headers['content-type'] ?? '', /^text\/html/, route);
    const html = doc.body.toString('utf8');
    assert.match(html, /<base href="\/support\/" \/>/, `${route}: the document names its base path`);
    assert.doesNotMatch(html, /<base href="\/" \/>/, route);
    assert.equal(doc.headers['content-security-policy'], CSP, route);
    assert.equal(doc.headers['cache-control'], 'no-cache', route);
    assert.equal(doc.headers['x-content-type-options'], 'nosniff', route);
    assert.equal(doc.headers['referrer-policy'], 'same-origin', route);
  }
  const bare = await rawGet(base.replace(/\/$/, ''));
  assert.equal(bare.status, 301);
  assert.equal(new URL(bare.headers.location, base).pathname, '/support/');
}, { skip });

it('caches hashed assets for a year, revalidates config.json, serves .br / .gz where they exist', async () => {
  const doc = (await rawGet(base)).body.toString('utf8');
  const boot = /src="\.\/(boot-[0-9a-f]+\.js)"/.exec(doc)?.[1];
  assert.ok(boot, 'the loader is an external, hashed script');
  const js = await rawGet(`${base}${boot}`, { 'accept-encoding': 'br, gzip' });
  assert.equal(js.status, 200);
  assert.equal(js.headers['cache-control'], 'public, max-age=31536000, immutable');
  assert.equal(js.headers['content-encoding'], undefined, 'no .br/.gz beside the loader: sent as it is');
  assert.match(js.headers['content-type'] ?? '', /javascript/);
  assert.equal(js.headers['x-content-type-options'], 'nosniff');

  const config = await rawGet(`${base}config.json`);
  assert.equal(config.headers['cache-control'], 'no-cache');
  assert.match(config.headers['content-type'] ?? '', /^application\/json/);
  assert.ok(JSON.parse(config.body.toString('utf8')).api_base, 'config.json is served from the portal folder');

  const logo = await rawGet(`${base}logo.svg`);
  assert.equal(logo.status, 200);
  assert.equal(logo.headers['cache-control'], 'no-cache', 'a file without a hash is revalidated');
  assert.match(logo.headers['content-type'] ?? '', /^image\/svg\+xml/);

  const wasm = fs.readdirSync(site).find((f) => f.endsWith('_bg.wasm'));
  const original = fs.readFileSync(path.join(site, wasm));
  const br = await rawGet(`${base}${wasm}`, { 'accept-encoding': 'gzip, br' });
  assert.equal(br.headers['content-encoding'], 'br');
  assert.equal(br.headers['content-type'], 'application/wasm', 'the original type, not the .br file’s');
  assert.match(br.headers.vary ?? '', /accept-encoding/i);
  assert.equal(br.headers['cache-control'], 'public, max-age=31536000, immutable');
  assert.ok(zlib.brotliDecompressSync(br.body).equals(original), 'the .br file decompresses to the wasm');
  const gz = await rawGet(`${base}${wasm}`, { 'accept-encoding': 'gzip' });
  assert.equal(gz.headers['content-encoding'], 'gzip');
  assert.ok(zlib.gunzipSync(gz.body).equals(original));
  const plain = await rawGet(`${base}${wasm}`, { 'accept-encoding': 'identity' });
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.ok(plain.body.equals(original));

  const css = fs.readdirSync(site).find((f) => /^main-.*\.css$/.test(f));
  const cssBr = await rawGet(`${base}${css}`, { 'accept-encoding': 'br, gzip' });
  assert.equal(cssBr.headers['content-encoding'], 'gzip', 'only a .gz beside the stylesheet');
  assert.match(cssBr.headers['content-type'] ?? '', /^text\/css/);
}, { skip });

it('proxies the help desk API on the same origin', async () => {
  if (IS_ZNUNY) {
    // Znuny 7 (/znuny/) and 6.x (/otrs/) script aliases reach the Generic Interface.
    for (const prefix of ['/znuny/', '/otrs/']) {
      const url = new URL(`${prefix}nph-genericinterface.pl/Webservice/GenericTicketConnectorREST/Session`, base);
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ UserLogin: 'alice', Password: 'wrong' }),
      });
      assert.match(res.headers.get('content-type') ?? '', /json/, `${prefix}: the fake Znuny answered`);
      const body = await res.json();
      assert.equal(body.Error?.ErrorCode, 'SessionCreate.AuthFail', `${prefix}: ${JSON.stringify(body)}`);
      assert.equal(res.headers.get('content-security-policy'), null, 'the API is not the document');
    }
  } else {
    // Zammad answers an unauthenticated call with 403 and a JSON error.
    const res = await fetch(new URL('/api/v1/users/me', base));
    assert.equal(res.status, 403, 'the fake Zammad answered (not the portal document)');
    assert.match((await res.json()).error ?? '', /authentication/i);
    assert.equal(res.headers.get('content-security-policy'), null, 'the API is not the document');
  }
}, { skip });

it('the whole journey works through Caddy: sign in, list, ticket, reload, sign out', async ({ page }) => {
  const missing = [];
  const encodings = new Map();
  page.on('response', (res) => {
    const url = new URL(res.url());
    if (res.status() >= 400 && url.pathname.startsWith('/support/')) missing.push(url.pathname);
    if (url.pathname.startsWith('/support/')) encodings.set(url.pathname, res.headers()['content-encoding']);
  });
  await page.goto(`${base}tickets/101`);
  await signInHeading(page).waitFor();
  await signIn(page, 'alice', { navigate: false });
  await ticketHeading(page, 'Printer on fire').waitFor();
  await articles(page).first().waitFor();
  assert.ok(page.url().startsWith(`${base}tickets/101`), page.url());
  await page.reload();
  await ticketHeading(page, 'Printer on fire').waitFor();
  await articles(page).first().waitFor();
  await page.getByRole('link', { name: 'My tickets', exact: true }).click();
  await listHeading(page).waitFor();
  await expectListed(page, [101, 105, 106, 102]);
  assert.ok(new URL(page.url()).pathname.startsWith('/support/'), page.url());
  await ticketLink(page, 'Replacement keyboard').first().click();
  await ticketHeading(page, 'Replacement keyboard').waitFor();
  await page.goto(`${base}tickets/new`);
  await page.getByRole('heading', { level: 1, name: 'New ticket' }).waitFor();
  await signOutButton(page).click();
  await signInHeading(page).waitFor();
  assert.ok(new URL(page.url()).pathname.startsWith('/support/sign-in'), page.url());
  assert.deepEqual(missing, [], 'nothing under /support/ failed to load');
  const wasm = [...encodings.keys()].find((p) => p.endsWith('_bg.wasm'));
  assert.ok(wasm, 'the wasm was loaded from /support/');
  assert.equal(encodings.get(wasm), 'br', 'the browser got the precompressed wasm');
}, { skip });
