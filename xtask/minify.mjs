// Minifies a release dist's stylesheet and plain scripts in place, after trunk (about 1.7 KB of
// the brotli first load): esbuild, whose output is checked by the browser suite like the rest.
// - What is minified: the CSS (style/main.css), public/theme.js and public/trap.js, the boot
//   script the build moves out of index.html and embed.js. Syntax is kept as written, only
//   shortened; every script keeps its top-level names (theme.js is a classic script, whose top
//   level is global).
// - What is not: wasm-bindgen's JS glue (portal-<hash>.js) and the wasm stay exactly as
//   wasm-bindgen and wasm-opt wrote them. Nothing of wasm-bindgen's output is rewritten.
// - Why not trunk's own `minify`: trunk 0.21.14 minifies the CSS (lightningcss) and the scripts
//   (minify-js) as well, but only together with index.html, whose `<base href="/" />` it turns
//   into `<base href=/>`, which the proxies' rewrite (deploy/, the dev server) no longer finds;
//   and its minify-js cannot parse the glue (trunk-rs/trunk#1044: it warns and copies it).
// The `integrity` hashes trunk wrote into index.html are recomputed for the files changed here.
// File names keep trunk's content hashes: they still change whenever the source does.
// Usage: node xtask/minify.mjs dist/zammad
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { transformSync } from 'esbuild';

const dist = process.argv[2];
if (!dist) {
  console.error('usage: node xtask/minify.mjs <dist dir>');
  process.exit(2);
}
const sri = (data) => `sha384-${createHash('sha384').update(data).digest('base64')}`;
const names = readdirSync(dist);
const wasmName = names.find((n) => /^portal-[0-9a-f]+_bg\.wasm$/.test(n));
if (!wasmName) throw new Error(`no portal-<hash>_bg.wasm in ${dist}`);
const glueName = wasmName.replace('_bg.wasm', '.js');

let index = readFileSync(join(dist, 'index.html'), 'utf8');
let count = 0;
for (const name of names.filter((n) => /\.(css|js)$/.test(n) && n !== glueName)) {
  const original = readFileSync(join(dist, name));
  const { code } = transformSync(original.toString('utf8'), {
    loader: name.endsWith('.css') ? 'css' : 'js',
    minify: true,
  });
  const minified = Buffer.from(code);
  writeFileSync(join(dist, name), minified);
  index = index.replaceAll(sri(original), sri(minified));
  count += 1;
}
writeFileSync(join(dist, 'index.html'), index);
console.log(`minify: ${count} scripts and stylesheets in ${dist} (the wasm-bindgen glue as written)`);
