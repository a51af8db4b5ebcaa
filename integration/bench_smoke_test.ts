import assert from "node:assert/strict";
import { join } from "node:path";

Deno.test("the benchmark runs end to end on a small fixture (smoke, no budgets)", async () => {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", join(import.meta.dirname!, "..", "bench", "run.ts"), "--smoke"],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(output.stdout);
  assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
  assert.match(stdout, /\| figure \| median \| budget \| verdict \|/);
  // 5 projects, and the one the streaming figure writes into once it exists.
  assert.match(stdout, /server time `\/` \([56] projects\) \| \d+\.\d+ ms/);
  assert.match(stdout, /server time project page \(\d+ sessions\) \| \d+\.\d+ ms/);
  assert.match(stdout, /server time `\/search\?q=benchmark` .* \| \d+\.\d+ ms/);
  assert.match(stdout, /a new message → searchable .* \| \d+\.\d+ ms/);
  // The XL path, on its small fixture (20 projects, one of 500 sessions).
  assert.match(
    stdout,
    /XL \(20 projects, [\d,]+ sessions\): search index first build .* \| \d+\.\d+ ms/,
  );
  assert.match(stdout, /XL: RSS at most while the index builds .* \| \d+\.\d+ MB/);
  assert.match(stdout, /XL: server time `\/` \(20 projects\) \| \d+\.\d+ ms/);
  assert.match(stdout, /XL: `\/` HTML \| \d+\.\d+ KB/);
  assert.match(stdout, /XL: server time project page \(500 sessions\) \| \d+\.\d+ ms/);
  assert.match(stdout, /XL: server time `\/api\/palette\?q=copy 3` \| \d+\.\d+ ms/);
  assert.match(stdout, /XL: server time `\/search\?q=copy 3\.7` \| \d+\.\d+ ms/);
  assert.match(
    stdout,
    /XL: first contentful paint of `\/` ÷ the regular fixture's.* \| \d+\.\d+ ×/,
  );
  assert.match(
    stdout,
    /XL: Palot's RSS after its index's first build, with 10 tabs .* \| \d+\.\d+ MB/,
  );
  assert.match(stdout, /server time composer history `\/api\/prompts` .* \| \d+\.\d+ ms/);
  assert.match(stdout, /JavaScript of the chat island alone .* \| \d+\.\d+ KB/);
  assert.match(stdout, /JavaScript of the terminal emulator .* \| \d+\.\d+ KB/);
  assert.match(stdout, /`Terminal` pressed → the shell's prompt on screen \| \d+\.\d+ ms/);
  assert.match(stdout, /Send with `New worktree` → the first reply on screen .* \| \d+\.\d+ ms/);
  assert.match(stdout, /a terminal printing 1 MB: longest animation frame \| \d+\.\d+ ms/);
  assert.match(stdout, /events\/s, upstream → Palot → 10 tabs over HTTP, none lost \| [\d,]+ \/s/);
  assert.match(stdout, /300 streamed deltas painted: frames over 50 ms .* \| \d+ frames/);
  assert.match(
    stdout,
    /open a 5,000-line diff and scroll it: longest animation frame \| \d+\.\d+ ms/,
  );
  assert.match(
    stdout,
    /open a 20,000-line file in the session pane and scroll it: longest animation frame \| \d+\.\d+ ms/,
  );
  assert.match(
    stdout,
    /JavaScript the session pane's Files tab adds when it opens, gzipped \| \d+\.\d+ KB/,
  );
  assert.match(stdout, /first contentful paint of Palot's frame alone .* \| \d+\.\d+ ms/);
  assert.match(stdout, /\| fixture projects shown \| [56] \| \d+ \|/);
  assert.match(
    stdout,
    /opencode RSS right after opening all [56] projects' toolbars ÷ fresh .* \| \d+\.\d+ ×/,
  );
  assert.match(stdout, /opencode RSS \d+ s later ÷ fresh \(\d+ MB\) \| \d+\.\d+ ×/);
  assert.match(stdout, /sends a message \(1 = answered\) \| 1\.00 /);
  assert.match(stdout, /toolbar shows the configured model, warm project \| \d+\.\d+ ms/);
  assert.match(stdout, /toolbar shows the configured model, cold project .* \| \d+\.\d+ ms/);
  assert.match(
    stdout,
    /toolbar shows the configured model, cold folder with its own .* \| \d+\.\d+ ms/,
  );
});
