/** Inline keyboards used across features. */
import { InlineKeyboard } from "grammy";
import type { TopicId } from "../../domain/knowledge/topics.ts";
import { type Lang, LANGS } from "../../domain/lang.ts";
import { type LanguageEntry, LANGUAGES } from "../../domain/languages.ts";
import type { TFunction, Translator } from "../../i18n.ts";
import { CB } from "./callbacks.ts";

/** Topics on the main menu, in order. */
export const MENU_TOPICS: readonly TopicId[] = [
  "embassy_contact",
  "passport",
  "return_home",
  "hotlines",
  "lapor_diri",
  "scam_warning",
  "safety",
  "family",
];

/** The danger button: one tap to a person, first on the menu and on every answer. */
export function dangerButton(t: TFunction, kb: InlineKeyboard = new InlineKeyboard()): InlineKeyboard {
  return kb.text(t("urgent:sos_button"), CB.sos);
}

export function mainMenu(t: TFunction): InlineKeyboard {
  const kb = dangerButton(t).row();
  MENU_TOPICS.forEach((topic, i) => {
    kb.text(t(`menu:topic.${topic}`), CB.topic(topic));
    if (i % 2 === 1) kb.row();
  });
  kb.row().text(t("menu:human"), CB.human).text(t("menu:language"), CB.languagePicker);
  kb.row().text(t("menu:settings"), CB.settings);
  return kb;
}

/** The buttons every answer ends with: back to the menu, a person, and the danger button. */
export function answerFooter(t: TFunction, kb: InlineKeyboard = new InlineKeyboard()): InlineKeyboard {
  kb.row().text(t("common:back_to_menu"), CB.menu).text(t("common:talk_to_person"), CB.human);
  return dangerButton(t, kb.row());
}

export function suggestionKeyboard(t: TFunction, topics: readonly TopicId[]): InlineKeyboard {
  const kb = new InlineKeyboard();
  for (const topic of topics) kb.text(t(`menu:topic.${topic}`), CB.topic(topic)).row();
  return answerFooter(t, kb);
}

/** One button per registered language (src/domain/languages.ts), two a row, each in its own name. */
export function languageKeyboard(): InlineKeyboard {
  const kb = new InlineKeyboard();
  LANGUAGES.forEach((l: LanguageEntry, i) => {
    kb.text(`${l.flag} ${l.name}`, CB.lang(l.code as Lang));
    if (i % 2 === 1) kb.row();
  });
  return kb;
}

/** "Pilih bahasa / Choose a language:": the question in every registered language. */
export function languagePrompt(translator: Translator): string {
  return `${[...new Set(LANGS.map((l) => translator.t(l)("language:choose")))].join(" / ")}:`;
}
