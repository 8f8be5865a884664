/** @module bench/run — prints every benchmark's figures. `npm run bench` starts the emulators first. */
import { benchApi } from './api.js';

const sections = [await benchApi()];
console.log(`\n${sections.join('\n\n')}\n`);
process.exit(0);
