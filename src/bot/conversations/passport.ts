/**
 * Passport replacement (SPLP): what do you have? → a personal checklist of what
 * to bring, what is missing and how to get it, the fee and where to go. The
 * answers are stored, so /mychecklist shows the checklist again later.
 */
import {
  type ChecklistAnswers,
  computeChecklist,
  type DocStatus,
  type PassportStatus,
} from "../../domain/flows/checklist.ts";
import { InlineKeyboard } from "grammy";
import type { TFunction } from "../../i18n.ts";
import type { BotDeps, FlowContext } from "../context.ts";
import { answerFooter } from "../keyboards/menu.ts";
import {
  type Choice,
  FLOW_CB,
  FlowIO,
  type FlowConversation,
  type FormField,
  runForm,
  type Step,
  yesNo,
} from "./common.ts";

const PASSPORT_CHOICES: readonly Choice<PassportStatus>[] = [
  { value: "have", label: "flows:passport.o_have", words: ["ya", "yes", "ada", "punya", "masih", "masih ada", "y"] },
  { value: "photo", label: "flows:passport.o_photo", words: ["foto", "photo", "copy", "fotokopi", "fotocopy", "scan", "salinan"] },
  {
    value: "taken",
    label: "flows:passport.o_taken",
    words: ["ditahan", "diambil", "disita", "taken", "bos", "boss", "perusahaan", "company", "ditahan bos", "ditahan perusahaan"],
  },
  { value: "lost", label: "flows:passport.o_lost", words: ["hilang", "lost", "tidak", "tidak ada", "no", "gak ada", "ga ada", "nggak", "gak", "ga", "tdk"] },
];

const DOC_CHOICES: readonly Choice<DocStatus>[] = [
  { value: "original", label: "flows:passport.o_original", words: ["ya", "yes", "ada", "punya", "asli", "original", "y", "iya"] },
  { value: "photo", label: "flows:passport.o_doc_photo", words: ["foto", "photo", "copy", "fotokopi", "fotocopy", "scan", "salinan"] },
  { value: "none", label: "flows:passport.o_none", words: ["tidak", "tidak ada", "no", "gak", "ga", "nggak", "gak ada", "ga ada", "tdk", "n", "hilang"] },
];

export const choiceStep = <T>(id: string, q: string, choices: readonly Choice<T>[], ex: string, columns = 1): Step<T> => ({
  id,
  question: (t) => t(q),
  choices,
  columns,
  example: (t) => t(ex),
});

export const PASSPORT_FIELDS: readonly FormField<ChecklistAnswers>[] = [
  { key: "passport", step: () => choiceStep("pp.passport", "flows:passport.q_passport", PASSPORT_CHOICES, "flows:passport.ex_passport") },
  { key: "ktp", step: () => choiceStep("pp.ktp", "flows:passport.q_ktp", DOC_CHOICES, "flows:passport.ex_doc") },
  { key: "kk", step: () => choiceStep("pp.kk", "flows:passport.q_kk", DOC_CHOICES, "flows:passport.ex_doc") },
  { key: "birth", step: () => choiceStep("pp.birth", "flows:passport.q_birth", DOC_CHOICES, "flows:passport.ex_doc") },
  {
    key: "police",
    when: (a) => a.passport !== "have",
    step: () => choiceStep("pp.police", "flows:passport.q_police", yesNo(), "flows:passport.ex_yes_no", 2),
  },
  { key: "photos", step: () => choiceStep("pp.photos", "flows:passport.q_photos", yesNo(), "flows:passport.ex_yes_no", 2) },
];

/** The checklist as text, in the language of `t`. */
export function renderChecklist(t: TFunction, answers: ChecklistAnswers): string {
  const c = computeChecklist(answers);
  const lines: string[] = [t("flows:passport.title"), "", t("flows:passport.bring")];
  if (c.bring.length === 0) lines.push(t("flows:passport.nothing_yet"));
  for (const b of c.bring) {
    lines.push(`✅ ${t(`flows:passport.doc.${b.doc}`)}${b.form === "photo" ? ` ${t("flows:passport.form_photo")}` : ""}`);
  }
  if (c.missing.length > 0) {
    lines.push("", t("flows:passport.missing"));
    for (const m of c.missing) lines.push(`⬜ ${t(`flows:passport.doc.${m.doc}`)}: ${t(`flows:passport.how.${m.how}`)}`);
  }
  lines.push("", ...c.notes.map((n) => t(`flows:passport.note.${n}`)));
  lines.push("", t("flows:passport.where"), "", t("sources:checked"));
  return lines.join("\n");
}

export function passportFlow(deps: BotDeps) {
  return async function passport(conversation: FlowConversation, ctx: FlowContext): Promise<void> {
    const io = new FlowIO(conversation, ctx, deps, "passport");
    const answers = await runForm(io, PASSPORT_FIELDS, "flows:passport.intro");
    const userId = io.chatId;
    await io.external(() => deps.repos.checklists.save(userId, "passport", answers, deps.now()));
    const t = await io.t();
    await io.say(`${renderChecklist(t, answers)}\n\n${t("flows:saved_note")}`, checklistFooter(t));
  };
}

/** After the checklist: the going-home plan next, the menu, a person. */
export function checklistFooter(t: TFunction): InlineKeyboard {
  return answerFooter(t, new InlineKeyboard().text(t("flows:start.going_home"), FLOW_CB.start("going_home")));
}
