/**
 * Callback-data codecs. Every button's data is short, versionless text; data
 * from old or unknown buttons decodes to undefined and gets a polite reply.
 */
import { isLang, type Lang } from "../../domain/lang.ts";
import { ANSWERABLE_TOPICS, type TopicId } from "../../domain/knowledge/topics.ts";

export const CB = {
  menu: "m",
  human: "h",
  languagePicker: "lp",
  lang: (l: Lang) => `l:${l}`,
  topic: (t: TopicId) => `t:${t}`,
  forgetAsk: "fa",
  forgetYes: "fy",
  forgetNo: "fn",
  settings: "st",
  /** the danger button: "I am in danger now" */
  sos: "sos",
  /** pass a voice note / audio / video note (message id) to staff */
  passRecording: (messageId: number) => `vr:${messageId}`,
} as const;

/** "vr:123" -> 123 */
export function parseRecording(data: string): number | undefined {
  const m = /^vr:(\d{1,12})$/.exec(data);
  return m ? Number(m[1]) : undefined;
}

export function parseTopic(data: string): TopicId | undefined {
  if (!data.startsWith("t:")) return undefined;
  const t = data.slice(2);
  return (ANSWERABLE_TOPICS as readonly string[]).includes(t) ? (t as TopicId) : undefined;
}

export function parseLang(data: string): Lang | undefined {
  if (!data.startsWith("l:")) return undefined;
  const l = data.slice(2);
  return isLang(l) ? l : undefined;
}
