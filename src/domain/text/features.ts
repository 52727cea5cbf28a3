/**
 * Features of a message for the statistical readers (triage and topic): words after slang
 * expansion, word pairs, character n-grams (3 to 5) inside each word, a few
 * emoji and punctuation marks, hashed into a fixed number of buckets. The same
 * function serves training (src/cli/train-triage-model.ts) and reading.
 * Pure: no I/O.
 */
import { normalize } from "./normalize.ts";

export const BUCKET_BITS = 16;
export const BUCKETS = 1 << BUCKET_BITS;

/** FNV-1a over UTF-16 code units (32 bits; callers mask it to their number of buckets). */
export function hashOf(feature: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < feature.length; i++) {
    h ^= feature.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Emoji and marks that carry meaning in this help line's messages. */
const MARKS = /🆘|🚨|😭|😢|😰|😱|🙏|😔|💀|🔫|🩸|!{2,}|\?{2,}/gu;

/** Bucket ids of one text's features, each once (buckets: a power of two, default BUCKETS). */
export function featuresOf(text: string, buckets: number = BUCKETS): number[] {
  return [...new Set(rawFeatures(text).map((h) => h & (buckets - 1)))];
}

function rawFeatures(text: string): number[] {
  const n = normalize(text);
  const out: number[] = [];
  const words = n.tokens;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    out.push(hashOf(`w:${w}`));
    if (i + 1 < words.length) out.push(hashOf(`b:${w} ${words[i + 1]!}`));
    const padded = ` ${w} `;
    for (let len = 3; len <= 5; len++) {
      for (let j = 0; j + len <= padded.length; j++) out.push(hashOf(`c:${padded.slice(j, j + len)}`));
    }
  }
  for (const m of text.matchAll(MARKS)) out.push(hashOf(`m:${m[0].slice(0, 2)}`));
  if (words.length <= 3) out.push(hashOf("len:short"));
  out.push(hashOf("bias"));
  return out;
}
