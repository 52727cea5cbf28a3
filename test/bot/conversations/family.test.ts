import { afterEach, describe, expect, it } from "vitest";
import { createTestBot, type TestBot, USER_ID } from "../../helpers/bot.ts";
import { drainAll, STAFF_CHAT } from "../../helpers/desk.ts";
import { fresh, HOUR, LANGS, last, locationUpdate, openCase, photoUpdate, tr, WITH_DESK } from "./flow-helpers.ts";

let tb: TestBot | undefined;
afterEach(async () => {
  await tb?.close();
  tb = undefined;
});

const F = (step: string, i: number | "b") => `fl:fm.${step}:${i}`;
const NEEDS = ["reach", "check", "documents", "money"] as const;

describe.each(LANGS)("family helper, %s", (lang) => {
  const u = { language_code: lang };

  it.each(NEEDS.map((n, i) => [n, i] as const))("need %s: the guidance for it", async (need, index) => {
    tb = await createTestBot();
    const t = tr(tb, lang);
    await tb.send("/keluarga", u);
    expect(last(tb)).toContain(t("flows:family.intro"));
    await tb.press(F("relation", 0), u);
    expect(last(tb)).toBe(t("flows:family.q_need"));
    const [guide] = await fresh(tb, () => tb!.press(F("need", index), u));
    expect(guide).toContain(t(`flows:family.guide.${need}`));
    expect(tb.lastButtons()).toContain("fs:family");
  });

  it("danger: collects name, location, company, last contact and a photo; with consent, an urgent case from the family member", async () => {
    tb = await createTestBot({ env: WITH_DESK });
    const t = tr(tb, lang);
    await tb.send("/family", u);
    await tb.send(lang === "id" ? "ibu" : "mother", u); // relation typed
    await tb.press(F("need", 4), u);
    expect(last(tb)).toBe(t("flows:family.q_name"));
    await tb.send("Budi Santoso", u);
    expect(last(tb)).toBe(t("flows:family.q_location"));
    await tb.send("Sihanoukville, O'Smach road", u);
    expect(tb.lastButtons()).toEqual([F("company", 0), F("company", "b"), "fl:x"]);
    await tb.press(F("company", 0), u); // don't know
    await tb.send("kemarin malam, WhatsApp", u);
    expect(last(tb)).toBe(t("flows:family.q_photo"));
    await tb.handle(photoUpdate(USER_ID, 777, "PHOTO_FILE_ID", lang));
    const summary = last(tb);
    expect(summary).toContain("Budi Santoso");
    expect(summary).toContain("Sihanoukville, O'Smach road");
    expect(summary).toContain(t("flows:family.unknown"));
    expect(summary).toContain(t("flows:family.photo_yes"));
    expect(await openCase(tb)).toBeUndefined(); // nothing is sent before consent

    const replies = await fresh(tb, () => tb!.press(F("consent", 0), u));
    const c = await openCase(tb);
    expect(c).toMatchObject({ priority: "urgent", signals: ["family_report"], writer: "family" });
    // the case's text is the structured report (in the staff language), photo included
    expect(c?.preview).toContain("Budi Santoso");
    expect(c?.preview).toContain("Sihanoukville, O'Smach road");
    expect(c?.preview).toContain("kemarin malam, WhatsApp");
    expect(c?.preview).toContain(tr(tb, "id")("flows:family.unknown"));
    expect(c?.preview).toContain("777");
    expect(c?.preview).toContain("PHOTO_FILE_ID");
    expect(c?.preview).toContain(tr(tb, "id")("flows:family.o_parent"));
    // the confirmation; no question whether staff may write here: the family member agreed in the report
    expect(replies).toEqual([t("flows:family.sent")]);
    expect(c?.consent).toBe(true);
    // the photo, sent before the case existed, reaches the staff topic as a copy
    await drainAll(tb);
    const copies = tb.api.sent("copyMessage").filter((c) => c.payload.chat_id === STAFF_CHAT);
    expect(copies.map((c) => c.payload)).toContainEqual(
      expect.objectContaining({ from_chat_id: USER_ID, message_id: 777, message_thread_id: expect.any(Number) }),
    );
    // the details are not kept once the flow is over
    const kv = await tb.deps.repos.kv.get(`conv:${USER_ID}`);
    expect(JSON.stringify(kv ?? {})).not.toContain("Budi Santoso");
  });

  it("danger without consent: nothing is sent and the direct numbers are given", async () => {
    tb = await createTestBot({ env: WITH_DESK });
    const t = tr(tb, lang);
    await tb.send("/family", u);
    await tb.press(F("relation", 3), u);
    await tb.press(F("need", 4), u);
    await tb.send("Siti", u);
    await tb.handle(locationUpdate(USER_ID, 10.6, 103.5, lang)); // a shared location is an answer here
    await tb.send("PT Contoh", u);
    await tb.send("2 minggu lalu", u);
    // an image sent as a file counts as the photo
    await tb.handle({
      message: {
        message_id: 555,
        date: Math.floor(Date.now() / 1000),
        chat: { id: USER_ID, type: "private", first_name: "Tester" },
        from: { id: USER_ID, is_bot: false, first_name: "Tester", language_code: lang },
        document: { file_id: "DOC_IMG", file_unique_id: "d", file_name: "siti.jpg", mime_type: "image/jpeg" },
      },
    } as never);
    expect(last(tb)).toContain(t("flows:family.location_shared", { lat: 10.6, lon: 103.5 }));
    expect(last(tb)).toContain(`📷 ${t("flows:family.summary").split("📷 ")[1]?.split(":")[0]}: ${t("flows:family.photo_yes")}`);
    await tb.press(F("consent", 1), u);
    expect(await openCase(tb)).toBeUndefined();
    expect(last(tb)).toBe(t("flows:family.not_sent"));
  });

  it("when no staff desk is set up, says so up front, with the numbers, and asks nothing more", async () => {
    tb = await createTestBot();
    const t = tr(tb, lang);
    await tb.send("/family", u);
    await tb.press(F("relation", 1), u);
    await tb.press(F("need", 4), u);
    expect(last(tb)).toBe(t("flows:family.no_desk"));
    expect(last(tb)).toContain(tb.deps.facts.view(lang, "").kbri_hotline_protection);
    expect(last(tb)).not.toContain(t("flows:family.q_name"));
    // the flow has ended: a name typed now is ordinary text, not an answer
    await tb.send("Andi", u);
    expect(last(tb)).not.toBe(t("flows:family.q_location"));
    expect(await openCase(tb)).toBeUndefined();
  });

  it("huge or empty answers are asked again with an example; Back goes one step back", async () => {
    tb = await createTestBot({ env: WITH_DESK });
    const t = tr(tb, lang);
    await tb.send("/keluarga", u);
    await tb.press(F("relation", 4), u);
    await tb.press(F("need", 4), u);
    await tb.send("x".repeat(3000), u);
    expect(last(tb)).toBe(`${t("flows:too_long", { example: t("flows:family.ex_name") })}\n\n${t("flows:family.q_name")}`);
    await tb.send("🙏🙏", u);
    expect(last(tb)).toContain(t("flows:bad_text", { example: t("flows:family.ex_name") }));
    await tb.send("Dewi", u);
    await tb.press(F("location", "b"), u);
    expect(last(tb)).toBe(t("flows:family.q_name"));
    await tb.press(F("name", "b"), u);
    expect(last(tb)).toBe(t("flows:family.q_need"));
    await tb.send("batal", u);
    expect(last(tb)).toBe(t("flows:cancelled"));
  });
});

describe("family helper: urgency, expiry, language", () => {
  it("urgent words typed mid-report reach triage at once (a reply for the family member); the report can be finished after returning to it", async () => {
    tb = await createTestBot({ env: WITH_DESK });
    const t = tr(tb, "id");
    await tb.send("/keluarga");
    await tb.press(F("relation", 0));
    await tb.press(F("need", 4));
    await tb.send("Budi");
    await fresh(tb, () => tb!.send("dia dipukuli bos"));
    // triage's own urgent case, at once
    expect((await openCase(tb))?.signals).toContain("violence");
    expect(tb.replies()[0]).toContain(t("urgent:family_told"));
    expect(tb.replies()[0]).not.toContain(t("urgent:safety"));
    expect(tb.replies().join("\n")).not.toContain(t("flows:family.q_company"));
    expect(tb.replies().at(-1)).toBe(t("flows:paused"));
    await tb.press("dk:cs:y"); // the desk's question: may staff write here? yes
    // back to the report: the flow is still at the location question
    await tb.press("fl:r");
    await tb.send("Bavet");
    expect(last(tb)).toBe(t("flows:family.q_company"));
    await tb.press(F("company", 0));
    await tb.send("tadi pagi");
    await tb.press(F("photo", 0));
    await fresh(tb, () => tb!.press(F("consent", 0)));
    // the report joins the open case: it is queued for the case's staff topic
    expect(tb.replies()[0]).toBe(t("flows:family.sent"));
    const queued = JSON.stringify(await tb.deps.repos.outbox.all());
    expect(queued).toContain("👤 Pekerja: Budi");
    expect(queued).toContain("🕒 Kontak terakhir: tadi pagi");
  });

  it("switching language mid-flow and expiry", async () => {
    tb = await createTestBot();
    const en = tr(tb, "en");
    await tb.send("/keluarga");
    await tb.send("/language en");
    await tb.press(F("relation", 0));
    expect(last(tb)).toBe(en("flows:family.q_need"));
    tb.clock.now += 25 * HOUR;
    await fresh(tb, () => tb!.press(F("need", 0)));
    expect(tb.replies()).toEqual([en("flows:expired", { hours: 24 })]);
  });

  it("the family topic answer offers the family guide", async () => {
    tb = await createTestBot();
    await tb.press("t:family");
    expect(tb.lastButtons()[0]).toBe("fs:family");
    await tb.press("fs:family");
    expect(last(tb)).toContain(tr(tb, "id")("flows:family.q_relation"));
  });
});

describe("family helper survives a restart", () => {
  it("a new bot on the same database continues the danger report", async () => {
    const first = await createTestBot({ env: WITH_DESK });
    tb = first;
    const t = tr(first, "en");
    await first.send("/family", { language_code: "en" });
    await first.press(F("relation", 0));
    await first.press(F("need", 4));
    await first.send("Budi Santoso");
    const second = await createTestBot({ database: first.db, env: WITH_DESK });
    await second.send("Bavet");
    expect(second.replies()).toEqual([t("flows:family.q_company")]);
    await second.press(F("company", 0));
    await second.send("yesterday");
    await second.press(F("photo", 0));
    expect(second.replies().at(-1)).toContain("Budi Santoso");
    expect(second.replies().at(-1)).toContain("Bavet");
  });
});

