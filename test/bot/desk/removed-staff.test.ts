/**
 * Issue 10, target "staff actions accepted from non-staff, including removed staff
 * after 5 s: 0". A staff member is removed from the staff group; then every staff
 * action is tried: at once, every action that changes a case is refused (Telegram is
 * asked every time); reading may use an answer up to 5 s old; after 5 s, nothing is
 * accepted, reading included. The same actions from a member are accepted, so the
 * count can fail.
 */
import type { Update } from "grammy/types";
import { afterEach, expect, it } from "vitest";
import { createTestBot, type TestBot, USER_ID } from "../../helpers/bot.ts";
import { drainAll, STAFF, STAFF_CHAT, staffMessage, staffPress } from "../../helpers/desk.ts";

let tb: TestBot | undefined;
afterEach(async () => {
  await tb?.close();
  tb = undefined;
});

const T0 = Date.UTC(2026, 0, 20, 3, 0);
const URGENT = "saya disekap dan dipukul, tolong";

/** what an action may change: the case, its audit trail, the outbox, and what reached the group or the person */
async function state(t: TestBot): Promise<string> {
  const c = await t.deps.repos.cases.get(1);
  const audit = await t.deps.repos.audit.list(1);
  const outbox = await t.deps.repos.outbox.all();
  const blocked = await t.deps.repos.cases.blockedUntil(USER_ID);
  const sent = t.api.calls.filter(
    (x) => (x.payload.chat_id === STAFF_CHAT || x.payload.chat_id === USER_ID) && x.method !== "answerCallbackQuery" && x.method !== "getChatMember",
  );
  return JSON.stringify({ c: c && { ...c, updatedAt: undefined }, audit: audit.length, outbox: outbox.length, blocked, sent: sent.length });
}

type Action = [name: string, update: () => Omit<Update, "update_id">];

function changing(thread: number): Action[] {
  return [
    ["claim", () => staffPress("dk:c:1", { thread })],
    ["resolve", () => staffPress("dk:r:1", { thread })],
    ["outcome", () => staffPress("dk:x:other:1", { thread })],
    ["reopen", () => staffPress("dk:o:1", { thread })],
    ["block", () => staffPress("dk:b:1", { thread })],
    ["ready answer button", () => staffPress("dk:s:kbri:1", { thread })],
    ["/send kbri", () => staffMessage("/send kbri", { thread })],
    ["/note", () => staffMessage("/note a note", { thread })],
    ["/followup", () => staffMessage("/followup 1d", { thread })],
    ["reply in the topic", () => staffMessage("halo, kami di sini", { thread })],
  ];
}

const reading: Action[] = [
  ["/cases", () => staffMessage("/cases")],
  ["/case 1", () => staffMessage("/case 1")],
  ["/stats", () => staffMessage("/stats")],
  ["/export", () => staffMessage("/export")],
];

/** the names of the actions that changed anything */
async function accepted(t: TestBot, actions: Action[]): Promise<string[]> {
  const names: string[] = [];
  for (const [name, update] of actions) {
    const before = await state(t);
    await t.handle(update());
    await drainAll(t);
    if ((await state(t)) !== before) names.push(name);
  }
  return names;
}

it("a removed staff member: 0 actions that change a case accepted at once, 0 of any kind after 5 s; a member's are accepted", async () => {
  tb = await createTestBot({ now: T0, env: { STAFF_CHAT_ID: String(STAFF_CHAT), STAFF_LANGUAGE: "en" } });
  const t = tb;
  await t.send(URGENT);
  await drainAll(t);
  const thread = (await t.deps.repos.cases.get(1))?.threadId as number;
  expect(thread).toBeGreaterThan(0);
  let removed = false;
  t.api.responder = (call) =>
    call.method === "getChatMember" && removed && call.payload.user_id === STAFF.id
      ? { ok: true, result: { status: "left", user: { id: STAFF.id, is_bot: false, first_name: STAFF.first_name } } }
      : undefined;

  // A member: reading is answered (and remembered for 5 s).
  expect(await accepted(t, reading)).toEqual(reading.map(([n]) => n));

  removed = true;
  // At once: nothing that changes the case.
  expect(await accepted(t, changing(thread))).toEqual([]);
  expect((await t.deps.repos.cases.get(1))?.status).toBe("open");
  // After 5 s: nothing at all.
  t.clock.now += 5_001;
  expect(await accepted(t, [...reading, ...changing(thread)])).toEqual([]);

  // Back in the group: the same actions are accepted again (the count above could fail).
  removed = false;
  expect(await accepted(t, [["claim", () => staffPress("dk:c:1", { thread })], ["/note", () => staffMessage("/note a note", { thread })]])).toEqual([
    "claim",
    "/note",
  ]);
});
