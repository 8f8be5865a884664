import { describe, expect, it } from 'vitest';
import { estimateTokens } from '../../../functions/src/chat/tokens.js';

describe('estimateTokens', () => {
  it.each([
    ['', 0],
    ['a', 1],
    ['abcd', 1],
    ['abcde', 2],
    ['x'.repeat(4_000), 1_000],
  ])('estimates %j as %i tokens (four characters a token, rounded up)', (text, tokens) => {
    expect(estimateTokens(text)).toBe(tokens);
  });
});
