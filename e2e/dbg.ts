import { join } from "node:path";
import { readState } from "../lib/opencode/state_file.ts";
import { startApp } from "./harness.ts";
await using app = await startApp({ projects: ["alpha"] });
const r = await app.palot.fetch(
  `/api/opencode/project/current?directory=${encodeURIComponent(app.projects.alpha)}`,
);
const project = await r.json();
const page = await app.newPage();
page.on("console", (m) => console.log("console:", m.text()));
await page.goto(`${app.palot.url}/project/${project.id}/new`);
await page.locator('select[aria-label="Agent"]:not([disabled])').waitFor({ timeout: 15_000 });
app.llm.enqueue({ text: "First." });
await page.getByLabel("Message").fill("one");
await page.getByLabel("Message").press("Enter");
await page.getByText("First.").waitFor();
const state = await readState(join(app.world.env.XDG_STATE_HOME, "palot"));
Deno.kill(state!.pid, "SIGKILL");
await page.getByRole("status").filter({ hasText: "Reconnecting…" }).waitFor({ timeout: 15_000 });
await page.getByRole("status").filter({ hasText: "Connected" }).waitFor({ timeout: 60_000 });
app.llm.enqueue({ text: "Back again." });
await page.getByLabel("Message").fill("two");
await page.getByLabel("Message").press("Enter");
await new Promise((r) => setTimeout(r, 5000));
console.log("pending", app.llm.pending, "requests", app.llm.requests.length);
await page.screenshot({ path: "/tmp/dbg.png", fullPage: true });
console.log(app.palot.logs.slice(-10).join("\n"));
