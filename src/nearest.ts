import { closest, distance } from 'fastest-levenshtein';

/**
 * The valid name closest to `word` when it is close enough to be a likely typo (edit distance,
 * case-insensitive, at most a third of the word and at least 2), else undefined. Every "did you
 * mean" in servesim comes from here, so they all agree on what counts as close.
 */
export function nearest(word: string, names: readonly string[]): string | undefined {
  if (names.length === 0) return undefined;
  const near = closest(word, [...names]);
  const limit = Math.max(2, Math.ceil(word.length / 3));
  return distance(word.toLowerCase(), near.toLowerCase()) <= limit ? near : undefined;
}

/** `; did you mean "x"?` when a name is close, else `fallback`. */
export function didYouMean(word: string, names: readonly string[], fallback = ''): string {
  const near = nearest(word, names);
  return near === undefined ? fallback : `; did you mean "${near}"?`;
}
