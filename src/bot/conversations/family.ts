/**
 * Family helper: the relationship, then what is needed: to reach the worker,
 * check whether they reported to the embassy, send documents, send money
 * safely, or report danger. For danger: the worker's name, last known
 * location, company or compound, last contact and a photo if available; then,
 * only with consent, an urgent case on the staff desk "from the family member".
 */
import { InlineKeyboard } from "grammy";
import type { TriageResult } from "../../domain/triage/triage.ts";
import type { TFunction } from "../../i18n.ts";
import type { BotDeps, FlowContext } from "../context.ts";
import { NOT_REACHED, type HandoffResult } from "../desk/handoff.ts";
import { handOffUrgent, sendFollowUp } from "../features/urgent.ts";
import { answerFooter } from "../keyboards/menu.ts";
import {
  type Choice,
  cleanFreeText,
  FLOW_CB,
  FlowIO,
  type FlowConversation,
  type FormField,
  type PhotoAnswer,
  runForm,
  type Step,
  type TextAnswer,
} from "./common.ts";
import { choiceStep } from "./passport.ts";

export type Relation = "parent" | "spouse" | "child" | "sibling" | "other";
export type FamilyNeed = "reach" | "check" | "documents" | "money" | "danger";
export interface LastLocation {
  text?: string;
  latitude?: number;
  longitude?: number;
}

export interface FamilyAnswers {
  relation: Relation;
  need: FamilyNeed;
  name?: string;
  location?: LastLocation;
  /** null: "I don't know" */
  company?: string | null;
  contact?: string;
  /** null: no photo */
  photo?: PhotoAnswer | null;
  consent?: boolean;
}

const RELATIONS: readonly Choice<Relation>[] = [
  { value: "parent", label: "flows:family.o_parent", words: ["ibu", "ayah", "bapak", "mama", "papa", "orangtua", "mother", "father", "mum", "mom", "dad"] },
  { value: "spouse", label: "flows:family.o_spouse", words: ["suami", "istri", "isteri", "husband", "wife", "pasangan"] },
  { value: "child", label: "flows:family.o_child", words: ["anak", "son", "daughter", "child"] },
  { value: "sibling", label: "flows:family.o_sibling", words: ["kakak", "adik", "saudara", "brother", "sister", "abang", "mas", "mbak"] },
  { value: "other", label: "flows:family.o_other", words: ["teman", "friend", "sepupu", "paman", "bibi", "om", "tante", "cousin", "uncle", "aunt", "lainnya", "other"] },
];

const NEEDS: readonly Choice<FamilyNeed>[] = [
  { value: "reach", label: "flows:family.o_reach", words: ["hubungi", "menghubungi", "kontak", "reach", "contact"] },
  { value: "check", label: "flows:family.o_check", words: ["lapor", "cek", "check", "reported", "sudah lapor"] },
  { value: "documents", label: "flows:family.o_documents", words: ["dokumen", "documents", "document", "kirim dokumen", "ktp", "kk"] },
  { value: "money", label: "flows:family.o_money", words: ["uang", "money", "kirim uang", "transfer", "duit"] },
  { value: "danger", label: "flows:family.o_danger", words: ["bahaya", "danger", "darurat", "emergency", "lapor bahaya", "report danger"] },
];

const DONT_KNOW: readonly Choice<string | null>[] = [
  { value: null, label: "flows:family.o_dont_know", words: ["tidak tahu", "gak tahu", "ga tau", "gatau", "nggak tahu", "dont know", "don t know", "unknown", "-"] },
];
const NO_PHOTO: readonly Choice<PhotoAnswer | null>[] = [
  { value: null, label: "flows:family.o_no_photo", words: ["tidak", "tidak ada", "no", "none", "gak ada", "ga ada", "no photo", "skip", "lewati"] },
];
const CONSENT: readonly Choice<boolean>[] = [
  { value: true, label: "flows:family.o_consent_yes", words: ["ya", "yes", "kirim", "send", "boleh", "iya", "y", "ok"] },
  { value: false, label: "flows:family.o_consent_no", words: ["tidak", "no", "jangan", "jangan kirim", "gak", "ga", "n"] },
];

function freeText(id: string, question: string, example: string, max: number): Step<string> {
  return {
    id,
    question: (t) => t(question),
    example: (t) => t(example),
    freeText: true,
    text: (text, _now, t): TextAnswer<string> => {
      const r = cleanFreeText(text, max);
      if (r.ok) return r;
      return r.hint === "too_long" ? { ok: false, hint: t("flows:too_long", { example: t(example) }) } : { ok: false };
    },
  };
}

const isDanger = (a: Partial<FamilyAnswers>) => a.need === "danger";

function showLocation(t: TFunction, l: LastLocation | undefined): string {
  if (!l) return t("flows:family.unknown");
  if (l.text) return l.text;
  return t("flows:family.location_shared", { lat: l.latitude, lon: l.longitude });
}

/** The collected details, for the person to check (their language) or for staff (`t` in the staff language). */
function details(t: TFunction, a: Partial<FamilyAnswers>, photo: string) {
  return {
    name: a.name ?? t("flows:family.unknown"),
    location: showLocation(t, a.location),
    company: a.company ?? t("flows:family.unknown"),
    contact: a.contact ?? t("flows:family.unknown"),
    photo,
  };
}

export const FAMILY_FIELDS: readonly FormField<FamilyAnswers>[] = [
  { key: "relation", step: () => choiceStep("fm.relation", "flows:family.q_relation", RELATIONS, "flows:family.ex_relation", 2) },
  { key: "need", step: () => choiceStep("fm.need", "flows:family.q_need", NEEDS, "flows:family.ex_need") },
  { key: "name", when: isDanger, step: () => freeText("fm.name", "flows:family.q_name", "flows:family.ex_name", 120) },
  {
    key: "location",
    when: isDanger,
    step: (): Step<LastLocation> => {
      const base = freeText("fm.location", "flows:family.q_location", "flows:family.ex_location", 400);
      return {
        id: base.id,
        question: base.question,
        example: base.example,
        freeText: true,
        text: (text, now, t) => {
          const r = base.text?.(text, now, t);
          return r?.ok ? { ok: true, value: { text: r.value } } : { ok: false, ...(r?.hint ? { hint: r.hint } : {}) };
        },
        location: (l) => ({ latitude: l.latitude, longitude: l.longitude }),
      };
    },
  },
  {
    key: "company",
    when: isDanger,
    step: (): Step<string | null> => ({
      ...freeText("fm.company", "flows:family.q_company", "flows:family.ex_company", 200),
      choices: DONT_KNOW,
    }),
  },
  { key: "contact", when: isDanger, step: () => freeText("fm.contact", "flows:family.q_contact", "flows:family.ex_contact", 300) },
  {
    key: "photo",
    when: isDanger,
    step: (): Step<PhotoAnswer | null> => ({
      id: "fm.photo",
      question: (t) => t("flows:family.q_photo"),
      example: (t) => t("flows:family.ex_photo"),
      choices: NO_PHOTO,
      photo: (p) => p,
    }),
  },
  {
    key: "consent",
    when: isDanger,
    step: (a): Step<boolean> => ({
      id: "fm.consent",
      question: (t) =>
        t("flows:family.summary", details(t, a, a.photo ? t("flows:family.photo_yes") : t("flows:family.photo_no"))),
      example: (t) => t("flows:family.ex_consent"),
      choices: CONSENT,
      columns: 2,
    }),
  },
];

/** The hand-off text for staff, in the staff language (STAFF_LANGUAGE). */
export function staffReport(deps: BotDeps, a: FamilyAnswers): string {
  const t = deps.translator.t(deps.config.STAFF_LANGUAGE);
  const photo = a.photo
    ? t("flows:family.staff_photo", { message_id: a.photo.message_id, file_id: a.photo.file_id })
    : t("flows:family.photo_no");
  return t("flows:family.staff_report", { relation: t(`flows:family.o_${a.relation}`), ...details(t, a, photo) });
}

export const FAMILY_REPORT: Omit<TriageResult, "matched"> = {
  urgent: true,
  level: "urgent",
  signals: ["family_report"],
  past: false,
};

export function familyFlow(deps: BotDeps) {
  const hasDesk = deps.config.STAFF_CHAT_ID !== undefined;
  // Without a staff group the report's questions are not asked at all.
  const fields = hasDesk ? FAMILY_FIELDS : FAMILY_FIELDS.filter((f) => f.when !== isDanger);
  return async function family(conversation: FlowConversation, ctx: FlowContext): Promise<void> {
    const io = new FlowIO(conversation, ctx, deps, "family");
    const a = await runForm(io, fields, "flows:family.intro");
    if (a.need === "danger" && !hasDesk) {
      // No staff group: nobody would read a report. Say so first, and where to report instead.
      const t = await io.t();
      await io.say(t("flows:family.no_desk"), answerFooter(t));
      return;
    }
    if (a.need !== "danger") {
      const t = await io.t();
      const kb = answerFooter(t, new InlineKeyboard().text(t("flows:family.again"), FLOW_CB.start("family")));
      await io.say(`${t(`flows:family.guide.${a.need}`)}\n\n${t("flows:family.more")}`, kb);
      return;
    }
    if (!a.consent) {
      const t = await io.t();
      await io.say(t("flows:family.not_sent"), answerFooter(t));
      return;
    }
    const text = staffReport(deps, a);
    const matched = ["family_flow:danger", ...(a.photo ? [`photo_message_id:${a.photo.message_id}`, `photo_file_id:${a.photo.file_id}`] : [])];
    // Once, outside the replay: the hand-off, the confirmation, then the desk's own
    // follow-up (may staff write here? staff hours), which must come after it.
    await io.external(async (outside) => {
      // The structured report is the case's text, not the last few typed answers.
      outside.session.recent = [];
      let r: HandoffResult;
      try {
        // The family member agreed to pass the report on and to be written to here.
        r = await handOffUrgent(outside, { signals: FAMILY_REPORT.signals, matched, text, contactConsent: true });
      } catch (err) {
        outside.log.error({ err }, "family danger report: hand-off failed");
        r = NOT_REACHED;
      }
      await outside.reply(outside.t(r.reached ? "flows:family.sent" : "flows:family.not_reached"), {
        reply_markup: answerFooter(outside.t),
        link_preview_options: { is_disabled: true },
      });
      if (r.reached) await sendFollowUp(outside, r);
    });
  };
}
