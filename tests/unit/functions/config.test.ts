import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../functions/src/config.js';

describe('loadConfig', () => {
  it('runs offline with no environment: no model key, the local embedder', () => {
    const config = loadConfig({});
    expect(config.llm.apiKey).toBeNull();
    expect(config.llm.baseURL).toBeNull();
    expect(config.embedder).toBe('local');
    expect(config.llm.allowedModels).toEqual([config.llm.defaultModel]);
  });

  it.each(['', '   ', '\t\n'])('treats the blank variable %j as unset', (blank) => {
    const config = loadConfig({ OPENAI_API_KEY: blank, MW_DEFAULT_MODEL: blank });
    expect(config.llm.apiKey).toBeNull();
    expect(config.llm.defaultModel).toBe(loadConfig({}).llm.defaultModel);
  });

  it('trims the values it reads', () => {
    expect(loadConfig({ OPENAI_API_KEY: '  sk-test \n' }).llm.apiKey).toBe('sk-test');
  });

  it('always allows the default model, once, beside the listed ones', () => {
    const config = loadConfig({ MW_DEFAULT_MODEL: 'm1', MW_ALLOWED_MODELS: ' m2, m1 ,, m3 ' });
    expect(config.llm.allowedModels).toEqual(['m1', 'm2', 'm3']);
  });

  it('chooses the OpenAI embedder only when asked by name', () => {
    expect(loadConfig({ MW_EMBEDDER: 'openai' }).embedder).toBe('openai');
    expect(loadConfig({ MW_EMBEDDER: 'something-else' }).embedder).toBe('local');
  });
});
