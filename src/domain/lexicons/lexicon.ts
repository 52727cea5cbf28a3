/**
 * What the bot knows about one language's words, for reading short chat messages.
 * Pure data; one file per language, named in the language registry (src/domain/languages.ts).
 */
export interface LanguageLexicon {
  /**
   * Common words of the language as people write them in chat (after normalize():
   * slang expanded). A message's language is the one whose words it uses most.
   * Words both languages use ("ok", "kbri") belong in the neutral list of
   * src/domain/knowledge/language.ts instead.
   */
  words: readonly string[];
  /** a token that ends in one of these, with a word before it, counts as that word ("messages" -> "message") */
  suffixes?: readonly string[];
  /** a pattern of words of this language that are not in `words` (affixes): half a vote */
  affix?: RegExp;
  /** when several languages' affix patterns fit a word, the highest priority wins (default 0) */
  affixPriority?: number;
  /** typed words (folded) that leave a guided flow ("batal") */
  cancel: readonly string[];
  /** typed words (folded) that go one question back ("kembali") */
  back: readonly string[];
  /** chat particles dropped from a typed answer before it is read again ("ada kok" -> "ada") */
  particles?: readonly string[];
}
