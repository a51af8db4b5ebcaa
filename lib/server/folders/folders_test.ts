import assert from "node:assert/strict";
import { join } from "node:path";
import { checkFolder, expandHome, isGitRepository } from "./check.ts";
import { completeFolder } from "./complete.ts";
import { RecentFolders } from "./recent.ts";

async function tree(): Promise<string> {
  const root = await Deno.makeTempDir({ prefix: "palot-folders-" });
  for (const dir of ["code/app", "code/api", "code/Apex", "code/.hidden", "docs", ".config"]) {
    await Deno.mkdir(join(root, dir), { recursive: true });
  }
  await Deno.writeTextFile(join(root, "code", "apple.txt"), "not a folder");
  await Deno.symlink(join(root, "docs"), join(root, "code", "alias"));
  return root;
}

Deno.test("expandHome expands ~ and ~/ only", () => {
  assert.equal(expandHome("~", "/home/me"), "/home/me");
  assert.equal(expandHome("~/code", "/home/me"), "/home/me/code");
  assert.equal(expandHome("~other/code", "/home/me"), "~other/code");
  assert.equal(expandHome("/srv", "/home/me"), "/srv");
});

Deno.test("checkFolder accepts folders and says what is wrong with anything else", async () => {
  const home = await tree();
  try {
    assert.deepEqual(await checkFolder(" ~/code/app/ ", { home }), {
      ok: true,
      path: join(home, "code", "app"),
    });
    assert.deepEqual(await checkFolder(`${home}/code/../docs`, { home }), {
      ok: true,
      path: join(home, "docs"),
    });
    const error = async (input: string) => {
      const check = await checkFolder(input, { home });
      assert.equal(check.ok, false, input);
      return (check as { error: string }).error;
    };
    assert.match(await error(""), /^Type the path of a folder/);
    assert.match(await error("   "), /^Type the path of a folder/);
    assert.match(await error("code/app"), /"code\/app" is a relative path/);
    assert.match(await error("~/nowhere"), /^There is no folder ".*\/nowhere"$/);
    assert.match(await error("~/code/apple.txt"), /apple\.txt" is a file, not a folder$/);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test({
  name: "checkFolder reports a folder Palot may not read",
  ignore: Deno.uid() === 0, // root reads every folder
  fn: async () => {
    const home = await tree();
    const locked = join(home, "locked");
    await Deno.mkdir(locked, { mode: 0o000 });
    try {
      const check = await checkFolder(locked, { home });
      assert.deepEqual(check, { ok: false, error: `Palot is not allowed to read "${locked}"` });
    } finally {
      await Deno.chmod(locked, 0o700);
      await Deno.remove(home, { recursive: true });
    }
  },
});

Deno.test("isGitRepository looks in the folder and its parents", async () => {
  const home = await tree();
  try {
    assert.equal(await isGitRepository(join(home, "code", "app")), false);
    await Deno.mkdir(join(home, "code", ".git"));
    assert.equal(await isGitRepository(join(home, "code", "app")), true);
    assert.equal(await isGitRepository(join(home, "docs")), false);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("completeFolder suggests sub-folders in the typed spelling, hidden ones only after a dot", async () => {
  const home = await tree();
  try {
    assert.deepEqual(await completeFolder("~/code/a", { home }), {
      folders: ["~/code/alias/", "~/code/Apex/", "~/code/api/", "~/code/app/"],
      partial: false,
    });
    assert.deepEqual((await completeFolder("~/code/AP", { home })).folders, [
      "~/code/Apex/",
      "~/code/api/",
      "~/code/app/",
    ]);
    assert.deepEqual((await completeFolder("~/", { home })).folders, ["~/code/", "~/docs/"]);
    assert.deepEqual((await completeFolder("~", { home })).folders, ["~/code/", "~/docs/"]);
    assert.deepEqual((await completeFolder("~/.", { home })).folders, ["~/.config/"]);
    assert.deepEqual((await completeFolder(`${home}/code/.h`, { home })).folders, [
      `${home}/code/.hidden/`,
    ]);
    // Nothing for relative paths, missing parents or files.
    assert.deepEqual(await completeFolder("code/a", { home }), { folders: [], partial: false });
    assert.deepEqual(await completeFolder("", { home }), { folders: [], partial: false });
    assert.deepEqual((await completeFolder("~/nowhere/a", { home })).folders, []);
    assert.deepEqual((await completeFolder("~/code/apple.txt/", { home })).folders, []);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("completeFolder is bounded: at most `limit` suggestions and `scanLimit` entries read", async () => {
  const home = await Deno.makeTempDir({ prefix: "palot-folders-" });
  try {
    for (let index = 0; index < 120; index++) {
      await Deno.mkdir(join(home, `dir${String(index).padStart(3, "0")}`));
    }
    const limited = await completeFolder("~/d", { home, limit: 5 });
    assert.deepEqual(limited.folders, [
      "~/dir000/",
      "~/dir001/",
      "~/dir002/",
      "~/dir003/",
      "~/dir004/",
    ]);
    assert.equal(limited.partial, true);
    const scanned = await completeFolder("~/", { home, scanLimit: 10 });
    assert.equal(scanned.folders.length, 10);
    assert.equal(scanned.partial, true);
    const whole = await completeFolder("~/", { home });
    assert.equal(whole.folders.length, 50);
    assert.equal(whole.partial, true);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("RecentFolders keeps the newest ten, each once, and reads a broken file as empty", async () => {
  const dir = await Deno.makeTempDir({ prefix: "palot-recent-" });
  try {
    const recent = new RecentFolders(join(dir, "state"));
    assert.deepEqual(recent.list(), []);
    for (let index = 0; index < 12; index++) await recent.add(`/f${index}`);
    await recent.add("/f5");
    const list = recent.list();
    assert.equal(list.length, 10);
    assert.deepEqual(list.slice(0, 3), ["/f5", "/f11", "/f10"]);
    assert.equal(list.filter((item) => item === "/f5").length, 1);
    await Deno.writeTextFile(join(dir, "state", "recent-folders.json"), "{broken");
    assert.deepEqual(recent.list(), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
