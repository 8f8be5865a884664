import { describe, expect, it } from 'vitest';
import { MAX_QUERY_TERMS, bm25, queryTerms, storedTerms, tokenize } from '../../../functions/src/search/keywords.js';

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

describe('stored and query terms', () => {
  it('stores each distinct term once, in order of appearance', () => {
    expect(storedTerms('dogs chase cats; cats chase dogs')).toEqual(['dog', 'chase', 'cat']);
  });

  it('keeps at most 200 stored terms', () => {
    const text = Array.from({ length: 300 }, (_, i) => `word${i}`).join(' ');
    expect(storedTerms(text)).toHaveLength(200);
  });

  it('asks with the most distinctive (longest) terms first', () => {
    expect(queryTerms('cat caterpillar cat')).toEqual(['caterpillar', 'cat']);
  });

  it("asks with no more terms than Firestore's array-contains-any takes", () => {
    const text = Array.from({ length: 50 }, (_, i) => `term${i}`).join(' ');
    expect(queryTerms(text)).toHaveLength(MAX_QUERY_TERMS);
  });
});

describe('bm25', () => {
  it('scores every document zero when the query or the candidates are empty', () => {
    expect(bm25([], [['cat'], ['dog']])).toEqual([0, 0]);
    expect(bm25(['cat'], [])).toEqual([]);
  });

  it('scores a document without any query term zero', () => {
    expect(bm25(['cat'], [['cat'], ['dog']])[1]).toBe(0);
  });

  it('ranks a document that holds more of the query above one that holds less', () => {
    const [both, one] = bm25(
      ['cat', 'hat'],
      [
        ['cat', 'hat', 'mat'],
        ['cat', 'dog', 'mat'],
      ],
    );
    expect(both).toBeGreaterThan(one ?? Infinity);
  });

  it('weighs a term that few candidates share above a common one', () => {
    const docs = [
      ['rare', 'filler'],
      ['common', 'filler'],
      ['common', 'filler'],
      ['common', 'filler'],
    ];
    const [rare, common] = bm25(['rare', 'common'], docs);
    expect(rare).toBeGreaterThan(common ?? Infinity);
  });

  it('ranks the shorter of two documents with the same matches higher', () => {
    const [short, long] = bm25(
      ['cat'],
      [
        ['cat', 'dog'],
        ['cat', 'dog', 'fish', 'bird', 'cow', 'pig'],
      ],
    );
    expect(short).toBeGreaterThan(long ?? Infinity);
  });

  it('counts a term repeated in the query once', () => {
    const docs = [
      ['cat', 'dog'],
      ['dog', 'fish'],
    ];
    expect(bm25(['cat', 'cat'], docs)).toEqual(bm25(['cat'], docs));
  });

  it('gives a term repeated in a document more weight, with diminishing returns', () => {
    const [once, twice, thrice] = bm25(
      ['cat'],
      [['cat', 'x', 'y'], ['cat', 'cat', 'y'], ['cat', 'cat', 'cat'], ['dog']],
    );
    expect(twice).toBeGreaterThan(once ?? Infinity);
    expect((thrice ?? 0) - (twice ?? 0)).toBeLessThan((twice ?? 0) - (once ?? 0));
  });
});
