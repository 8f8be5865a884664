// mcp/dist/cli.js (ESM for Node), run by bin/memory-weaver-mcp.mjs. See scripts/bundle.mjs.
import { bundle } from '../scripts/bundle.mjs';

await bundle(new URL('.', import.meta.url).pathname, { outfile: 'dist/cli.js', format: 'esm' });
