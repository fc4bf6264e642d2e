import { describe, expect, it } from 'vitest';
import { rankChanges, rankFeatures } from './rank-changes.js';

describe('rankFeatures', () => {
  it('ranks by mean |attribution|, highest first, equal values by name whatever the listed order', () => {
    const listed = [
      { feature: 'b', value: 0.2 },
      { feature: 'c', value: 0.5 },
      { feature: 'a', value: 0.2 },
    ];
    const expected = [
      { feature: 'c', value: 0.5, rank: 1 },
      { feature: 'a', value: 0.2, rank: 2 },
      { feature: 'b', value: 0.2, rank: 3 },
    ];
    expect(rankFeatures(listed)).toEqual(expected);
    expect(rankFeatures([...listed].reverse())).toEqual(expected);
  });
});

describe('rankChanges', () => {
  it('marks gained, lost, unchanged, added and removed features', () => {
    const changes = rankChanges(
      [
        { feature: 'x', value: 3 },
        { feature: 'y', value: 2 },
        { feature: 'gone', value: 1.5 },
        { feature: 'z', value: 1 },
      ],
      [
        { feature: 'y', value: 3 },
        { feature: 'x', value: 2 },
        { feature: 'z', value: 1 },
        { feature: 'new', value: 0.5 },
      ],
    );
    expect(changes.map((c) => [c.feature, c.movement, c.places])).toEqual([
      ['y', 'gained', 1],
      ['x', 'lost', -1],
      ['z', 'gained', 1],
      ['new', 'added', 0],
      ['gone', 'removed', 0],
    ]);
  });
});
