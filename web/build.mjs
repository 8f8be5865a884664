// Placeholder build until the console lands: copies web/public to web/dist.
import { cpSync } from 'node:fs';
cpSync(new URL('./public', import.meta.url).pathname, new URL('./dist', import.meta.url).pathname, { recursive: true });
