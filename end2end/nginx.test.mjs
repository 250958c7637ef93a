// The shipped nginx configuration (deploy/nginx/), in a real nginx on loopback: the portal under
// /support/ beside the help desk's API, proxied to the dev server's fake back end. Only the
// placeholders an admin edits are substituted (folder, upstream, port).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  BACKEND,
  PORTAL_URL,
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
const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => fs.existsSync(p));

let nginx;
let base;
let dir;

before(async () => {
  assert.ok(NGINX, 'nginx is not installed (cargo xtask setup --browser installs nginx-light)');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-nginx-'));
  const port = await freePort();
  const upstream = new URL(PORTAL_URL).host;
  const dist = path.join(repo, 'dist', BACKEND) + '/';
  const site = fs
    .readFileSync(path.join(repo, 'deploy', 'nginx', `${BACKEND}.conf`), 'utf8')
    .replace(/server 127\.0\.0\.1:\d+;/, `server ${upstream};`)
    .replace('listen 80;', `listen 127.0.0.1:${port};`);
  const snippet = fs
    .readFileSync(path.join(repo, 'deploy', 'nginx', 'snippets', 'help-portal.conf'), 'utf8')
    .replaceAll('/srv/help-portal/', dist);
  fs.mkdirSync(path.join(dir, 'snippets'));
  fs.writeFileSync(path.join(dir, 'snippets', 'help-portal.conf'), snippet);
  const temp = (name) => `${name} ${path.join(dir, name.replace(/_path$/, ''))};`;
  fs.writeFileSync(
    path.join(dir, 'nginx.conf'),
    [
      'daemon off;',
      'worker_processes 1;',
      // As root (CI), workers run as root to read the portal and write their temp files here.
      process.getuid?.() === 0 ? 'user root;' : '',
      `pid ${path.join(dir, 'nginx.pid')};`,
      `error_log ${path.join(dir, 'error.log')} warn;`,
      'events {}',
      'http {',
      '  include /etc/nginx/mime.types;',
      '  access_log off;',
      ...['client_body_temp_path', 'proxy_temp_path', 'fastcgi_temp_path', 'uwsgi_temp_path', 'scgi_temp_path'].map(temp),
      site,
      '}',
    ].join('\n'),
  );
  nginx = spawn(NGINX, ['-p', dir, '-c', path.join(dir, 'nginx.conf')], { stdio: 'ignore' });
  await waitForPort(port, nginx, { name: 'nginx', logFile: path.join(dir, 'error.log') });
  base = `http://127.0.0.1:${port}/support/`;
});

after(() => {
  nginx?.kill('SIGTERM');
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

it('serves the portal under /support/ with the right headers, deep links included', async () => {
  const doc = await fetch(`${base}tickets/101`);
  assert.equal(doc.status, 200);
  const html = await doc.text();
  assert.match(html, /<base href="\/support\/" \/>/, 'the document names its base path');
  assert.match(doc.headers.get('content-security-policy') ?? '', /script-src 'self' 'wasm-unsafe-eval'/);
  assert.equal(doc.headers.get('cache-control'), 'no-cache');
  const asset = /src="\.\/(boot-[0-9a-f]+\.js)"/.exec(html)?.[1];
  assert.ok(asset, 'the loader is an external, hashed script');
  const js = await fetch(`${base}${asset}`);
  assert.equal(js.status, 200);
  assert.match(js.headers.get('cache-control') ?? '', /immutable/);
  const wasm = /href="\.\/([^"]+_bg\.wasm)"/.exec(html)?.[1];
  assert.ok(wasm, 'the document preloads the wasm');
  const bin = await fetch(`${base}${wasm}`);
  assert.equal(bin.status, 200);
  assert.equal(bin.headers.get('content-type'), 'application/wasm');
  assert.match(bin.headers.get('cache-control') ?? '', /immutable/);
  const config = await fetch(`${base}config.json`);
  assert.equal(config.headers.get('cache-control'), 'no-cache');
  assert.ok((await config.json()).api_base, 'config.json is served from the portal folder');
  const bare = await fetch(base.replace(/\/$/, ''), { redirect: 'manual' });
  assert.equal(bare.status, 301);
});

it('the whole journey works through nginx: sign in, list, ticket, reload, sign out', async ({ page }) => {
  await page.goto(`${base}tickets/101`);
  await signInHeading(page).waitFor();
  await signIn(page, 'alice', { navigate: false });
  await ticketHeading(page, 'Printer on fire').waitFor();
  assert.ok(page.url().startsWith(`${base}tickets/101`), page.url());
  await page.reload();
  await ticketHeading(page, 'Printer on fire').waitFor();
  await page.getByRole('link', { name: 'My tickets', exact: true }).click();
  await listHeading(page).waitFor();
  await expectListed(page, [101, 105, 106, 102]);
  assert.ok(new URL(page.url()).pathname.startsWith('/support/'), page.url());
  await ticketLink(page, 'Replacement keyboard').first().click();
  await ticketHeading(page, 'Replacement keyboard').waitFor();
  await signOutButton(page).click();
  await signInHeading(page).waitFor();
  assert.ok(new URL(page.url()).pathname.startsWith('/support/sign-in'), page.url());
});
