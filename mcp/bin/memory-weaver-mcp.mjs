#!/usr/bin/env node
// The `memory-weaver-mcp` command. A committed launcher, so that npm links the bin on a clean clone
// before anything is built; the program itself is `dist/cli.js` (`npm run build -w @memory-weaver/mcp`).
import { existsSync } from 'node:fs';

const program = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(program)) {
  process.stderr.write('memory-weaver-mcp is not built: run `npm run build -w @memory-weaver/mcp` first\n');
  process.exit(1);
}
await import(program.href);
