/** @module settings — the proxy's settings from the environment; a blank variable counts as unset. */
import { MCP_AI_HEADER } from '@memory-weaver/protocol';

export interface Settings {
  endpoint: URL;
  headers: Record<string, string>;
}

const value = (env: NodeJS.ProcessEnv, name: string): string | undefined => {
  const v = env[name]?.trim();
  return v === '' ? undefined : v;
};

/** The settings, or a sentence saying what is missing. */
export function readSettings(env: NodeJS.ProcessEnv): Settings | string {
  const url = value(env, 'MEMORY_WEAVER_URL');
  const key = value(env, 'MEMORY_WEAVER_API_KEY');
  if (!url || !key) {
    return "set MEMORY_WEAVER_URL (the API, e.g. http://127.0.0.1:5000) and MEMORY_WEAVER_API_KEY (the AI's API key)";
  }
  let endpoint: URL;
  try {
    endpoint = new URL('/mcp', url);
  } catch {
    return 'MEMORY_WEAVER_URL is not a URL (e.g. http://127.0.0.1:5000)';
  }
  const ai = value(env, 'MEMORY_WEAVER_AI');
  return {
    endpoint,
    headers: { authorization: `Bearer ${key}`, ...(ai ? { [MCP_AI_HEADER]: ai } : {}) },
  };
}
