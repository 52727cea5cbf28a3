/**
 * i18next over locales/<lang>/<namespace>.json. Every user-facing string goes
 * through here. Facts are interpolated as {{f.fact_id}} (and {{f.fact_id_label}});
 * texts never copy a number, address or fee.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import i18next, { type i18n as I18n, type Resource } from "i18next";
import type { Facts } from "./content/facts.ts";
import { DEFAULT_LANG, LANGS, type Lang } from "./domain/lang.ts";
import { LOCALES_DIR } from "./paths.ts";
import { BoundedMap } from "./domain/bounded-map.ts";

export { LOCALES_DIR };

export type TFunction = (key: string, vars?: Record<string, unknown>) => string;

export interface Translator {
  /** a t() for one language, with the facts interpolated */
  t(lang: Lang): TFunction;
  /** the raw i18next instance (tests) */
  readonly i18n: I18n;
  readonly namespaces: string[];
}

export function loadResources(dir: string = LOCALES_DIR): { resources: Resource; namespaces: string[] } {
  const resources: Resource = {};
  const namespaces = new Set<string>();
  for (const lang of LANGS) {
    const bundle: Record<string, Record<string, unknown>> = {};
    for (const file of readdirSync(join(dir, lang))) {
      if (!file.endsWith(".json")) continue;
      const ns = file.slice(0, -5);
      bundle[ns] = JSON.parse(readFileSync(join(dir, lang, file), "utf8")) as Record<string, unknown>;
      namespaces.add(ns);
    }
    resources[lang] = bundle;
  }
  return { resources, namespaces: [...namespaces].sort() };
}

export function createTranslator(facts: Facts, dir: string = LOCALES_DIR): Translator {
  const { resources, namespaces } = loadResources(dir);
  const i18n = i18next.createInstance();
  void i18n.init({
    resources,
    lng: DEFAULT_LANG,
    fallbackLng: false,
    supportedLngs: [...LANGS],
    ns: namespaces,
    defaultNS: "common",
    initAsync: false,
    returnNull: false,
    interpolation: { escapeValue: false },
    showSupportNotice: false,
  } as Parameters<I18n["init"]>[0]);
  const fixed = new Map<Lang, TFunction>();
  for (const lang of LANGS) {
    const tl = i18n.getFixedT(lang);
    const unverified = tl("common:unverified_note");
    const f = facts.view(lang, unverified);
    // Texts without variables depend only on key and language (facts are fixed at
    // start-up): translate each once. i18next costs ~10 µs a call, and a menu has a dozen.
    const plain = new BoundedMap<string, string>(5_000);
    fixed.set(lang, (key, vars) => {
      if (vars !== undefined) return tl(key, { f, ...vars }) as string;
      let text = plain.get(key);
      if (text === undefined) {
        text = tl(key, { f }) as string;
        plain.set(key, text);
      }
      return text;
    });
  }
  return {
    t: (lang) => fixed.get(lang) ?? (fixed.get(DEFAULT_LANG) as TFunction),
    i18n,
    namespaces,
  };
}
