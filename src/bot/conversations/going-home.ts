/**
 * Going home: passport or SPLP? visa status and how long the overstay is →
 * the estimated fine (daily rate from the facts file; waivers happen; the
 * embassy confirms) → money for a ticket? → the steps, or shelter and help.
 * The plan is stored, so /mychecklist shows it again later.
 */
import { InlineKeyboard } from "grammy";
import { estimateFine, type OverstayInput, overstayFromStay, parseOverstay } from "../../domain/flows/overstay.ts";
import type { Facts } from "../../content/facts.ts";
import type { TFunction } from "../../i18n.ts";
import type { BotDeps, FlowContext } from "../context.ts";
import { answerFooter } from "../keyboards/menu.ts";
import {
  type Choice,
  exampleDate,
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
  /** since the visa ran out (visa "expired") */
  overstay?: OverstayInput;
  /** the whole stay (visa "unknown") */
  stay?: OverstayInput;
  money: boolean;
}

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

function durationStep(id: string, question: string): Step<OverstayInput> {
  return {
    id,
    question: (t, now) => t(question, { date: exampleDate(now) }),
    example: (t, now) => t("flows:going_home.ex_overstay", { date: exampleDate(now) }),
    text: (text, now, t): TextAnswer<OverstayInput> => {
      const r = parseOverstay(text, now);
      if (r.ok) return r;
      if (r.reason === "future") return { ok: false, hint: t("flows:going_home.bad_future", { date: exampleDate(now) }) };
      if (r.reason === "too_long") return { ok: false, hint: t("flows:going_home.bad_too_long") };
      return { ok: false };
    },
  };
}

/** Overstay days from the answers, and whether they were counted from the whole stay. */
export function overstayDays(a: Partial<GoingHomeAnswers>, facts: Facts): { days: number; fromStay?: number } {
  if (a.visa === "expired" && a.overstay) return { days: a.overstay.days };
  if (a.visa === "unknown" && a.stay) {
    const free = facts.number("visa_free_days") ?? 0;
    return { days: overstayFromStay(a.stay.days, free), fromStay: a.stay.days };
  }
  return { days: 0 };
}

/** The fine part of the plan. */
export function renderFine(t: TFunction, a: Partial<GoingHomeAnswers>, facts: Facts): string {
  if (a.visa === "valid") return t("flows:going_home.fine_none");
  const { days, fromStay } = overstayDays(a, facts);
  const stayNote = fromStay !== undefined ? `\n${t("flows:going_home.fine_from_stay", { stay: fromStay })}` : "";
  if (days === 0) return `${t("flows:going_home.fine_zero")}${stayNote}`;
  const rate = facts.number("overstay_fine_per_day_usd");
  if (rate === undefined) return t("flows:going_home.fine_unknown_rate");
  const fine = estimateFine(days, rate);
  const usd = fine.usd.toLocaleString("en-US");
  return `${t("flows:going_home.fine", { usd, days: fine.days })}${stayNote}\n${t("flows:going_home.waiver")}`;
}

export function renderPlan(t: TFunction, a: GoingHomeAnswers, facts: Facts): string {
  const parts = [t("flows:going_home.title")];
  if (a.document === "neither") parts.push(t("flows:going_home.need_splp"));
  parts.push(renderFine(t, a, facts));
  parts.push(a.money ? t("flows:going_home.steps_yes") : t("flows:going_home.steps_no"));
  return parts.join("\n\n");
}

export const GOING_HOME_FIELDS: readonly FormField<GoingHomeAnswers>[] = [
  {
    key: "document",
    step: () => choiceStep("gh.document", "flows:going_home.q_document", DOCUMENT_CHOICES, "flows:going_home.ex_document"),
  },
  { key: "visa", step: () => choiceStep("gh.visa", "flows:going_home.q_visa", VISA_CHOICES, "flows:going_home.ex_visa") },
  { key: "overstay", when: (a) => a.visa === "expired", step: () => durationStep("gh.overstay", "flows:going_home.q_overstay") },
  { key: "stay", when: (a) => a.visa === "unknown", step: () => durationStep("gh.stay", "flows:going_home.q_arrival") },
  {
    key: "money",
    step: () => choiceStep("gh.money", "flows:going_home.q_money", MONEY_CHOICES, "flows:passport.ex_yes_no", 2),
  },
];

export function goingHomeFlow(deps: BotDeps) {
  // The fine is shown as soon as it is known, before the question about money.
  const fields = GOING_HOME_FIELDS.map((f) =>
    f.key === "money" ? { ...f, prefix: (t: TFunction, a: Partial<GoingHomeAnswers>) => renderFine(t, a, deps.facts) } : f,
  );
  return async function going_home(conversation: FlowConversation, ctx: FlowContext): Promise<void> {
    const io = new FlowIO(conversation, ctx, deps, "going_home");
    const answers = await runForm(io, fields, "flows:going_home.intro");
    // only what the chosen path used
    const plan: GoingHomeAnswers = {
      document: answers.document,
      visa: answers.visa,
      money: answers.money,
      ...(answers.visa === "expired" && answers.overstay ? { overstay: answers.overstay } : {}),
      ...(answers.visa === "unknown" && answers.stay ? { stay: answers.stay } : {}),
    };
    const userId = io.chatId;
    await io.external(() => deps.repos.checklists.save(userId, "going_home", plan, deps.now()));
    const t = await io.t();
    await io.say(`${renderPlan(t, plan, deps.facts)}\n\n${t("flows:saved_note")}`, planFooter(t, plan));
  };
}

export function planFooter(t: TFunction, plan: GoingHomeAnswers): InlineKeyboard {
  const kb = new InlineKeyboard();
  if (plan.document === "neither") kb.text(t("flows:start.passport"), FLOW_CB.start("passport")).row();
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
