// sdk/dist/index.js (ESM for Node and browsers). See scripts/bundle.mjs.
import { bundle } from '../scripts/bundle.mjs';

await bundle(new URL('.', import.meta.url).pathname, { outfile: 'dist/index.js', format: 'esm', platform: 'neutral' });
