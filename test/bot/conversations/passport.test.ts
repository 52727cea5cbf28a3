import { afterEach, describe, expect, it } from "vitest";
import { MAX_TRIES, MAX_UPDATES } from "../../../src/bot/conversations/common.ts";
import { createTestBot, type TestBot, USER_ID } from "../../helpers/bot.ts";
import { DB_KINDS } from "../../helpers/databases.ts";
import { all, fresh, HOUR, LANGS, last, locationUpdate, stickerUpdate, tr } from "./flow-helpers.ts";

let tb: TestBot | undefined;
afterEach(async () => {
  await tb?.close();
  tb = undefined;
});

const P = (step: string, i: number | "b") => `fl:pp.${step}:${i}`;

describe.each(LANGS)("passport (SPLP) checklist, %s", (lang) => {
  const u = { language_code: lang };

  it("asks one question at a time and ends with a personal checklist that /mychecklist shows again", async () => {
    tb = await createTestBot();
    const t = tr(tb, lang);
    const [first] = await fresh(tb, () => tb!.send("/passport", u));
    expect(first).toContain(t("flows:passport.intro"));
    expect(first).toContain(t("flows:passport.q_passport"));
    expect(tb.lastButtons()).toEqual([P("passport", 0), P("passport", 1), P("passport", 2), P("passport", 3), "fl:x"]);

    await tb.press(P("passport", 2), u); // taken by the company
    expect(last(tb)).toBe(t("flows:passport.q_ktp"));
    expect(tb.lastButtons()).toContain(P("ktp", "b"));
    await tb.press(P("ktp", 1), u); // photo
    await tb.send(lang === "id" ? "tidak" : "no", u); // KK: typed
    await tb.press(P("birth", 0), u); // original
    expect(last(tb)).toBe(t("flows:passport.q_police"));
    await tb.press(P("police", 1), u); // no
    const replies = await fresh(tb, () => tb!.press(P("photos", 1), u)); // no
    const checklist = replies.at(-1) ?? "";
    expect(checklist).toContain(t("flows:passport.title"));
    expect(checklist).toContain(`✅ ${t("flows:passport.doc.ktp")} ${t("flows:passport.form_photo")}`);
    expect(checklist).toContain(`✅ ${t("flows:passport.doc.birth")}`);
    expect(checklist).toContain(`⬜ ${t("flows:passport.doc.passport")}: ${t("flows:passport.how.passport_taken")}`);
    expect(checklist).toContain(`⬜ ${t("flows:passport.doc.kk")}: ${t("flows:passport.how.kk_from_family")}`);
    expect(checklist).toContain(t("flows:passport.how.police_report"));
    expect(checklist).toContain(t("flows:passport.how.photos_studio"));
    // fee and place come from the facts file
    expect(checklist).toContain(tb.deps.facts.view(lang, "").splp_fee);
    expect(checklist).toContain(t("flows:passport.where"));
    expect(checklist).toContain("/mychecklist");
    expect(tb.lastButtons()).toContain("fs:going_home");

    const saved = await tb.deps.repos.checklists.get(USER_ID, "passport");
    expect(saved?.data).toEqual({ passport: "taken", ktp: "photo", kk: "none", birth: "original", police: false, photos: false });

    const again = await fresh(tb, () => tb!.send("/mychecklist", u));
    expect(again[0]).toContain(t("flows:passport.how.kk_from_family"));
    expect(again[0]).toContain(t("flows:mychecklist.saved_at", { date: "" }).replace(/\s*\.?$/, "").trim());
  });

  it("Back goes one step back (button and typed), and bad input is asked again with an example", async () => {
    tb = await createTestBot();
    const t = tr(tb, lang);
    await tb.send("/splp", u);
    expect(tb.lastButtons()).not.toContain(P("passport", "b")); // nothing to go back to
    await tb.press(P("passport", 0), u); // have it
    await tb.press(P("ktp", 0), u);
    expect(last(tb)).toBe(t("flows:passport.q_kk"));
    await tb.press(P("kk", "b"), u);
    expect(last(tb)).toBe(t("flows:passport.q_ktp"));
    await tb.send(lang === "id" ? "kembali" : "back", u);
    expect(last(tb)).toBe(t("flows:passport.q_passport"));

    // a typed answer nobody could map: asked again, with an example to type
    await tb.send("hmm entahlah", u);
    expect(last(tb)).toBe(`${t("flows:bad_choice", { example: t("flows:passport.ex_passport") })}\n\n${t("flows:passport.q_passport")}`);
    // a sticker: asked again, never a crash
    await tb.handle(stickerUpdate(USER_ID, lang));
    expect(last(tb)).toContain(t("flows:bad_media", { example: t("flows:passport.ex_passport") }));
    // a button of an earlier question
    await tb.press(P("kk", 0), u);
    expect(last(tb)).toContain(t("flows:old_step"));
    expect(last(tb)).toContain(t("flows:passport.q_passport"));
    // the example fits the question and works
    await tb.send(t("flows:passport.ex_passport"), u); // "hilang"/"lost"
    expect(last(tb)).toBe(t("flows:passport.q_ktp"));
    await tb.send("2", u); // KTP: the 2nd button by number
    await tb.press(P("kk", 0), u);
    await tb.press(P("birth", 2), u);
    expect(last(tb)).toBe(t("flows:passport.q_police")); // passport lost: police report asked
    await tb.press(P("police", 0), u);
    await tb.press(P("photos", 0), u);
    expect(last(tb)).toContain(t("flows:passport.title"));
    expect((await tb.deps.repos.checklists.get(USER_ID, "passport"))?.data).toMatchObject({ passport: "lost", ktp: "photo" });
  });

  it.each(["/cancel", "/batal", "batal", "cancel", "Batal!", "button"])("%s leaves at any point", async (how) => {
    tb = await createTestBot();
    const t = tr(tb, lang);
    await tb.send("/passport", u);
    await tb.press(P("passport", 3), u);
    tb.api.clear();
    if (how === "button") await tb.press("fl:x", u);
    else await tb.send(how, u);
    expect(tb.replies()).toEqual([t("flows:cancelled")]);
    expect(tb.lastButtons()).toContain("t:passport"); // the menu
    // the flow is gone: its buttons say so and offer a restart
    await fresh(tb, () => tb!.press(P("ktp", 0), u));
    expect(tb.replies()).toEqual([t("flows:ended")]);
    expect(tb.lastButtons()).toContain("fs:passport");
    expect(await tb.deps.repos.checklists.get(USER_ID, "passport")).toBeUndefined();
    // cancelling with nothing running says so; a plain "batal" is then ordinary text
    await fresh(tb, () => tb!.send("/cancel", u));
    expect(tb.replies()).toEqual([t("flows:nothing_to_cancel")]);
  });

  it("expires gently after FLOW_IDLE_HOURS of quiet; the late message is still answered", async () => {
    tb = await createTestBot({ env: { FLOW_IDLE_HOURS: "24" } });
    const t = tr(tb, lang);
    await tb.send("/passport", u);
    await tb.press(P("passport", 0), u);
    tb.clock.now += 23 * HOUR; // still within the limit
    await tb.press(P("ktp", 0), u);
    expect(last(tb)).toBe(t("flows:passport.q_kk"));
    tb.clock.now += 25 * HOUR;
    const replies = await fresh(tb, () => tb!.press(P("kk", 0), u));
    expect(replies).toEqual([t("flows:expired", { hours: 24 })]);
    expect(tb.lastButtons()).toContain("fs:passport");
    await fresh(tb, () => tb!.press(P("birth", 0), u));
    expect(tb.replies()).toEqual([t("flows:ended")]);

    // a question typed after the limit: the note, and the question is answered too
    await tb.send("/passport", u);
    tb.clock.now += 30 * HOUR;
    const late = await fresh(tb, () => tb!.send(lang === "id" ? "dimana alamat kbri?" : "where is the embassy?", u));
    expect(late[0]).toBe(t("flows:expired", { hours: 24 }));
    expect(late.length).toBeGreaterThan(1);
    expect(late.join("\n")).not.toContain(t("flows:passport.q_passport"));
  });
});

describe("passport flow: switching, urgency, language, privacy", () => {
  it("going back and choosing differently drops answers to questions no longer asked", async () => {
    tb = await createTestBot();
    await tb.send("/passport");
    await tb.press(P("passport", 3)); // lost: the police question will come
    for (const step of ["ktp", "kk", "birth"]) await tb.press(P(step, 0));
    await tb.press(P("police", 0));
    // back to the start, now with the passport in hand: no police question
    for (const step of ["photos", "police", "birth", "kk", "ktp"]) await tb.press(P(step, "b"));
    await tb.press(P("passport", 0));
    for (const step of ["ktp", "kk", "birth", "photos"]) await tb.press(P(step, 0));
    expect((await tb.deps.repos.checklists.get(USER_ID, "passport"))?.data).toEqual({
      passport: "have",
      ktp: "original",
      kk: "original",
      birth: "original",
      photos: true,
    });
  });

  it("after MAX_TRIES bad answers at one question, stops and offers a restart and a person", async () => {
    tb = await createTestBot();
    const t = tr(tb, "id");
    await tb.send("/passport");
    for (let i = 1; i < MAX_TRIES; i++) await tb.send(`bukan jawaban ${i}`);
    expect(last(tb)).toContain(t("flows:passport.q_passport"));
    await fresh(tb, () => tb!.send("bukan jawaban lagi"));
    expect(tb.replies()).toEqual([t("flows:too_many_tries")]);
    expect(tb.lastButtons()).toEqual(["fs:passport", "m", "h", "sos"]);
    expect(await tb.deps.repos.kv.get(`conv:${USER_ID}`)).toBeUndefined();
  });

  it("a flow takes at most MAX_UPDATES updates in all, even going back and forth", async () => {
    tb = await createTestBot();
    const t = tr(tb, "id");
    await tb.send("/passport");
    for (let i = 0; i < MAX_UPDATES / 2; i++) {
      await tb.press(P("passport", 0));
      await tb.press(P("ktp", "b"));
    }
    await fresh(tb, () => tb!.press(P("passport", 0)));
    expect(tb.replies()).toEqual([t("flows:too_many_tries")]);
  });

  it("switching language mid-flow: the next question comes in the new language", async () => {
    tb = await createTestBot();
    const id = tr(tb, "id");
    const en = tr(tb, "en");
    await tb.send("/passport");
    expect(last(tb)).toContain(id("flows:passport.q_passport"));
    await tb.send("/language en");
    await tb.press(P("passport", 1));
    expect(last(tb)).toBe(en("flows:passport.q_ktp"));
    await tb.press("l:id"); // the language button
    await tb.send("ya"); // KTP: typed in Indonesian
    expect(last(tb)).toBe(id("flows:passport.q_kk"));
  });

  it("one flow at a time: starting another stops the first and says so", async () => {
    tb = await createTestBot();
    const t = tr(tb, "id");
    await tb.send("/passport");
    await tb.press(P("passport", 0));
    const r = await fresh(tb, () => tb!.send("/keluarga"));
    expect(r[0]).toBe(t("flows:switched"));
    expect(r[1]).toContain(t("flows:family.q_relation"));
    // the passport flow's buttons are now from an earlier question
    await fresh(tb, () => tb!.press(P("ktp", 0)));
    expect(tb.replies()).toEqual([`${t("flows:old_step")}\n\n${t("flows:family.q_relation")}`]);
    // a topic button under the answer starts a flow the same way
    await tb.press("fs:passport");
    expect(all(tb)).toContain(t("flows:switched"));
    expect(last(tb)).toContain(t("flows:passport.q_passport"));
  });

  it("an urgent message mid-flow is answered at once; the flow pauses and resumes when the person returns", async () => {
    tb = await createTestBot();
    const t = tr(tb, "id");
    await tb.send("/passport");
    await tb.press(P("passport", 1));
    // "bantu saya kak" alone is not taken as an answer: the danger question comes
    await fresh(tb, () => tb!.send("bantu saya kak"));
    expect(tb.replies()).toEqual([t("urgent:danger_question")]);
    await tb.press("dg:n");
    const urgent = await fresh(tb, () => tb!.send("saya disekap dan dipukul"));
    expect(urgent).toHaveLength(2);
    expect(urgent[0]).toContain(t("urgent:emergency"));
    expect(urgent[1]).toBe(t("flows:paused"));
    expect(urgent.join("\n")).not.toContain(t("flows:passport.q_ktp"));
    // paused: a typed answer is not taken by the flow
    await fresh(tb, () => tb!.send("ada"));
    expect(tb.replies().join("\n")).not.toContain(t("flows:passport.q_kk"));
    // back to the guide: the open question again, then the flow continues where it was
    await tb.press("fl:r");
    expect(last(tb)).toContain(t("flows:passport.q_ktp"));
    await tb.press(P("ktp", 0));
    expect(last(tb)).toBe(t("flows:passport.q_kk"));
  });

  it("menu buttons, locations and clear questions pass through a running flow without ending it", async () => {
    tb = await createTestBot();
    const t = tr(tb, "id");
    await tb.send("/passport");
    await fresh(tb, () => tb!.press("t:embassy_contact"));
    expect(all(tb)).toContain(t("topics:embassy_contact.title"));
    await fresh(tb, () => tb!.handle(locationUpdate(USER_ID, 11.5, 104.9)));
    expect(all(tb)).toContain(t("unhandled:location"));
    expect(all(tb)).not.toContain(t("flows:passport.q_passport"));
    // a clear question is answered, not refused as a bad answer
    await fresh(tb, () => tb!.send("dimana alamat kbri?"));
    expect(all(tb)).toContain(t("topics:embassy_contact.title"));
    expect(all(tb)).not.toContain(t("flows:passport.q_passport"));
    await fresh(tb, () => tb!.press(P("passport", 0)));
    expect(last(tb)).toBe(t("flows:passport.q_ktp"));
  });

  it("the passport topic answer offers the checklist; /mychecklist before and after /forget", async () => {
    tb = await createTestBot();
    const t = tr(tb, "id");
    await tb.press("t:passport");
    expect(tb.lastButtons()[0]).toBe("fs:passport");
    await fresh(tb, () => tb!.send("/mychecklist"));
    expect(tb.replies()).toEqual([t("flows:mychecklist.none")]);
    expect(tb.lastButtons()).toContain("fs:passport");

    await tb.press("fs:passport");
    for (const [step, i] of [["passport", 3], ["ktp", 2], ["kk", 2], ["birth", 2], ["police", 1], ["photos", 1]] as const) {
      await tb.press(P(step, i));
    }
    expect(last(tb)).toContain(t("flows:passport.note.no_identity_go_anyway"));
    await fresh(tb, () => tb!.send("/mychecklist"));
    expect(tb.replies()[0]).toContain(t("flows:passport.note.no_identity_go_anyway"));

    await tb.send("/forget");
    await tb.press("fy");
    expect(await tb.deps.repos.checklists.list(USER_ID)).toEqual([]);
    await fresh(tb, () => tb!.send("/mychecklist"));
    expect(tb.replies()).toEqual([t("flows:mychecklist.none")]);
  });
});

describe.each(DB_KINDS)("passport flow state survives a restart (%s)", (kind) => {
  it("a new bot on the same database continues the flow", async () => {
    const first = await createTestBot({ db: kind });
    tb = first;
    const t = tr(first, "en");
    await first.send("/passport", { language_code: "en" });
    await first.press(P("passport", 0));
    await first.press(P("ktp", 0));
    // "restart": a new bot, same database
    const second = await createTestBot({ database: first.db });
    await second.press(P("kk", 1));
    expect(second.replies()).toEqual([t("flows:passport.q_birth")]);
    await second.press(P("birth", 0));
    await second.press(P("photos", 0));
    expect(second.replies().at(-1)).toContain(t("flows:passport.title"));
    expect((await second.deps.repos.checklists.get(USER_ID, "passport"))?.data).toEqual({
      passport: "have",
      ktp: "original",
      kk: "photo",
      birth: "original",
      photos: true,
    });
  });
});
