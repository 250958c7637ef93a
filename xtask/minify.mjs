// Shrinks a release dist in place, after trunk (issue 6, about 7 KB of the brotli first load):
// 1. esbuild minifies the stylesheet and the scripts. Trunk 0.21 leaves wasm-bindgen's JS glue
//    as written, and its own minifier rewrites index.html in a way the build's later steps do
//    not read.
// 2. The wasm's imports get short names, in the wasm and in the glue that supplies them.
//    wasm-bindgen names each one after its function plus a 16-digit hash
//    (`__wbg_querySelector_729c5470ea4b43e8`), text that brotli cannot compress and that both
//    files carry. (binaryen's --minify-imports renames only an `env` module's imports.)
// 3. The `integrity` hashes trunk wrote into index.html are recomputed for the changed files.
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

/** name → new contents, written (and re-hashed in index.html) at the end. */
const changed = new Map();
const original = new Map();
const read = (name) => {
  if (!original.has(name)) original.set(name, readFileSync(join(dist, name)));
  return changed.get(name) ?? original.get(name);
};

for (const name of names.filter((n) => /\.(css|js)$/.test(n))) {
  const css = name.endsWith('.css');
  const { code } = transformSync(read(name).toString('utf8'), {
    loader: css ? 'css' : 'js',
    minify: true,
    // The glue is an ES module that only its own importers see: esbuild may then shorten its
    // top-level names too. The other scripts keep theirs (theme.js is a classic script, whose
    // top level is global). No target: syntax is kept as written, only shortened.
    ...(name === glueName ? { format: 'esm' } : {}),
  });
  changed.set(name, Buffer.from(code));
}

const shortened = shortenImports(read(wasmName), read(glueName).toString('utf8'));
changed.set(wasmName, shortened.wasm);
changed.set(glueName, Buffer.from(shortened.glue));

let index = readFileSync(join(dist, 'index.html'), 'utf8');
for (const [name, data] of changed) {
  writeFileSync(join(dist, name), data);
  index = index.replaceAll(sri(original.get(name)), sri(data));
}
writeFileSync(join(dist, 'index.html'), index);
console.log(
  `minify: ${changed.size - 1} scripts and stylesheets, ${shortened.count} wasm import names in ${dist}`,
);

/**
 * Renames the wasm's imports that the glue defines exactly once, as a `name:` key of its
 * imports object (`__wbg_…` names only: wasm-bindgen's own intrinsics stay as they are).
 * Rewrites the import section only; every other section is copied byte for byte.
 */
function shortenImports(wasm, glue) {
  const uleb = (n) => {
    const out = [];
    do {
      let byte = n & 0x7f;
      n >>>= 7;
      if (n) byte |= 0x80;
      out.push(byte);
    } while (n);
    return out;
  };
  let pos;
  const readUleb = () => {
    let result = 0;
    let shift = 0;
    let byte;
    do {
      byte = wasm[pos++];
      result += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    return result;
  };
  const readBytes = () => {
    const len = readUleb();
    pos += len;
    return wasm.subarray(pos - len, pos);
  };
  const limits = () => {
    const flags = wasm[pos++];
    readUleb();
    if (flags & 1) readUleb();
  };
  const short = (i) => {
    const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
    let s = '';
    do {
      s = letters[i % 52] + s;
      i = Math.floor(i / 52) - 1;
    } while (i >= 0);
    return `$${s}`; // `$`: cannot collide with the glue's own `__wbindgen…` keys
  };
  const definedOnce = (name) =>
    glue.split(name).length === 2 && new RegExp(`[{,]${name}:`).test(glue);

  const out = [wasm.subarray(0, 8)];
  let count = 0;
  pos = 8;
  while (pos < wasm.length) {
    const start = pos;
    const id = wasm[pos++];
    const size = readUleb();
    const end = pos + size;
    if (id !== 2) {
      out.push(wasm.subarray(start, end));
      pos = end;
      continue;
    }
    const entries = readUleb();
    const body = uleb(entries);
    for (let i = 0; i < entries; i++) {
      const module = readBytes();
      let field = readBytes().toString('utf8');
      const descStart = pos;
      const kind = wasm[pos++];
      if (kind === 0) readUleb(); // function: type index
      else if (kind === 1) (pos++, limits()); // table: reference type, limits
      else if (kind === 2) limits(); // memory
      else if (kind === 3) pos += 2; // global: value type, mutability
      else throw new Error(`${wasmName}: unknown import kind ${kind}`);
      const desc = wasm.subarray(descStart, pos);
      if (field.startsWith('__wbg_') && definedOnce(field)) {
        const name = short(count++);
        glue = glue.replace(`${field}:`, `${name}:`);
        field = name;
      }
      const fieldBytes = Buffer.from(field);
      body.push(...uleb(module.length), ...module, ...uleb(fieldBytes.length), ...fieldBytes);
      body.push(...desc);
    }
    if (pos !== end) throw new Error(`${wasmName}: import section length mismatch`);
    out.push(Buffer.from([id, ...uleb(body.length), ...body]));
  }
  return { wasm: Buffer.concat(out), glue, count };
}
