/**
 * @module chat/tokens — a token estimate: about four characters a token for English text. No
 * tokenizer ships offline for every model, and budgets need only to be kept, not to be exact.
 */
export const estimateTokens = (text: string): number => Math.ceil(text.length / 4);
