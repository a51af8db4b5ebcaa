/**
 * Start anywhere (issue 14) in a real browser against the real opencode: Open folder with
 * completion and its bad inputs, a first session in an opened folder, a folder without git and Initialise git, the
 * recent folders; Settings with providers (a key saved and offered in every project's toolbar
 * without a restart, an empty key, a rejected key, an unknown provider, OAuth sign-in) and the MCP
 * servers of a project (connect, disconnect).
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { fakeMcpConfig } from "../testing/fake_mcp.ts";
import { waitFor } from "../testing/world.ts";
import { assertAccessible } from "./axe.ts";
import {
  browserTest,
  islandReady,
  openNewChat,
  registerProject,
  send,
  startApp,
} from "./harness.ts";
import { chooseModel, modelGroups, modelNames } from "./model_picker.ts";

browserTest(
  "open any folder, connect a provider and manage MCP servers from the page",
  async () => {
    await using app = await startApp({ projects: ["alpha"] });
    const home = app.world.env.HOME;
    const thing = join(home, "code", "thing");
    const other = join(home, "code", "other");
    for (const dir of [thing, other, join(home, "code", ".hidden")]) {
      await Deno.mkdir(dir, { recursive: true });
    }
    await Deno.writeTextFile(join(home, "code", "notes.txt"), "a file");
    // A git folder to chat in (OpenCode boots a folder without a commit much more slowly); the
    // folder without git is checked for its note and Initialise git.
    const repo = await app.world.makeProject("thing");
    // Project config for alpha: Llama served by the fake LLM, and one MCP server.
    await Deno.writeTextFile(
      join(app.projects.alpha, "opencode.json"),
      JSON.stringify({
        provider: { llama: { options: { baseURL: app.llm.baseUrl } } },
        mcp: {
          fake: fakeMcpConfig(),
        },
      }),
    );
    const page = await app.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));

    // Open folder: completion as the user types, hidden folders only after a dot.
    const form = page.getByRole("form", { name: "Open folder" });
    const field = form.getByRole("combobox", { name: "Folder path" });
    // Keys pressed before the page's script runs count: held back here until they are typed.
    let release = () => {};
    const held = new Promise<void>((resolve) => release = resolve);
    await page.route("**/lib/client/boot.js", async (route) => {
      await held;
      await route.continue();
    });
    await page.goto(app.palot.url, { waitUntil: "commit" });
    await field.pressSequentially("~/code/");
    release();
    await islandReady(page, "OpenFolder");
    await page.unroute("**/lib/client/boot.js");
    const options = form.getByRole("listbox", { name: "Folders" }).getByRole("option");
    /** The suggestions once they are `expected` (they follow the typing after a short pause). */
    const suggested = (expected: string[]) =>
      waitFor(async () => {
        const shown = await options.allTextContents();
        return JSON.stringify(shown) === JSON.stringify(expected) ? shown : undefined;
      }, { message: `suggestions ${expected.join(", ")}` });
    await suggested(["~/code/other/", "~/code/thing/"]);
    assert.equal(await field.inputValue(), "~/code/");
    await field.pressSequentially(".");
    await suggested(["~/code/.hidden/"]);
    // Bad input: a message next to the field, and the page stays.
    for (
      const [typed, message] of [
        ["", /Type the path of a folder/],
        ["code/thing", /relative path/],
        ["~/code/missing", /There is no folder/],
        ["~/code/notes.txt", /is a file, not a folder/],
      ] as const
    ) {
      await field.fill(typed);
      await form.getByRole("button", { name: "Open", exact: true }).click();
      await form.getByRole("alert").filter({ hasText: message }).waitFor();
      assert.equal(new URL(page.url()).pathname, "/");
    }
    await field.fill("~/code/th");
    await suggested(["~/code/thing/"]);
    await field.press("ArrowDown");
    await field.press("Enter");
    assert.equal(await field.inputValue(), "~/code/thing/");
    await field.fill(`${repo}/`);
    await form.getByRole("button", { name: "Open", exact: true }).click();
    await page.waitForURL((url) => url.pathname === "/new");
    assert.equal(new URL(page.url()).searchParams.get("directory"), repo);
    assert.equal(await page.getByRole("button", { name: "Initialise git" }).count(), 0);
    // The first instance in a fresh OpenCode loads its providers: slow on a loaded machine.
    await page.locator('[role=combobox][aria-label="Agent"]:not([disabled])').waitFor({
      timeout: 60_000,
    });
    await page.getByRole("status").filter({ hasText: "Connected" }).waitFor({ timeout: 30_000 });
    // The first Send creates the session; then OpenCode lists the folder like any project.
    app.llm.enqueue({ text: "Hello from a plain folder" });
    await send(page, "Hi thing");
    await page.waitForURL(/\/session\/ses_/, { timeout: 15_000 });
    await page.getByText("Hello from a plain folder").waitFor({ timeout: 15_000 });
    await page.goto(app.palot.url);
    await page.locator(".project-card").filter({ hasText: repo }).waitFor();
    await page.getByRole("navigation", { name: "Recent folders" }).getByRole("link", {
      name: repo,
    })
      .waitFor();

    // Initialise git for a folder without it.
    await page.goto(`${app.palot.url}/new?directory=${encodeURIComponent(other)}`);
    await page.getByRole("button", { name: "Initialise git" }).click();
    await page.waitForURL((url) => url.pathname === "/new");
    await page.locator('[role=combobox][aria-label="Agent"]').waitFor();
    assert.equal(await page.getByRole("button", { name: "Initialise git" }).count(), 0);
    assert.ok((await Deno.stat(join(other, ".git"))).isDirectory);

    // Settings, from the header: providers with their state and models.
    const alphaId = await registerProject(app, app.projects.alpha);
    await openNewChat(app, page, alphaId);
    const modelsBefore = await modelNames(page);
    assert.ok(!modelsBefore.some((name) => /DeepSeek/i.test(name)), modelsBefore.join());
    await page.getByRole("link", { name: "Settings" }).click();
    await page.waitForURL(/\/settings/);
    const deepseek = page.locator("#provider-deepseek");
    assert.match(await deepseek.locator(".provider-state").innerText(), /Needs a key/);
    // The page with live providers passes the audit in both themes (the page follows the system).
    for (const colorScheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme });
      await assertAccessible(page, `Settings, ${colorScheme}`);
    }
    assert.match(await page.locator("#provider-opencode .provider-state").innerText(), /Free/);
    // Popular providers first; Filter providers narrows the list as you type.
    assert.equal(await page.locator(".provider-group h3").first().innerText(), "POPULAR");
    assert.equal(
      await page.locator(".provider-group").first().locator("#provider-deepseek").count(),
      1,
    );
    const filter = page.getByRole("searchbox", { name: "Filter providers" });
    await filter.fill("deeps");
    await page.locator("#provider-opencode").waitFor({ state: "hidden" });
    assert.ok(await deepseek.isVisible(), "the match stays");
    await filter.fill("no-such-provider");
    await page.getByRole("status").filter({ hasText: "No provider matches" }).waitFor();
    await filter.fill("");
    await page.locator("#provider-opencode").waitFor();
    await deepseek.locator("summary").click();
    assert.match(await deepseek.locator(".provider-models").innerText(), /Models: .*DeepSeek/i);
    // An empty key: the message beside the field, on screen (a short window: the list is long).
    await page.setViewportSize({ width: 1280, height: 360 });
    await deepseek.getByRole("button", { name: "Save" }).click();
    await page.locator("#provider-deepseek").getByRole("alert").filter({
      hasText: "Paste the API key first",
    }).waitFor();
    // The browser scrolls to the page's fragment once it has laid the page out.
    const viewport = page.viewportSize()!;
    await waitFor(async () => {
      const message = await page.locator("#provider-deepseek").getByRole("alert").boundingBox();
      return message && message.y >= 0 && message.y + message.height <= viewport.height;
    }, { timeoutMs: 5_000, message: "the message on screen" });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.locator("#provider-deepseek").getByLabel("API key").fill("sk-deepseek-secret");
    await page.locator("#provider-deepseek").getByRole("button", { name: "Save" }).click();
    await page.locator("#provider-deepseek").getByRole("status").filter({ hasText: "Saved" })
      .waitFor();
    // DeepSeek's API is out of reach here: the key is saved, and the page says it is unchecked.
    assert.match(
      await page.locator("#provider-deepseek").getByRole("status").innerText(),
      /The key could not be checked now: DeepSeek could not be reached/,
    );
    assert.match(await page.locator("#provider-deepseek .provider-state").innerText(), /Connected/);
    assert.ok(!(await page.content()).includes("sk-deepseek-secret"), "the key is never shown");
    assert.ok(!app.palot.logs.join("\n").includes("sk-deepseek-secret"), "nor logged");
    // Every project's toolbar now offers the provider's models, without a restart.
    await openNewChat(app, page, alphaId);
    const modelsAfter = Object.keys(await modelGroups(page));
    assert.ok(modelsAfter.includes("DeepSeek"), modelsAfter.join());

    // opencode.json edited by hand: a new provider's models are offered without a restart.
    const configFile = join(app.world.env.XDG_CONFIG_HOME, "opencode", "opencode.json");
    const config = JSON.parse(await Deno.readTextFile(configFile));
    config.provider.handmade = {
      npm: "@ai-sdk/openai-compatible",
      name: "Handmade",
      options: { baseURL: app.llm.baseUrl, apiKey: "x" },
      models: { "handmade-1": { name: "Handmade One" } },
    };
    await Deno.writeTextFile(configFile, JSON.stringify(config, null, 2));
    await waitFor(() => app.palot.logs.some((line) => line.includes("Config changed")), {
      message: "Palot noticing the config change",
    });
    await waitFor(async () => {
      await openNewChat(app, page, alphaId);
      const groups = Object.keys(await modelGroups(page));
      return groups.includes("Handmade");
    }, { timeoutMs: 60_000, message: "the hand-added provider in the toolbar" });

    // A key the provider refuses when Palot checks it (its models list): not saved, and said so.
    await page.goto(`${app.palot.url}/settings#provider-handmade`);
    await page.locator("#provider-handmade summary").click();
    app.llm.refusedKeys.add("sk-refused-at-once");
    await page.locator("#provider-handmade").getByLabel("API key").fill("sk-refused-at-once");
    await page.locator("#provider-handmade").getByRole("button", { name: "Save" }).click();
    await page.locator("#provider-handmade").getByRole("alert").filter({
      hasText: "Key refused by Handmade: Incorrect API key provided",
    }).waitFor();
    const auth = JSON.parse(
      await Deno.readTextFile(join(app.world.env.XDG_DATA_HOME, "opencode", "auth.json")).catch(
        () => "{}",
      ),
    );
    assert.equal(auth.handmade, undefined, "the refused key was not saved");

    // A rejected key: the first prompt fails, the chat says which provider refused and links to Settings.
    await page.goto(`${app.palot.url}/settings#provider-llama`);
    await page.locator("#provider-llama summary").click();
    await page.locator("#provider-llama").getByLabel("API key").fill("sk-rejected");
    await page.locator("#provider-llama").getByRole("button", { name: "Save" }).click();
    await page.locator("#provider-llama").getByRole("status").filter({ hasText: "Saved" })
      .waitFor();
    await openNewChat(app, page, alphaId);
    const [llamaModel] = (await modelGroups(page)).Llama;
    await chooseModel(page, llamaModel, "Llama");
    // OpenCode retries a 401 with backoff: every attempt is refused.
    for (let index = 0; index < 20; index++) {
      app.llm.enqueue({ error: { status: 401, message: "Incorrect API key provided" } });
    }
    await send(page, "Hi with a bad key");
    const refusal = page.getByRole("alert").filter({ hasText: "Llama refused the request" });
    await refusal.waitFor({ timeout: 30_000 });
    assert.match(await refusal.innerText(), /Incorrect API key provided/);
    assert.equal(
      await refusal.getByRole("link", { name: "Settings" }).getAttribute("href"),
      "/settings#provider-llama",
    );
    assert.equal(app.llm.authorizations.at(-1), "Bearer sk-rejected", "the saved key was used");
    app.llm.clear();

    // A provider id that does not exist.
    const unknown = await app.palot.fetch("/settings/providers/no-such-provider/key", {
      method: "POST",
      headers: { origin: app.palot.url, "content-type": "application/x-www-form-urlencoded" },
      body: "key=sk-x",
    });
    assert.equal(unknown.status, 404);
    assert.match(
      await unknown.text(),
      /There is no provider &quot;no-such-provider&quot;|There is no provider "no-such-provider"/,
    );
    // A key cannot be saved from another site.
    const foreign = await app.palot.fetch("/settings/providers/deepseek/key", {
      method: "POST",
      headers: {
        origin: "http://evil.example",
        "content-type": "application/x-www-form-urlencoded",
      },
      body: "key=sk-evil",
    });
    await foreign.body?.cancel();
    assert.equal(foreign.status, 403);

    // Remove key: the saved key is gone from OpenCode, the provider needs a key again (once the
    // refused turn above has ended: a change waits for the agents at work, see below).
    await waitFor(async () => {
      const response = await app.palot.fetch(
        `/api/opencode/session/status?directory=${encodeURIComponent(app.projects.alpha)}`,
      );
      const statuses = Object.values(await response.json()) as { type: string }[];
      return statuses.every((status) => status.type === "idle");
    }, { timeoutMs: 60_000, message: "no agent at work" });
    await page.goto(`${app.palot.url}/settings#provider-deepseek`);
    await page.locator("#provider-deepseek summary").click();
    await page.locator("#provider-deepseek").getByRole("button", { name: "Remove key" }).click();
    await page.locator("#provider-deepseek").getByRole("status").filter({
      hasText: "Removed from OpenCode",
    }).waitFor();
    assert.match(
      await page.locator("#provider-deepseek .provider-state").innerText(),
      /Needs a key/,
    );
    // With an agent at work, OpenCode's reload waits for it (no turn is cut short): the page says
    // when the change applies.
    app.llm.enqueue({ text: "still working ".repeat(30), chunkSize: 6, chunkDelayMs: 100 });
    const working = await app.newPage();
    await openNewChat(app, working, alphaId);
    await send(working, "Keep working");
    await working.getByRole("button", { name: "Stop" }).waitFor();
    const keyField = page.locator("#provider-deepseek").getByLabel("API key");
    if (!await keyField.isVisible()) await page.locator("#provider-deepseek summary").click();
    await keyField.fill("sk-deepseek-again");
    await page.locator("#provider-deepseek").getByRole("button", { name: "Save" }).click();
    await page.locator("#provider-deepseek").getByRole("status").filter({
      hasText: "Every project offers DeepSeek's models once no agent is working.",
    }).waitFor();
    await working.getByRole("button", { name: "Stop" }).waitFor({ state: "detached" });
    await working.close();

    // OAuth through OpenCode's own endpoints: a sign-in link, and the terminal command as well.
    await page.goto(`${app.palot.url}/settings`);
    const openai = page.locator("#provider-openai");
    await openai.locator("summary").click();
    assert.match(await openai.innerText(), /opencode auth login/);
    await openai.getByRole("button", { name: /^Sign in: ChatGPT Pro\/Plus \(browser\)/ }).click();
    const signIn = page.locator("#provider-openai").getByRole("link", {
      name: "Open the sign-in page",
    });
    await signIn.waitFor();
    assert.match((await signIn.getAttribute("href"))!, /^https:\/\/auth\.openai\.com\//);
    await page.locator("#provider-openai").getByRole("button", { name: "Finish sign-in" })
      .waitFor();

    // Every method OpenCode lists, with the questions it asks first: GitHub Copilot asks which
    // deployment (its Enterprise address only for Enterprise); GitLab asks for its instance.
    await page.goto(`${app.palot.url}/settings#provider-github-copilot`);
    const copilot = page.locator("#provider-github-copilot");
    await copilot.locator("summary").click();
    await copilot.getByRole("button", { name: "Sign in: Login with GitHub Copilot" }).waitFor();
    assert.deepEqual(
      await copilot.getByLabel("Select GitHub deployment type").locator("option").allTextContents(),
      ["GitHub.com (Public)", "GitHub Enterprise (Data residency or self-hosted)"],
    );
    assert.match(
      await copilot.locator("label", { hasText: "Enter your GitHub Enterprise URL" }).innerText(),
      /only for GitHub Enterprise/,
    );
    await copilot.getByLabel("Select GitHub deployment type").selectOption("enterprise");
    await copilot.getByRole("button", { name: "Sign in: Login with GitHub Copilot" }).click();
    await page.locator("#provider-github-copilot").getByRole("alert").filter({
      hasText: 'Fill in "Enter your GitHub Enterprise URL or domain" first',
    }).waitFor();
    await page.goto(`${app.palot.url}/settings#provider-gitlab`);
    const gitlab = page.locator("#provider-gitlab");
    await gitlab.locator("summary").click();
    await gitlab.getByLabel("GitLab instance URL").first().fill("https://gitlab.example.com");
    await gitlab.getByRole("button", { name: "Sign in: GitLab OAuth" }).click();
    const gitlabSignIn = page.locator("#provider-gitlab").getByRole("link", {
      name: "Open the sign-in page",
    });
    await gitlabSignIn.waitFor();
    assert.match(
      (await gitlabSignIn.getAttribute("href"))!,
      /^https:\/\/gitlab\.example\.com\/oauth\/authorize\?/,
    );

    // MCP servers of a chosen project: status, disconnect, connect.
    await page.goto(
      `${app.palot.url}/settings?directory=${encodeURIComponent(app.projects.alpha)}#mcp`,
    );
    const mcp = page.getByRole("region", { name: "MCP servers" });
    await mcp.getByText("Connected").waitFor({ timeout: 30_000 });
    await mcp.getByRole("button", { name: "Disconnect fake" }).click();
    await page.getByRole("region", { name: "MCP servers" }).getByText("Disconnected").waitFor();
    await page.getByRole("region", { name: "MCP servers" }).getByRole("button", {
      name: "Connect fake",
    })
      .click();
    await page.getByRole("region", { name: "MCP servers" }).getByRole("button", {
      name: "Disconnect fake",
    }).waitFor({ timeout: 30_000 });

    assert.deepEqual(errors, []);
  },
);
