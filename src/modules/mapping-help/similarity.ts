/**
 * Name similarity for mapping suggestions, 0 (nothing alike) to 1 (same words). Two well-known measures:
 *  - a soft token overlap (Sørensen–Dice over normalised words, where two words count as the same when their
 *    Jaro-Winkler similarity is at least 0.88 — so "Maintenence" meets "Maintenance" and "Services" meets
 *    "Service"), weighted 0.7: word order and filler words do not matter;
 *  - Jaro-Winkler over the whole normalised names, weighted 0.3: rewards a shared beginning.
 * Written here (about 60 lines) rather than taken from npm: the small maintained packages offer one of these
 * measures each, the combination is what ranks names like "Net 30" / "Net 30 Days" sensibly, and matching one
 * name against a whole list needs the per-word caching of {@link NameMatcher} (300 values × 3,000 items in
 * about 2 s on one core instead of 50 s); adding a dependency is also outside this module's reach.
 */

const FILLER = new Set(['a', 'an', 'and', 'the', 'of', 'for', 'to', 'in', 'on', 'per', 'with']);

/** Lower-case ASCII words of a name (accents folded, punctuation and filler words dropped). */
export function words(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0 && !FILLER.has(w));
}

/** Jaro-Winkler similarity (prefix scale 0.1, up to 4 characters). */
export function jaroWinkler(a: string, b: string): number {
  if (a === b) return 1;
  if (!a.length || !b.length) return 0;
  const window = Math.max(0, Math.floor(Math.max(a.length, b.length) / 2) - 1);
  const aMatched = new Uint8Array(a.length);
  const bMatched = new Uint8Array(b.length);
  let matches = 0;
  for (let i = 0; i < a.length; i++) {
    for (let j = Math.max(0, i - window); j < Math.min(b.length, i + window + 1); j++) {
      if (bMatched[j] || a[i] !== b[j]) continue;
      aMatched[i] = bMatched[j] = 1;
      matches++;
      break;
    }
  }
  if (matches === 0) return 0;
  let transpositions = 0;
  for (let i = 0, j = 0; i < a.length; i++) {
    if (!aMatched[i]) continue;
    while (!bMatched[j]) j++;
    if (a[i] !== b[j++]) transpositions++;
  }
  const jaro = (matches / a.length + matches / b.length + (matches - transpositions / 2) / matches) / 3;
  let prefix = 0;
  while (prefix < Math.min(4, a.length, b.length) && a[prefix] === b[prefix]) prefix++;
  return jaro + prefix * 0.1 * (1 - jaro);
}

const SAME_WORD = 0.88;
const TOKEN_WEIGHT = 0.7;

/** Soft Dice: each word scores its best Jaro-Winkler match on the other side (when ≥ 0.88, else 0). */
function softOverlap(a: readonly string[], b: readonly string[], jw: (x: string, y: string) => number = jaroWinkler): number {
  let total = 0;
  for (const w of a) {
    let best = 0;
    for (const other of b) best = Math.max(best, jw(w, other));
    if (best >= SAME_WORD) total += best;
  }
  for (const w of b) {
    let best = 0;
    for (const other of a) best = Math.max(best, jw(other, w));
    if (best >= SAME_WORD) total += best;
  }
  return total / (a.length + b.length);
}

/** A name split into words once, for comparing against many others. */
export interface PreparedName {
  readonly words: readonly string[];
  readonly joined: string;
}

export function prepareName(text: string): PreparedName {
  const w = words(text);
  return { words: w, joined: w.join(' ') };
}

function combine(soft: number, whole: number): number {
  return Math.round((TOKEN_WEIGHT * soft + (1 - TOKEN_WEIGHT) * whole) * 1000) / 1000;
}

/** How alike two names are, 0 to 1 (rounded to 3 decimals). */
export function similarity(a: string, b: string): number {
  const pa = prepareName(a);
  const pb = prepareName(b);
  if (!pa.words.length || !pb.words.length) return 0;
  if (pa.joined === pb.joined) return 1;
  return combine(softOverlap(pa.words, pb.words), jaroWinkler(pa.joined, pb.joined));
}

/**
 * One name compared with many (a value against a whole QuickBooks list): each distinct word of the others is
 * compared with the name's words once, and names that cannot reach `minScore` skip the whole-name comparison.
 * Same scores as {@link similarity}.
 */
export class NameMatcher {
  private readonly source: PreparedName;
  /** Per other word: its Jaro-Winkler similarity with each source word, then (last) the best of them. */
  private readonly wordScores = new Map<string, Float64Array>();

  constructor(name: string) {
    this.source = prepareName(name);
  }

  /** The similarity, or 0 when it is below `minScore`. */
  score(other: PreparedName, minScore = 0): number {
    const { source } = this;
    const n = source.words.length;
    if (!n || !other.words.length) return 0;
    if (source.joined === other.joined) return 1;
    const forward = new Float64Array(n);
    let total = 0;
    for (const word of other.words) {
      const scores = this.scoresOf(word);
      for (let i = 0; i < n; i++) if (scores[i]! > forward[i]!) forward[i] = scores[i]!;
      if (scores[n]! >= SAME_WORD) total += scores[n]!;
    }
    for (let i = 0; i < n; i++) if (forward[i]! >= SAME_WORD) total += forward[i]!;
    const soft = total / (n + other.words.length);
    if (TOKEN_WEIGHT * soft + (1 - TOKEN_WEIGHT) < minScore) return 0;
    const score = combine(soft, jaroWinkler(source.joined, other.joined));
    return score >= minScore ? score : 0;
  }

  private scoresOf(word: string): Float64Array {
    let scores = this.wordScores.get(word);
    if (!scores) {
      const n = this.source.words.length;
      scores = new Float64Array(n + 1);
      for (let i = 0; i < n; i++) {
        scores[i] = jaroWinkler(this.source.words[i]!, word);
        if (scores[i]! > scores[n]!) scores[n] = scores[i]!;
      }
      this.wordScores.set(word, scores);
    }
    return scores;
  }
}
