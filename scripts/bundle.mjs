// Bundles a package's src/index.ts with esbuild. Workspace packages (protocol, core) are bundled
// in, because what deploys (functions/, relay/) is uploaded or built from that folder alone; the
// npm dependencies in the package's own package.json stay external and are installed there.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** `dir`: the package folder; `outfile` relative to it. */
export async function bundle(dir, { outfile, format, platform = 'node' }) {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const external = Object.keys(pkg.dependencies ?? {}).flatMap((name) => [name, `${name}/*`]);
  await build({
    entryPoints: [join(dir, 'src/index.ts')],
    outfile: join(dir, outfile),
    bundle: true,
    platform,
    ...(platform === 'neutral' ? { mainFields: ['module', 'main'] } : {}),
    target: 'node20',
    format,
    sourcemap: true,
    external,
    logLevel: 'warning',
  });
}
