/**
 * When two customer / organization names mean the same company. Exact matching uses a normalised key;
 * near-duplicates use the similarity of the mapping suggestions (../mapping-help/similarity.ts) over those keys.
 */
import { NameMatcher, prepareName, type PreparedName } from '../mapping-help/similarity.js';

/**
 * Legal-form words dropped from the end of a name ("Initech, Inc." = "Initech"). Only at the end, and never the
 * whole name ("The Company" is "company"), so a word like "Co" in the middle of a name still counts.
 */
const LEGAL_SUFFIXES = new Set([
  'inc', 'incorporated', 'corp', 'corporation', 'co', 'company', 'llc', 'llp', 'lp', 'pllc', 'pc', 'ltd', 'limited',
  'plc', 'gmbh', 'ag', 'sa', 'sarl', 'srl', 'bv', 'nv', 'pty', 'oy', 'ab', 'kg', 'cie',
]);

/**
 * The key two names must share to be the same company: accents folded, case ignored, "&" read as "and",
 * dots and apostrophes removed inside words ("L.L.C." = "LLC", "O'Neil" = "ONeil"), other punctuation and
 * repeated whitespace as one space, a leading "the" and trailing legal forms dropped. Empty for a name with no
 * letters or digits.
 */
export function normaliseCompanyName(name: string): string {
  const words = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/['’.]/g, '')
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
  if (words.length > 1 && words[0] === 'the') words.shift();
  while (words.length > 1 && LEGAL_SUFFIXES.has(words[words.length - 1]!)) words.pop();
  return words.join(' ');
}

/** A normalised name prepared once for comparing with many others. */
export interface ComparableName {
  readonly key: string;
  readonly prepared: PreparedName;
  /** The key without spaces ("blue sky" and "bluesky" are the same company written two ways). */
  readonly compact: string;
  /** The numbers in the name: "Store 12" and "Store 13" are different companies however alike they look. */
  readonly numbers: string;
}

export function comparable(key: string): ComparableName {
  return { key, prepared: prepareName(key), compact: key.replace(/ /g, ''), numbers: (key.match(/\d+/g) ?? []).join(' ') };
}

/** Finds the names among `others` that are near-duplicates of one name (not equal to it: that is a match). */
export class NearDuplicateFinder {
  private readonly matcher: NameMatcher;

  constructor(private readonly name: ComparableName, private readonly threshold: number) {
    this.matcher = new NameMatcher(name.key);
  }

  /** The similarity (threshold to 1) when `other` is a near-duplicate, else 0. */
  score(other: ComparableName): number {
    if (other.key === this.name.key || other.numbers !== this.name.numbers) return 0;
    if (other.compact === this.name.compact) return 1;
    return this.matcher.score(other.prepared, this.threshold);
  }
}
