/**
 * Writes a Brotli (.br) and a gzip (.gz) copy beside each text asset of the build, once at build time, so the
 * server sends compressed files without compressing them on every request (@fastify/static `preCompressed`).
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const compressible = /\.(js|css|html|svg|json|txt|map)$/;
/** Smaller files gain nothing worth a second round trip's worth of bytes. */
const minBytes = 1024;

export function precompress(dir: string): { files: number; bytes: number; brotliBytes: number } {
  let files = 0;
  let bytes = 0;
  let brotliBytes = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      const inner = precompress(path);
      files += inner.files;
      bytes += inner.bytes;
      brotliBytes += inner.brotliBytes;
      continue;
    }
    if (!compressible.test(name) || statSync(path).size < minBytes) continue;
    const content = readFileSync(path);
    const brotli = brotliCompressSync(content, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: content.length } });
    writeFileSync(`${path}.br`, brotli);
    writeFileSync(`${path}.gz`, gzipSync(content, { level: 9 }));
    files++;
    bytes += content.length;
    brotliBytes += brotli.length;
  }
  return { files, bytes, brotliBytes };
}
