// Writes `<file>.br` (brotli, quality 11) and `<file>.gz` (gzip -9) beside every content-hashed
// asset of a dist directory, for servers that send precompressed files (the dev server,
// nginx `gzip_static`, Caddy `precompressed`). index.html (its <base href> is rewritten by the
// proxy) and config.json (edited by the admin after deploy) are left alone: a stale compressed
// copy of either would be served instead of the real one.
// Usage: node xtask/precompress.mjs dist/zammad
import { readdirSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';

const dist = process.argv[2];
if (!dist) {
  console.error('usage: node xtask/precompress.mjs <dist dir>');
  process.exit(2);
}
const SKIP = new Set(['index.html', 'config.json']);
let count = 0;
for (const name of readdirSync(dist)) {
  const path = join(dist, name);
  if (SKIP.has(name) || /\.(br|gz)$/.test(name) || !statSync(path).isFile()) continue;
  const data = readFileSync(path);
  writeFileSync(`${path}.gz`, gzipSync(data, { level: 9 }));
  writeFileSync(
    `${path}.br`,
    brotliCompressSync(data, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 11,
        [constants.BROTLI_PARAM_LGWIN]: 24,
        [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
      },
    }),
  );
  count += 1;
}
console.log(`precompress: ${count} files in ${dist} (.br and .gz)`);
