/**
 * Going home: passport or SPLP? visa status and how long the overstay is →
 * the estimated fine (daily rate from the facts file; waivers happen; the
 * embassy confirms) → money for a ticket? → the steps, or shelter and help.
 * The plan is stored, so /mychecklist shows it again later.
 */
import { InlineKeyboard } from "grammy";
import { estimateFine, type OverstayInput, overstayFromStay, parseOverstay } from "../../domain/flows/overstay.ts";
import type { Facts } from "../../content/facts.ts";
import { formatNumber } from "../../domain/format.ts";
import type { Lang } from "../../domain/lang.ts";
import type { TFunction } from "../../i18n.ts";
import type { BotDeps, FlowContext } from "../context.ts";
import { answerFooter } from "../keyboards/menu.ts";
import {
  type Choice,
  exampleDate,
  foldAnswer,
  FLOW_CB,
  FlowIO,
  type FlowConversation,
  type FormField,
  runForm,
  type Step,
  type TextAnswer,
} from "./common.ts";
import { choiceStep } from "./passport.ts";

export type TravelDocument = "passport" | "splp" | "neither";
export type VisaStatus = "valid" | "expired" | "unknown";

export interface GoingHomeAnswers {
  document: TravelDocument;
  visa: VisaStatus;
  /** since the visa ran out (visa "expired"); absent: not known */
  overstay?: OverstayInput;
  /** the whole stay (visa "unknown", or the overstay not known); absent: not known */
  stay?: OverstayInput;
  money: boolean;
}

/** The answers while the form runs: null is "I don't know" at a duration question. */
type GoingHomeForm = Omit<GoingHomeAnswers, "overstay" | "stay"> & { overstay: OverstayInput | null; stay: OverstayInput | null };

const DOCUMENT_CHOICES: readonly Choice<TravelDocument>[] = [
  { value: "passport", label: "flows:going_home.o_passport", words: ["paspor", "passport", "pasport"] },
  { value: "splp", label: "flows:going_home.o_splp", words: ["splp", "spl"] },
  { value: "neither", label: "flows:going_home.o_neither", words: ["belum", "tidak", "tidak ada", "no", "none", "neither", "gak ada", "ga ada"] },
];

const VISA_CHOICES: readonly Choice<VisaStatus>[] = [
  { value: "valid", label: "flows:going_home.o_valid", words: ["berlaku", "masih", "valid", "yes", "ya", "masih berlaku"] },
  {
    value: "expired",
    label: "flows:going_home.o_expired",
    words: ["habis", "sudah habis", "expired", "mati", "overstay", "run out", "tidak", "no", "lewat"],
  },
  { value: "unknown", label: "flows:going_home.o_unknown", words: ["tidak tahu", "gak tahu", "ga tau", "gatau", "nggak tahu", "dont know", "don t know", "unknown", "?"] },
];

const MONEY_CHOICES: readonly Choice<boolean>[] = [
  { value: true, label: "flows:going_home.o_money_yes", words: ["ya", "yes", "ada", "punya", "iya", "y", "bisa"] },
  { value: false, label: "flows:going_home.o_money_no", words: ["tidak", "no", "gak", "ga", "nggak", "belum", "tidak ada", "gak ada", "n"] },
];

const DONT_KNOW: readonly Choice<null>[] = [
  {
    value: null,
    label: "flows:going_home.o_dont_know",
    words: ["tidak tahu", "gak tahu", "ga tau", "gatau", "nggak tahu", "gak tau", "tdk tau", "dont know", "don t know", "unknown", "lupa", "forgot", "?"],
  },
];

/** "udh lama bgt", "lama banget", "a long time", "gak ingat": no number, but an answer: not known. */
const VAGUE = /\b(lama|lamaa+|long time|ages|lupa|forgot|forget|gak ingat|ga ingat|nggak ingat|tidak ingat|gak inget|ga inget|lupa tanggal)\b/;

function durationStep(id: string, question: string): Step<OverstayInput | null> {
  return {
    id,
    question: (t, now) => t(question, { date: exampleDate(now) }),
    choices: DONT_KNOW,
    example: (t, now) => t("flows:going_home.ex_overstay", { date: exampleDate(now) }),
    text: (text, now, t): TextAnswer<OverstayInput | null> => {
      const r = parseOverstay(text, now);
      if (r.ok) return r;
      if (r.reason === "not_understood" && VAGUE.test(foldAnswer(text)) && !/\d/.test(text)) return { ok: true, value: null };
      if (r.reason === "future") return { ok: false, hint: t("flows:going_home.bad_future", { date: exampleDate(now) }) };
      if (r.reason === "too_long") return { ok: false, hint: t("flows:going_home.bad_too_long") };
      return { ok: false };
    },
  };
}

/** Overstay days from the answers, whether they were counted from the whole stay; undefined: not known. */
export function overstayDays(a: Partial<GoingHomeAnswers>, facts: Facts): { days: number; fromStay?: number } | undefined {
  if (a.visa === "valid") return { days: 0 };
  if (a.visa === "expired" && a.overstay) return { days: a.overstay.days };
  if (a.stay) {
    const free = facts.number("visa_free_days") ?? 0;
    return { days: overstayFromStay(a.stay.days, free), fromStay: a.stay.days };
  }
  return undefined;
}

/** The fine part of the plan, numbers written for `lang`. */
export function renderFine(t: TFunction, lang: Lang, a: Partial<GoingHomeAnswers>, facts: Facts): string {
  if (a.visa === "valid") return t("flows:going_home.fine_none");
  const rate = facts.number("overstay_fine_per_day_usd");
  const known = overstayDays(a, facts);
  if (!known) {
    return rate === undefined ? t("flows:going_home.fine_unknown_rate") : `${t("flows:going_home.fine_unknown_days")}\n${t("flows:going_home.waiver")}`;
  }
  const { days, fromStay } = known;
  const stayNote = fromStay !== undefined ? `\n${t("flows:going_home.fine_from_stay", { stay: formatNumber(lang, fromStay) })}` : "";
  if (days === 0) return `${t("flows:going_home.fine_zero")}${stayNote}`;
  if (rate === undefined) return t("flows:going_home.fine_unknown_rate");
  const fine = estimateFine(days, rate);
  return `${t("flows:going_home.fine", { usd: formatNumber(lang, fine.usd), days: formatNumber(lang, fine.days) })}${stayNote}\n${t("flows:going_home.waiver")}`;
}

export interface PlanOptions {
  /** an SPLP checklist was already made: point to it, not to /passport */
  hasChecklist?: boolean;
}

export function renderPlan(t: TFunction, lang: Lang, a: GoingHomeAnswers, facts: Facts, options: PlanOptions = {}): string {
  const parts = [t("flows:going_home.title")];
  if (a.document === "neither") parts.push(t(options.hasChecklist ? "flows:going_home.need_splp_made" : "flows:going_home.need_splp"));
  parts.push(renderFine(t, lang, a, facts));
  parts.push(a.money ? t("flows:going_home.steps_yes") : t("flows:going_home.steps_no"));
  parts.push(t("sources:checked"));
  return parts.join("\n\n");
}

export const GOING_HOME_FIELDS: readonly FormField<GoingHomeForm>[] = [
  {
    key: "document",
    step: () => choiceStep("gh.document", "flows:going_home.q_document", DOCUMENT_CHOICES, "flows:going_home.ex_document"),
  },
  { key: "visa", step: () => choiceStep("gh.visa", "flows:going_home.q_visa", VISA_CHOICES, "flows:going_home.ex_visa") },
  { key: "overstay", when: (a) => a.visa === "expired", step: () => durationStep("gh.overstay", "flows:going_home.q_overstay") },
  {
    key: "stay",
    // Not knowing the visa, or not knowing since when it ran out: count from the arrival.
    when: (a) => a.visa === "unknown" || (a.visa === "expired" && a.overstay === null),
    step: () => durationStep("gh.stay", "flows:going_home.q_arrival"),
  },
  {
    key: "money",
    step: () => choiceStep("gh.money", "flows:going_home.q_money", MONEY_CHOICES, "flows:passport.ex_yes_no", 2),
  },
];

/** The stored plan: only what the chosen path used, "don't know" left out. */
export function toPlan(a: GoingHomeForm): GoingHomeAnswers {
  return {
    document: a.document,
    visa: a.visa,
    money: a.money,
    ...(a.visa === "expired" && a.overstay ? { overstay: a.overstay } : {}),
    ...(a.visa !== "valid" && a.stay ? { stay: a.stay } : {}),
  };
}

export function goingHomeFlow(deps: BotDeps) {
  // The fine is shown as soon as it is known, before the question about money.
  const fields = GOING_HOME_FIELDS.map((f) =>
    f.key === "money"
      ? { ...f, prefix: (t: TFunction, a: Partial<GoingHomeForm>, lang: Lang) => renderFine(t, lang, toPlan({ money: false, overstay: null, stay: null, ...a } as GoingHomeForm), deps.facts) }
      : f,
  );
  return async function going_home(conversation: FlowConversation, ctx: FlowContext): Promise<void> {
    const io = new FlowIO(conversation, ctx, deps, "going_home");
    const plan = toPlan(await runForm(io, fields, "flows:going_home.intro"));
    const userId = io.chatId;
    const hasChecklist = await io.external(async () => {
      await deps.repos.checklists.save(userId, "going_home", plan, deps.now());
      return (await deps.repos.checklists.list(userId)).some((s) => s.kind === "passport");
    });
    const lang = await io.lang();
    const t = deps.translator.t(lang);
    await io.say(`${renderPlan(t, lang, plan, deps.facts, { hasChecklist })}\n\n${t("flows:saved_note")}`, planFooter(t, plan, { hasChecklist }));
  };
}

export function planFooter(t: TFunction, plan: GoingHomeAnswers, options: PlanOptions = {}): InlineKeyboard {
  const kb = new InlineKeyboard();
  if (plan.document === "neither" && !options.hasChecklist) kb.text(t("flows:start.passport"), FLOW_CB.start("passport")).row();
  return answerFooter(t, kb);
}

export function isGoingHomeAnswers(v: unknown): v is GoingHomeAnswers {
  if (typeof v !== "object" || v === null) return false;
  const o = v as Record<string, unknown>;
  const dur = (x: unknown) => x === undefined || (typeof x === "object" && x !== null && typeof (x as { days?: unknown }).days === "number");
  return (
    ["passport", "splp", "neither"].includes(o.document as string) &&
    ["valid", "expired", "unknown"].includes(o.visa as string) &&
    typeof o.money === "boolean" &&
    dur(o.overstay) &&
    dur(o.stay)
  );
}
