// functions/lib/index.js (CommonJS, as the Functions runtime loads it). See scripts/bundle.mjs.
import { bundle } from '../scripts/bundle.mjs';

await bundle(new URL('.', import.meta.url).pathname, { outfile: 'lib/index.js', format: 'cjs' });
