/**
 * @module bench/run — prints every benchmark's figures. `npm run bench` starts the emulators
 * first. `BENCH_ONLY=api,contention,chat,search,relay,console,mcp,extraction,consolidation,encryption,brain` picks sections.
 */
import { benchApi } from './api.js';
import { benchBrain } from './brain.js';
import { benchChat } from './chat.js';
import { benchConsole } from './console.js';
import { benchConsolidation } from './consolidation.js';
import { benchContention } from './contention.js';
import { benchEncryption } from './encryption.js';
import { benchExtraction } from './extraction.js';
import { benchMcp } from './mcp.js';
import { benchRelay } from './relay.js';
import { benchSearch } from './search.js';
import { retryStaleSockets, staleSocketRetries } from './staleSockets.js';

const sections: Record<string, () => Promise<string>> = {
  api: benchApi,
  contention: benchContention,
  chat: benchChat,
  search: benchSearch,
  relay: benchRelay,
  console: benchConsole,
  mcp: benchMcp,
  consolidation: benchConsolidation,
  extraction: benchExtraction,
  brain: benchBrain,
  encryption: benchEncryption,
};
retryStaleSockets();
const started = performance.now();
const only = process.env.BENCH_ONLY?.split(',') ?? Object.keys(sections);
for (const name of only) {
  const run = sections[name];
  if (!run) throw new Error(`unknown bench section ${name}`);
  console.log(`\n${await run()}\n`);
}
console.log(
  `bench done in ${((performance.now() - started) / 1000).toFixed(0)} s (${only.join(', ')}); ` +
    `requests sent again after a stale keep-alive connection: ${staleSocketRetries()}`,
);
process.exit(0);
