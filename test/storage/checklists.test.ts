import { afterEach, describe, expect, it } from "vitest";
import { createRepositories } from "../../src/storage/repositories.ts";
import { forgetUser, purgeInactive } from "../../src/storage/privacy.ts";
import { DB_KINDS, openTestDatabase, type TestDatabase } from "../helpers/databases.ts";

let tdb: TestDatabase | undefined;
afterEach(async () => {
  await tdb?.cleanup();
  tdb = undefined;
});

describe.each(DB_KINDS)("checklists repository (%s)", (kind) => {
  it("saves, replaces, lists and forgets a user's checklists", async () => {
    tdb = await openTestDatabase(kind);
    const repos = createRepositories(tdb.database);
    await repos.checklists.save(1, "passport", { passport: "lost" }, 1000);
    await repos.checklists.save(1, "passport", { passport: "photo" }, 2000);
    await repos.checklists.save(1, "going_home", { days: 90 }, 3000);
    await repos.checklists.save(2, "passport", { passport: "have" }, 4000);

    expect(await repos.checklists.get(1, "passport")).toEqual({
      kind: "passport",
      data: { passport: "photo" },
      createdAt: 1000,
      updatedAt: 2000,
    });
    expect((await repos.checklists.list(1)).map((c) => c.kind)).toEqual(["going_home", "passport"]);

    await forgetUser(repos, 1);
    expect(await repos.checklists.list(1)).toEqual([]);
    expect(await repos.checklists.get(2, "passport")).toMatchObject({ data: { passport: "have" } });
  });

  it("the retention purge deletes the checklists of inactive users only", async () => {
    tdb = await openTestDatabase(kind);
    const repos = createRepositories(tdb.database);
    await repos.users.touch(10, 1_000);
    await repos.users.touch(11, 9_000);
    await repos.checklists.save(10, "passport", { passport: "lost" }, 1_000);
    await repos.checklists.save(11, "going_home", { money: true }, 9_000);
    expect(await purgeInactive(repos, 5_000)).toBe(1);
    expect(await repos.checklists.list(10)).toEqual([]);
    expect(await repos.checklists.list(11)).toHaveLength(1);
  });
});
