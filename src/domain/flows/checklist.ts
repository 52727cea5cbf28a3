/**
 * The SPLP (emergency travel document) checklist: from what the person has to
 * what to bring and what is missing, with how to get each missing thing.
 * Pure: no grammY, no SQL, no I/O. Texts live in locales/<lang>/flows.json.
 */

/** The old passport: in hand, only a photo/copy, taken by the employer/compound, or lost. */
export const PASSPORT_STATUSES = ["have", "photo", "taken", "lost"] as const;
export type PassportStatus = (typeof PASSPORT_STATUSES)[number];

/** A document: the original, only a photo/copy of it, or nothing. */
export const DOC_STATUSES = ["original", "photo", "none"] as const;
export type DocStatus = (typeof DOC_STATUSES)[number];

export interface ChecklistAnswers {
  passport: PassportStatus;
  /** KTP (or Indonesian driving licence) */
  ktp: DocStatus;
  /** Kartu Keluarga */
  kk: DocStatus;
  /** birth certificate (or marriage book) */
  birth: DocStatus;
  /** a report of the loss from the local police (only asked when the passport is not in hand) */
  police?: boolean;
  /** passport photos on a light background */
  photos: boolean;
}

export type DocId = "passport" | "ktp" | "kk" | "birth" | "police" | "photos";

export type HowId =
  | "passport_taken"
  | "passport_lost"
  | "ktp_from_family"
  | "kk_from_family"
  | "birth_from_family"
  | "police_report"
  | "photos_studio";

export type NoteId =
  /** the passport is in hand: maybe no SPLP is needed */
  | "passport_in_hand"
  /** nothing proves identity yet: go to the embassy anyway */
  | "no_identity_go_anyway"
  /** photos/copies: keep them on the phone, the embassy may ask for prints */
  | "photos_on_phone"
  /** always: keep copies with family you trust */
  | "backup_copies";

export interface BringItem {
  doc: DocId;
  form: "original" | "photo";
}

export interface MissingItem {
  doc: DocId;
  how: HowId;
}

export interface Checklist {
  bring: BringItem[];
  missing: MissingItem[];
  notes: NoteId[];
}

const FAMILY_HOW: Readonly<Record<"ktp" | "kk" | "birth", HowId>> = {
  ktp: "ktp_from_family",
  kk: "kk_from_family",
  birth: "birth_from_family",
};

export function computeChecklist(a: ChecklistAnswers): Checklist {
  const bring: BringItem[] = [];
  const missing: MissingItem[] = [];
  const notes: NoteId[] = [];

  switch (a.passport) {
    case "have":
      bring.push({ doc: "passport", form: "original" });
      notes.push("passport_in_hand");
      break;
    case "photo":
      bring.push({ doc: "passport", form: "photo" });
      break;
    case "taken":
      missing.push({ doc: "passport", how: "passport_taken" });
      break;
    case "lost":
      missing.push({ doc: "passport", how: "passport_lost" });
      break;
  }

  for (const doc of ["ktp", "kk", "birth"] as const) {
    const s = a[doc];
    if (s === "none") missing.push({ doc, how: FAMILY_HOW[doc] });
    else bring.push({ doc, form: s });
  }

  if (a.passport !== "have") {
    if (a.police) bring.push({ doc: "police", form: "original" });
    else missing.push({ doc: "police", how: "police_report" });
  }

  if (a.photos) bring.push({ doc: "photos", form: "original" });
  else missing.push({ doc: "photos", how: "photos_studio" });

  const identity =
    a.passport === "have" || a.passport === "photo" || a.ktp !== "none" || a.kk !== "none" || a.birth !== "none";
  if (!identity) notes.push("no_identity_go_anyway");
  if (bring.some((b) => b.form === "photo")) notes.push("photos_on_phone");
  notes.push("backup_copies");
  return { bring, missing, notes };
}

/** Validates stored answers (from the database, possibly written by an older version). */
export function isChecklistAnswers(v: unknown): v is ChecklistAnswers {
  if (typeof v !== "object" || v === null) return false;
  const o = v as Record<string, unknown>;
  const doc = (x: unknown) => (DOC_STATUSES as readonly unknown[]).includes(x);
  return (
    (PASSPORT_STATUSES as readonly unknown[]).includes(o.passport) &&
    doc(o.ktp) &&
    doc(o.kk) &&
    doc(o.birth) &&
    (o.police === undefined || typeof o.police === "boolean") &&
    typeof o.photos === "boolean"
  );
}
