import { describe, expect, it } from "vitest";
import { type ChecklistAnswers, computeChecklist, isChecklistAnswers } from "../../../src/domain/flows/checklist.ts";

const all: ChecklistAnswers = { passport: "photo", ktp: "original", kk: "photo", birth: "original", police: true, photos: true };

describe("computeChecklist", () => {
  it("brings everything the person has, in the form they have it", () => {
    const c = computeChecklist(all);
    expect(c.bring).toEqual([
      { doc: "passport", form: "photo" },
      { doc: "ktp", form: "original" },
      { doc: "kk", form: "photo" },
      { doc: "birth", form: "original" },
      { doc: "police", form: "original" },
      { doc: "photos", form: "original" },
    ]);
    expect(c.missing).toEqual([]);
    expect(c.notes).toEqual(["photos_on_phone", "backup_copies"]);
  });

  it("lists each missing thing with how to get it", () => {
    const c = computeChecklist({ passport: "taken", ktp: "none", kk: "none", birth: "photo", police: false, photos: false });
    expect(c.missing).toEqual([
      { doc: "passport", how: "passport_taken" },
      { doc: "ktp", how: "ktp_from_family" },
      { doc: "kk", how: "kk_from_family" },
      { doc: "police", how: "police_report" },
      { doc: "photos", how: "photos_studio" },
    ]);
    expect(c.bring).toEqual([{ doc: "birth", form: "photo" }]);
    expect(c.notes).not.toContain("no_identity_go_anyway");
  });

  it("with nothing at all, says to go to the embassy anyway", () => {
    const c = computeChecklist({ passport: "lost", ktp: "none", kk: "none", birth: "none", police: false, photos: false });
    expect(c.bring).toEqual([]);
    expect(c.notes).toContain("no_identity_go_anyway");
    expect(c.missing.map((m) => m.how)).toContain("passport_lost");
  });

  it("with the passport in hand, no police report is asked for and the note says an SPLP may not be needed", () => {
    const c = computeChecklist({ passport: "have", ktp: "original", kk: "none", birth: "none", photos: true });
    expect(c.notes).toContain("passport_in_hand");
    expect(c.missing.map((m) => m.doc)).not.toContain("police");
    expect(c.bring.map((b) => b.doc)).not.toContain("police");
    expect(c.notes).not.toContain("photos_on_phone");
  });
});

describe("isChecklistAnswers", () => {
  it("accepts valid answers and refuses anything else", () => {
    expect(isChecklistAnswers(all)).toBe(true);
    expect(isChecklistAnswers({ ...all, police: undefined })).toBe(true);
    expect(isChecklistAnswers({ ...all, passport: "stolen" })).toBe(false);
    expect(isChecklistAnswers({ ...all, photos: "yes" })).toBe(false);
    expect(isChecklistAnswers(null)).toBe(false);
    expect(isChecklistAnswers("x")).toBe(false);
  });
});
