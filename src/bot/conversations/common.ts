/**
 * What every guided flow shares: one question at a time with buttons, Back and
 * Stop; typed answers understood in both languages; bad input asked again with
 * an example; the language re-read at every step (so /language mid-flow works);
 * idle expiry (FLOW_IDLE_HOURS, measured with deps.now()); and the rule that a
 * flow never swallows what it does not understand: commands, cancel words,
 * menu buttons, locations and edits pass on to the rest of the bot.
 *
 * Conversations are replayed from their stored log on every update, so every
 * side effect and every read of the clock or language goes through
 * `conversation.external` (or the conversation's own API, which is logged too).
 */
import type { Conversation } from "@grammyjs/conversations";
import { InlineKeyboard } from "grammy";
import type { InlineKeyboardMarkup } from "grammy/types";
import { matchWords } from "../../domain/knowledge/matcher.ts";
import { LANGS, type Lang } from "../../domain/lang.ts";
import { type LanguageEntry, LANGUAGES } from "../../domain/languages.ts";
import type { TFunction } from "../../i18n.ts";
import type { BotContext, BotDeps, FlowContext } from "../context.ts";
import { answerFooter } from "../keyboards/menu.ts";

export type FlowConversation = Conversation<BotContext, FlowContext>;

export const FLOW_NAMES = ["passport", "going_home", "family"] as const;
export type FlowName = (typeof FLOW_NAMES)[number];
export const isFlowName = (v: string): v is FlowName => (FLOW_NAMES as readonly string[]).includes(v);

/** Callback data: "fs:<flow>" starts a flow; "fl:<step>:<choice|b>" answers; "fl:x" stops; "fl:r" asks the open question again. */
export const FLOW_CB = {
  start: (flow: FlowName) => `fs:${flow}`,
  stop: "fl:x",
  /** the open question again: Continue, or back to a flow that an urgent message paused */
  resume: "fl:r",
  choice: (step: string, i: number) => `fl:${step}:${i}`,
  back: (step: string) => `fl:${step}:b`,
} as const;

const noop = () => undefined;

/** Lower-case, NFKC, no emoji or punctuation, single spaces. */
export function foldAnswer(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\u200b-\u200f\u2060\ufeff]/g, "")
    .replace(/[^\p{L}\p{N}\s/.-]/gu, " ")
    .replace(/[.]+$/g, "")
    .replace(/\s+/g, " ")
    .trim();
}

/** Typed words that leave any flow (also /cancel, /batal, /stop): every language's, from its lexicon file. */
export const CANCEL_WORDS: ReadonlySet<string> = new Set(LANGUAGES.flatMap((l: LanguageEntry) => l.lexicon.cancel));
/** Typed words that go one step back (every language's). */
export const BACK_WORDS: ReadonlySet<string> = new Set(LANGUAGES.flatMap((l: LanguageEntry) => l.lexicon.back));

export const isCancelText = (text: string) => CANCEL_WORDS.has(foldAnswer(text));

/** A text the topic matcher answers with confidence (not a greeting or thanks). */
export function isClearQuestion(text: string): boolean {
  // The word matcher alone: a flow answer ("ya", "3 bulan") must not look like a question to the statistical reader.
  const m = matchWords(text);
  return m.decision === "answer" && m.topic !== "greeting" && m.topic !== "thanks" && m.topic !== "out_of_scope";
}

export interface Choice<T> {
  value: T;
  /** locale key of the button label */
  label: string;
  /** extra typed words that choose it (both languages; folded) */
  words?: readonly string[];
}

export type TextAnswer<T> = { ok: true; value: T } | { ok: false; hint?: string };

export interface PhotoAnswer {
  file_id: string;
  message_id: number;
}

export interface Step<T> {
  /** stable id, used in callback data */
  id: string;
  question: (t: TFunction, now: number) => string;
  choices?: readonly Choice<T>[];
  /** buttons per row (default 1) */
  columns?: number;
  /** typed answers (besides choice labels, numbers and words) */
  text?: (text: string, now: number, t: TFunction) => TextAnswer<T>;
  photo?: (p: PhotoAnswer) => T;
  location?: (l: { latitude: number; longitude: number }) => T;
  /** what to type, shown when the answer was not understood */
  example: (t: TFunction, now: number) => string;
  /** any text is an answer (a name, a place): a bare cry for help is then not taken as one */
  freeText?: boolean;
}

export type Asked<T> = { back: true } | { back: false; value: T };

type Read<T> = Asked<T> | { retry: string };

/** Where the person is in a flow, as a session records it. */
export interface FlowPosition {
  n: number;
  of: number;
}

/** The flow that is open now, if any (one at a time). */
export function activeFlow(ctx: BotContext): FlowName | undefined {
  return Object.keys(ctx.conversation.active()).find(isFlowName);
}

/**
 * "You are in the going-home guide, question 3 of 5", with Continue (asks the
 * open question again) and Stop: after an answer to a side question, the menu,
 * or a language switch, so the open flow never becomes invisible.
 */
export async function sendFlowReminder(ctx: BotContext): Promise<boolean> {
  const flow = activeFlow(ctx);
  // A flow paused by an urgent message has its own "back to the guide" button.
  if (!flow || ctx.session.flowPaused) return false;
  const at = ctx.session.flowAt?.flow === flow ? ctx.session.flowAt : undefined;
  const name = ctx.t(`flows:name.${flow}`);
  const text = at ? ctx.t("flows:where", { flow: name, n: at.n, of: at.of }) : ctx.t("flows:where_short", { flow: name });
  const kb = new InlineKeyboard().text(ctx.t("flows:continue"), FLOW_CB.resume).text(ctx.t("flows:stop"), FLOW_CB.stop);
  await ctx.reply(text, { reply_markup: kb });
  return true;
}

export function restartKeyboard(t: TFunction, flow: FlowName): InlineKeyboard {
  return answerFooter(t, new InlineKeyboard().text(t("flows:restart"), FLOW_CB.start(flow)));
}

/** Bad answers in a row at one question before the flow hands over to a person or the menu. */
export const MAX_TRIES = 6;

/** Updates one flow takes in all (back and forth included): bounds its replay log. */
export const MAX_UPDATES = 60;

/** Options for sending: no link previews (numbers and sites in texts). */
const SEND = { link_preview_options: { is_disabled: true } } as const;

export class FlowIO {
  private ctx: FlowContext;
  private readonly idleMs: number;
  /** updates this flow has taken so far (replayed identically, so deterministic) */
  private handled = 0;

  constructor(
    readonly conversation: FlowConversation,
    ctx: FlowContext,
    readonly deps: BotDeps,
    readonly flow: FlowName,
  ) {
    this.ctx = ctx;
    this.idleMs = deps.config.FLOW_IDLE_HOURS * 60 * 60 * 1000;
  }

  /** the user's language now (the outside session's, which /language and language-following change) */
  lang(): Promise<Lang> {
    return this.conversation.external((o) => o.lang);
  }

  async t(): Promise<TFunction> {
    return this.deps.translator.t(await this.lang());
  }

  /** deps.now(), logged (tests move the clock) */
  now(): Promise<number> {
    return this.conversation.external(() => this.deps.now());
  }

  /** run a side effect once (database writes, the desk hand-off) */
  external<R>(fn: (outside: BotContext) => R | Promise<R>): Promise<R> {
    return this.conversation.external(fn);
  }

  get chatId(): number {
    return this.ctx.chatId ?? 0;
  }

  async say(text: string, keyboard?: InlineKeyboardMarkup | InlineKeyboard): Promise<void> {
    await this.ctx.reply(text, { ...SEND, ...(keyboard ? { reply_markup: keyboard } : {}) });
  }

  private keyboard<T>(step: Step<T>, t: TFunction, back: boolean): InlineKeyboard {
    const kb = new InlineKeyboard();
    const cols = step.columns ?? 1;
    (step.choices ?? []).forEach((c, i) => {
      kb.text(t(c.label), FLOW_CB.choice(step.id, i));
      if ((i + 1) % cols === 0) kb.row();
    });
    if ((step.choices ?? []).length % cols !== 0) kb.row();
    if (back) kb.text(t("flows:back"), FLOW_CB.back(step.id));
    kb.text(t("flows:stop"), FLOW_CB.stop);
    return kb;
  }

  /**
   * Ask one question and wait for a usable answer. `back` adds a Back button
   * (and accepts "kembali"/"back"). `prefix` goes before the question (an intro
   * or a note). Never returns on expiry or on updates that belong elsewhere.
   */
  async ask<T>(step: Step<T>, options: { back: boolean; prefix?: string; position?: FlowPosition }): Promise<Asked<T>> {
    let t = await this.t();
    let now = await this.now();
    const position = options.position;
    if (position) {
      const flow = this.flow;
      await this.conversation.external((o) => {
        o.session.flowAt = { flow, n: position.n, of: position.of };
      });
    }
    await this.say(`${options.prefix ? `${options.prefix}\n\n` : ""}${step.question(t, now)}`, this.keyboard(step, t, options.back));
    let stamp = now;
    let tries = 0;
    for (;;) {
      const c = await this.conversation.wait();
      if (c.callbackQuery?.data === FLOW_CB.resume) {
        // Continue, or back to the guide after an urgent message: the open question again.
        const paused = await this.conversation.external((o) => {
          const was = o.session.flowPaused === true;
          o.session.flowPaused = false;
          return was;
        });
        await c.answerCallbackQuery().catch(noop);
        await c.editMessageReplyMarkup().catch(noop);
        this.ctx = c;
        t = await this.t();
        now = stamp = await this.now();
        await this.say(`${paused ? `${t("flows:resumed")}\n\n` : ""}${step.question(t, now)}`, this.keyboard(step, t, options.back));
        continue;
      }
      // Paused by an urgent message: everything goes to the rest of the bot (and the case), nothing to the flow.
      if (await this.conversation.external((o) => o.session.flowPaused === true)) await this.conversation.skip({ next: true });
      // the language was switched mid-flow: the open question again, in the new language
      const resume = await this.isResume(c);
      if (!resume) await this.passOnForeign(c);
      now = await this.now();
      if (now - stamp > this.idleMs) await this.expire(c);
      this.ctx = c;
      this.handled++;
      t = await this.t();
      // Bounds the stored replay log (and the cost of each update), whatever the person sends.
      if (this.handled > MAX_UPDATES) return this.stuck(t, true);
      if (resume) {
        // Continue, or the language was switched: the open question again, in the language of now.
        if (c.callbackQuery) {
          await c.answerCallbackQuery().catch(noop);
          await c.editMessageReplyMarkup().catch(noop);
        }
        stamp = now;
        await this.say(step.question(t, now), this.keyboard(step, t, options.back));
        continue;
      }
      const r = await this.read(step, c, t, now, options.back);
      stamp = now;
      if ("retry" in r) {
        // Someone who cannot get past a question needs a person, not the same question again.
        if (++tries >= MAX_TRIES) return this.stuck(t, false);
        await this.say(`${r.retry}\n\n${step.question(t, now)}`, this.keyboard(step, t, options.back));
        continue;
      }
      return r;
    }
  }

  private async stuck(t: TFunction, answerButton: boolean): Promise<never> {
    if (answerButton && this.ctx.callbackQuery) await this.ctx.answerCallbackQuery().catch(noop);
    await this.say(t("flows:too_many_tries"), restartKeyboard(t, this.flow));
    return this.conversation.halt();
  }

  /** An update the language switch handed over (ctx.flowResume). */
  private async isResume(c: FlowContext): Promise<boolean> {
    // Only commands and language buttons can carry the flag: other updates cost no logged call.
    const data = c.callbackQuery?.data;
    if (!c.message?.text?.startsWith("/") && !data?.startsWith("l:")) return false;
    return this.conversation.external((o) => o.flowResume === true);
  }

  /** Updates that are not answers go on to the rest of the bot; the flow keeps waiting. */
  private async passOnForeign(c: FlowContext): Promise<void> {
    const data = c.callbackQuery?.data;
    if (c.callbackQuery) {
      if (data === undefined || !data.startsWith("fl:") || data === FLOW_CB.stop) await this.conversation.skip({ next: true });
      return;
    }
    const msg = c.message;
    if (!msg) await this.conversation.skip({ next: true }); // edits, membership changes
    const text = msg?.text;
    if (text !== undefined && (text.startsWith("/") || isCancelText(text) || this.isUrgentKeyboardText(text))) {
      await this.conversation.skip({ next: true });
    }
  }

  /** The urgent reply's "don't send location" keyboard button is not an answer to a flow question. */
  private isUrgentKeyboardText(text: string): boolean {
    return LANGS.some((lang) => text === this.deps.translator.t(lang)("urgent:no_location"));
  }

  private async expire(c: FlowContext): Promise<never> {
    const t = await this.t();
    const flowButton = c.callbackQuery?.data?.startsWith("fl:") === true;
    if (c.callbackQuery) await c.answerCallbackQuery().catch(noop);
    await c.reply(t("flows:expired", { hours: this.deps.config.FLOW_IDLE_HOURS }), {
      ...SEND,
      reply_markup: restartKeyboard(t, this.flow),
    });
    // Anything but this flow's own button (a question, a menu button, a photo)
    // is still answered by the rest of the bot: nothing is lost.
    return this.conversation.halt({ next: !flowButton });
  }

  private async read<T>(step: Step<T>, c: FlowContext, t: TFunction, now: number, back: boolean): Promise<Read<T>> {
    const example = step.example(t, now);
    const cq = c.callbackQuery;
    if (cq) {
      const [, stepId, what] = (cq.data ?? "").split(":");
      if (stepId !== step.id) {
        await c.answerCallbackQuery().catch(noop);
        return { retry: t("flows:old_step") };
      }
      if (what === "b" && back) {
        await c.answerCallbackQuery().catch(noop);
        await c.editMessageReplyMarkup().catch(noop);
        return { back: true };
      }
      const choice = step.choices?.[Number(what)];
      if (what === undefined || !/^\d+$/.test(what) || !choice) {
        await c.answerCallbackQuery().catch(noop);
        return { retry: t("flows:old_step") };
      }
      await c.answerCallbackQuery().catch(noop);
      await c.editMessageReplyMarkup().catch(noop);
      return { back: false, value: choice.value };
    }
    const msg = c.message;
    if (!msg) return { retry: t("flows:bad_media", { example }) };
    if (msg.text !== undefined) {
      const folded = foldAnswer(msg.text);
      if (back && BACK_WORDS.has(folded)) return { back: true };
      const chosen = this.matchChoice(step, folded);
      if (chosen !== undefined) return { back: false, value: chosen };
      // Triage unsure ("tolong", "please help me"): unless the text answers this question
      // ("3 bulan", a button's word), the rest of the bot asks "are you in danger now?".
      // (The statistical reader's doubts do not interrupt a flow: answers are short and unusual,
      // and an urgent reading still stops the flow at the triage gate.)
      const unsure = await this.conversation.external((o) => o.triage?.level === "unsure" && o.triage.reader !== "model");
      const parsed = step.text?.(msg.text, now, t);
      if (parsed?.ok && !(unsure && step.freeText)) return { back: false, value: parsed.value };
      if (unsure) await this.conversation.skip({ next: true });
      // Not an answer but a clear question ("where is the embassy?", "I want a person"):
      // the rest of the bot answers it, and the flow keeps waiting at this question.
      if (isClearQuestion(msg.text)) await this.conversation.skip({ next: true });
      if (step.text) return { retry: parsed?.ok === false && parsed.hint ? parsed.hint : t("flows:bad_text", { example }) };
      return { retry: t("flows:bad_choice", { example }) };
    }
    // a photo, or an image sent as a file (uncompressed)
    const image = msg.photo?.at(-1) ?? (msg.document?.mime_type?.startsWith("image/") ? msg.document : undefined);
    if (image && step.photo) return { back: false, value: step.photo({ file_id: image.file_id, message_id: msg.message_id }) };
    const loc = msg.location ?? msg.venue?.location;
    if (loc && step.location) return { back: false, value: step.location({ latitude: loc.latitude, longitude: loc.longitude }) };
    if (loc) await this.conversation.skip({ next: true });
    return { retry: t("flows:bad_media", { example }) };
  }

  /**
   * A typed answer that picks a choice: its number, a label (either language) or
   * one of its words, also with the particles of chat Indonesian ("ada kok", "iya kak").
   */
  private matchChoice<T>(step: Step<T>, folded: string): T | undefined {
    const choices = step.choices ?? [];
    if (/^\d{1,2}$/.test(folded)) return choices[Number(folded) - 1]?.value;
    const found = this.matchChoiceText(choices, folded);
    if (found !== NONE) return found as T;
    const bare = withoutParticles(folded);
    if (bare !== folded && bare !== "") {
      const again = this.matchChoiceText(choices, bare);
      if (again !== NONE) return again as T;
    }
    return undefined;
  }

  private matchChoiceText<T>(choices: readonly Choice<T>[], folded: string): T | typeof NONE {
    for (const c of choices) {
      if (c.words?.includes(folded)) return c.value;
      for (const lang of LANGS) {
        if (foldAnswer(this.deps.translator.t(lang)(c.label)) === folded) return c.value;
      }
    }
    return NONE;
  }
}

/** No choice matched (a choice's value may itself be null or undefined). */
const NONE: unique symbol = Symbol("none");

/** Words that only colour a chat answer: "ada kok", "iya kak", "udah dong", "gak ada sih". */
const PARTICLES: ReadonlySet<string> = new Set(LANGUAGES.flatMap((l: LanguageEntry) => l.lexicon.particles ?? []));

export function withoutParticles(folded: string): string {
  return folded
    .split(" ")
    .filter((w) => !PARTICLES.has(w))
    .join(" ");
}

/** One question of a form: which answer it fills, when it is asked, and the step itself. */
export interface FormField<A> {
  key: keyof A & string;
  when?: (a: Partial<A>) => boolean;
  step: (a: Partial<A>) => Step<unknown>;
  /** text before the question, shown when it is reached going forward */
  prefix?: (t: TFunction, a: Partial<A>, lang: Lang) => string | undefined;
}

/**
 * Ask the fields in order (skipping those whose `when` is false); Back goes to
 * the previous question asked. Returns the answers when the last one is given.
 */
export async function runForm<A>(io: FlowIO, fields: readonly FormField<A>[], intro?: string, initial: Partial<A> = {}): Promise<A> {
  const answers: Partial<A> = { ...initial };
  const history: number[] = [];
  const nextIndex = (from: number) => {
    let i = from;
    while (i < fields.length && fields[i]?.when && !fields[i]?.when?.(answers)) i++;
    return i;
  };
  let i = nextIndex(0);
  let first = true;
  while (i < fields.length) {
    const field = fields[i] as FormField<A>;
    const lang = await io.lang();
    const t = io.deps.translator.t(lang);
    const extra = field.prefix?.(t, answers, lang);
    const prefix = [first && intro ? t(intro) : undefined, extra].filter(Boolean).join("\n\n") || undefined;
    first = false;
    const n = history.length + 1;
    let of = n;
    for (let j = i + 1; j < fields.length; j++) if (!fields[j]?.when || fields[j]?.when?.(answers)) of++;
    const r = await io.ask(field.step(answers), { back: history.length > 0, position: { n, of }, ...(prefix ? { prefix } : {}) });
    if (r.back) {
      i = history.pop() ?? i;
      continue;
    }
    (answers as Record<string, unknown>)[field.key] = r.value;
    history.push(i);
    i = nextIndex(i + 1);
  }
  // After going back and choosing differently, drop answers to questions no longer asked.
  for (const f of fields) if (f.when && !f.when(answers)) delete (answers as Record<string, unknown>)[f.key];
  return answers as A;
}

/** Yes/no choices with common typed words. */
export function yesNo(): readonly Choice<boolean>[] {
  return [
    { value: true, label: "flows:yes", words: ["ya", "y", "iya", "yes", "ada", "punya", "sudah", "udah", "yup", "ok", "iyaa"] },
    { value: false, label: "flows:no", words: ["tidak", "tdk", "gak", "ga", "nggak", "enggak", "no", "n", "belum", "blm", "tak", "nope"] },
  ];
}

/** A date a little in the past, written as people write it here (D/MM/YYYY), for examples. */
export function exampleDate(now: number, daysAgo = 45): string {
  const d = new Date(now - daysAgo * 24 * 60 * 60 * 1000);
  return `${d.getUTCDate()}/${String(d.getUTCMonth() + 1).padStart(2, "0")}/${d.getUTCFullYear()}`;
}

/** Trim and cap free text that goes into a report (huge texts, odd Unicode). */
export function cleanFreeText(text: string, max: number): TextAnswer<string> {
  const s = text.normalize("NFKC").replace(/[\u0000-\u0008\u000b-\u001f\u007f\u200b-\u200f\u2060\ufeff]/g, "").replace(/\s+/g, " ").trim();
  if (!/[\p{L}\p{N}]/u.test(s)) return { ok: false };
  if (s.length > max) return { ok: false, hint: "too_long" };
  return { ok: true, value: s };
}
