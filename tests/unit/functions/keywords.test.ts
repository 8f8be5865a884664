import { describe, expect, it } from 'vitest';
import { tokenize } from '../../../functions/src/search/keywords.js';

describe('tokenize', () => {
  it('lower-cases words and drops stopwords and one-character words', () => {
    expect(tokenize('The Cat sat on a Mat, I think')).toEqual(['cat', 'sat', 'mat', 'think']);
  });

  it('keeps numbers as terms', () => {
    expect(tokenize('room 42')).toEqual(['room', '42']);
  });

  it.each([
    ['walks', 'walk'],
    ['walked', 'walk'],
    ['walking', 'walk'],
    ['studies', 'study'],
    ['class', 'class'],
    ['bus', 'bus'],
    ['red', 'red'],
    ['sing', 'sing'],
  ])('stems %j to %j', (word, stem) => {
    expect(tokenize(word)).toEqual([stem]);
  });

  it('matches a word with a final accent to its unaccented spelling', () => {
    expect(tokenize('Café')).toEqual(tokenize('cafe'));
  });

  it('finds no terms in punctuation or stopwords alone', () => {
    expect(tokenize('... and the, of!')).toEqual([]);
  });
});
