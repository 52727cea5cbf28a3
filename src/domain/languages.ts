/**
 * The one list of the bot's languages. Everything else derives from it: the
 * language type, the language buttons, the command menus, number and date
 * formats, the reading of which language a message is in, the typed words that
 * leave or step back in a guided flow, the facts file's translated fields and
 * the translator.
 *
 * To add a language: a locale folder locales/<code>/ with every file and key
 * of locales/id/ (test/locales.test.ts checks), a lexicon file in
 * src/domain/lexicons/, one entry here, and the translated fields of the facts
 * file (the facts schema asks for each registered language). The first entry is
 * the default: the language of anyone whose Telegram language is not listed.
 */
import { ENGLISH } from "./lexicons/en.ts";
import { INDONESIAN } from "./lexicons/id.ts";
import type { LanguageLexicon } from "./lexicons/lexicon.ts";

export interface LanguageEntry {
  /** the bot's code, the locale folder's name and the Telegram language_code it answers */
  readonly code: string;
  /** the language's name in itself, on its button */
  readonly name: string;
  readonly flag: string;
  /** Intl locale for numbers ("USD 1.200" in id-ID) */
  readonly numberLocale: string;
  /** Intl locale for dates */
  readonly dateLocale: string;
  /** other Telegram language_codes that mean this language ("in", Indonesian's old code) */
  readonly telegramCodes?: readonly string[];
  readonly lexicon: LanguageLexicon;
}

export const LANGUAGES = [
  { code: "id", name: "Bahasa Indonesia", flag: "🇮🇩", numberLocale: "id-ID", dateLocale: "id-ID", telegramCodes: ["in"], lexicon: INDONESIAN },
  { code: "en", name: "English", flag: "🇬🇧", numberLocale: "en-US", dateLocale: "en-GB", lexicon: ENGLISH },
] as const satisfies readonly LanguageEntry[];
