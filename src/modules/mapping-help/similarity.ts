/**
 * Name similarity for mapping suggestions, 0 (nothing alike) to 1 (same words). Two well-known measures:
 *  - a soft token overlap (Sørensen–Dice over normalised words, where two words count as the same when their
 *    Jaro-Winkler similarity is at least 0.88 — so "Maintenence" meets "Maintenance" and "Services" meets
 *    "Service"), weighted 0.7: word order and filler words do not matter;
 *  - Jaro-Winkler over the whole normalised names, weighted 0.3: rewards a shared beginning.
 * Written here (about 50 lines) rather than taken from npm: the small maintained packages offer one of these
 * measures each, and the combination is what ranks names like "Net 30" / "Net 30 Days" sensibly.
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
  const aMatched = new Array<boolean>(a.length).fill(false);
  const bMatched = new Array<boolean>(b.length).fill(false);
  let matches = 0;
  for (let i = 0; i < a.length; i++) {
    for (let j = Math.max(0, i - window); j < Math.min(b.length, i + window + 1); j++) {
      if (bMatched[j] || a[i] !== b[j]) continue;
      aMatched[i] = bMatched[j] = true;
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

/** Soft Dice: each word scores its best Jaro-Winkler match on the other side (when ≥ 0.88, else 0). */
function softOverlap(a: readonly string[], b: readonly string[]): number {
  const best = (word: string, others: readonly string[]) => {
    let score = 0;
    for (const other of others) score = Math.max(score, jaroWinkler(word, other));
    return score >= 0.88 ? score : 0;
  };
  let total = 0;
  for (const w of a) total += best(w, b);
  for (const w of b) total += best(w, a);
  return total / (a.length + b.length);
}

/** How alike two names are, 0 to 1 (rounded to 3 decimals). */
export function similarity(a: string, b: string): number {
  const wa = words(a);
  const wb = words(b);
  if (!wa.length || !wb.length) return 0;
  const ja = wa.join(' ');
  const jb = wb.join(' ');
  if (ja === jb) return 1;
  const score = 0.7 * softOverlap(wa, wb) + 0.3 * jaroWinkler(ja, jb);
  return Math.round(score * 1000) / 1000;
}
