/**
 * `deno task bench`: Palot's figures on a fixture written by the real opencode (see
 * `fixture.ts`), printed as one table with their budgets and written to `docs/benchmarks.md`.
 * `--smoke` uses a small fixture, few runs and no budgets, so CI can keep the benchmarks from
 * rotting without timing anything.
 */

import { join } from "node:path";
import { parseArgs } from "node:util";
import { appOver } from "../testing/app_over.ts";
import {
  browserFigures,
  BUILD,
  gzippedBytes,
  gzippedLength,
  LARGE_DIFF_LINES,
  LARGE_FILE_LINES,
  median as middle,
  storeDeltaCost,
} from "./figures.ts";
import { ensureFixture, ensureLongSession } from "./fixture.ts";
import { instanceFigures } from "./instances.ts";
import { relayThroughput } from "./relay.ts";
import { searchFigures } from "./search.ts";
import { xlFigures } from "./xl.ts";
import { xlBrowserFigures } from "./xl_browser.ts";
import { ensureXlFixture, xlSizes } from "./xl_fixture.ts";
import { terminalFigures } from "./terminal.ts";
import { worktreeSendToReplyMs } from "./worktree.ts";
import { remoteChatUsableMs, remoteHomeServerTime } from "./remote.ts";
import { launchChromium } from "../e2e/harness.ts";
import { startPalot } from "../testing/palot.ts";
import { OpencodeWorld } from "../testing/world.ts";

export interface Figure {
  name: string;
  value: number;
  unit: string;
  /** Inclusive bound; `undefined` when the figure has no budget. */
  budget?: number;
  /** The budget is a floor (more is better), not a ceiling. */
  atLeast?: boolean;
}

const { values } = parseArgs({
  args: Deno.args,
  options: {
    smoke: { type: "boolean" },
    runs: { type: "string" },
    "no-browser": { type: "boolean" },
  },
});
const smoke = values.smoke ?? false;
const runs = Number(values.runs ?? (smoke ? 5 : 50));
const fixture = await ensureFixture(
  smoke ? { projects: 5, sessions: 60 } : { projects: 200, sessions: 10_000 },
);
// Written before any figure, so every figure of a run (server times, search) sees the same data.
const longSession = smoke || values["no-browser"] ? undefined : await ensureLongSession(fixture);
/** Median of `runs` timings of `task`, after a few warm-up runs. */
async function medianTime(task: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < Math.min(5, runs); i++) await task();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await task();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return middle(times);
}

const figures: Figure[] = [];
let projectCount = 0;
{
  using palot = appOver(fixture.dataDir);
  const get = async (path: string) => {
    const response = await palot.fetch(path);
    if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}`);
    await response.text();
  };
  const projects = palot.discovery.listProjects();
  projectCount = projects.length;
  const busiest = projects.reduce((a, b) => (b.sessionCount > a.sessionCount ? b : a));
  figures.push({
    name: `server time \`/\` (${projects.length} projects)`,
    value: await medianTime(() => get("/")),
    unit: "ms",
    budget: 30,
  });
  figures.push({
    name: `server time project page (${busiest.sessionCount} sessions)`,
    value: await medianTime(() => get(`/project/${encodeURIComponent(busiest.id)}`)),
    unit: "ms",
    budget: 15,
  });
  figures.push({
    name: "server time composer history `/api/prompts` (busiest project)",
    value: await medianTime(() => get(`/api/prompts/${encodeURIComponent(busiest.id)}`)),
    unit: "ms",
    budget: 15,
  });
}

{
  const remote = await remoteHomeServerTime(fixture, medianTime);
  figures.push({
    name: `server time \`/\` with a second server of ${remote.remoteProjects} projects`,
    value: remote.ms,
    unit: "ms",
    budget: 60,
  });
}

figures.push(...await searchFigures(fixture, { medianTime, live: !values["no-browser"] }));

// The XL fixture (1,000 projects, 500,000 sessions; a small one for the smoke), made from the
// fixture's own rows.
const xl = await ensureXlFixture(fixture, xlSizes(smoke));
figures.push(...await xlFigures(xl, { medianTime }));
if (!values["no-browser"]) {
  figures.push(...await xlBrowserFigures(xl, fixture, { runs: smoke ? 1 : 5 }));
}

const homeScripts = [
  "lib/client/boot.js",
  "islands/ConnectionStatus.js",
  "islands/LiveActivity.js",
  "islands/Palette.js",
  "islands/MoreProjects.js",
];
figures.push({
  name: "JavaScript for the home page, gzipped",
  value: await gzippedBytes(homeScripts) / 1024,
  unit: "KB",
  budget: 40,
});
const sessionScripts = [...homeScripts, "islands/SidebarSessions.js", "islands/Chat.js"];
const sessionBytes = await gzippedBytes(sessionScripts);
figures.push({
  name: "JavaScript for the session page, gzipped",
  value: sessionBytes / 1024,
  unit: "KB",
  budget: 150,
});
// The side pane's Files tab (tree, viewer): what its chunk adds to the session page's, loaded
// only when the tab first opens.
const filesChunk =
  [...Deno.readDirSync(BUILD)].find((entry) => entry.name.startsWith("files_tab-"))!.name;
figures.push({
  name: "JavaScript the session pane's Files tab adds when it opens, gzipped",
  value: (await gzippedBytes([...sessionScripts, filesChunk]) - sessionBytes) / 1024,
  unit: "KB",
  budget: 15,
});
const terminalChunk =
  [...Deno.readDirSync(BUILD)].find((entry) => entry.name.startsWith("xterm_view-"))!.name;
figures.push({
  name: "JavaScript of the terminal emulator (loaded when a terminal opens), gzipped",
  value: await gzippedBytes([terminalChunk]) / 1024,
  unit: "KB",
  budget: 100,
});
figures.push({
  name: "JavaScript of the chat island alone (composer, menus, messages), gzipped",
  value: await gzippedLength(await Deno.readFile(join(BUILD, "islands", "Chat.js"))) / 1024,
  unit: "KB",
  budget: 100,
});
const deltaRuns = Array.from({ length: Math.min(runs, 10) }, () => storeDeltaCost(10_000));
figures.push({
  name: "store: apply 10,000 deltas (one flush)",
  value: middle(deltaRuns),
  unit: "ms",
});
const relayRuns: number[] = [];
for (let i = 0; i < Math.min(runs, 5); i++) {
  relayRuns.push(await relayThroughput(smoke ? 2_000 : 20_000, 10));
}
figures.push({
  name: "events/s, upstream → Palot → 10 tabs over HTTP, none lost",
  value: middle(relayRuns),
  unit: "/s",
  budget: 5_000,
  atLeast: true,
});
const sideBySide: string[] = [];
if (!values["no-browser"]) {
  const browser = await browserFigures(fixture, {
    runs: smoke ? 1 : 5,
    longSessionId: longSession,
    streamCharacters: smoke ? 300 : 10_000,
    settle: !smoke,
  });
  figures.push({
    name: "process start → first byte of `/`",
    value: browser.firstByteMs,
    unit: "ms",
    budget: 300,
  });
  figures.push({
    name: "first contentful paint of `/` (Chromium)",
    value: browser.home.firstContentfulPaintMs,
    unit: "ms",
    budget: 150,
  });
  figures.push({
    name: "first contentful paint of a one-paragraph page (the browser's floor)",
    value: browser.paragraphFirstPaintMs,
    unit: "ms",
  });
  figures.push({
    name: "first contentful paint of Palot's frame alone (its 404 page)",
    value: browser.frameFirstPaintMs,
    unit: "ms",
  });
  projectCount = browser.projectCount;
  figures.push({
    name: "Palot server RSS with 10 tabs open",
    value: browser.rssWithTenTabsMb,
    unit: "MB",
    budget: 150,
  });
  figures.push({
    name: "Palot server RSS after the streamed replies",
    value: browser.rssAfterStreamingMb,
    unit: "MB",
    budget: 150,
  });
  if (browser.openLongSessionMs !== undefined) {
    figures.push({
      name: "open the 1,000-message session → last message in view",
      value: browser.openLongSessionMs,
      unit: "ms",
      budget: 1000,
    });
  }
  figures.push({
    name: `open a ${
      LARGE_DIFF_LINES.toLocaleString("en")
    }-line diff and scroll it: longest animation frame`,
    value: browser.largeDiffLongestFrameMs,
    unit: "ms",
    budget: 200,
  });
  figures.push({
    name: `open a ${
      LARGE_FILE_LINES.toLocaleString("en")
    }-line file in the session pane and scroll it: longest animation frame`,
    value: browser.largeFileLongestFrameMs,
    unit: "ms",
    budget: 200,
  });
  const { streaming, home, opencodeWeb } = browser;
  const deltas = streaming.deltas.toLocaleString("en");
  figures.push({
    name: `${deltas} streamed deltas painted: frames over 50 ms (long animation frames)`,
    value: streaming.longFrameCount,
    unit: "frames",
    budget: 0,
  });
  figures.push({
    name: `${deltas} streamed deltas painted: longest gap between frames`,
    value: streaming.longestGapMs,
    unit: "ms",
  });
  figures.push({
    name: "deltas/s from the real opencode to 10 tabs, none lost",
    value: streaming.deltasPerSecond,
    unit: "/s",
  });
  const ratio = (palot: number, opencode: number) =>
    opencode === 0 ? "–" : `${(palot / opencode).toFixed(2)}×`;
  sideBySide.push(
    "| first load of the home page | Palot | `opencode web` | Palot ÷ opencode web |",
    "|---|---|---|---|",
    `| first contentful paint | ${home.firstContentfulPaintMs.toFixed(0)} ms | ${
      opencodeWeb.firstContentfulPaintMs.toFixed(0)
    } ms | ${ratio(home.firstContentfulPaintMs, opencodeWeb.firstContentfulPaintMs)} |`,
    `| JavaScript loaded, gzipped | ${(home.javaScriptBytes / 1024).toFixed(1)} KB | ${
      (opencodeWeb.javaScriptBytes / 1024).toFixed(1)
    } KB | ${ratio(home.javaScriptBytes, opencodeWeb.javaScriptBytes)} |`,
    `| fixture projects shown | ${home.projectsShown} | ${opencodeWeb.projectsShown} | ${
      ratio(home.projectsShown, opencodeWeb.projectsShown)
    } |`,
  );
}

if (!values["no-browser"]) {
  const bytes = smoke ? 1_000_000 : 50_000_000;
  await using world = await OpencodeWorld.create();
  const directory = await world.makeProject("terminal-bench");
  await using palot = await startPalot(world);
  const browser = await launchChromium();
  try {
    const terminal = await terminalFigures(palot, browser, directory, bytes);
    figures.push({
      name: "`Terminal` pressed → the shell's prompt on screen",
      value: terminal.openToPromptMs,
      unit: "ms",
      budget: 1000,
    });
    const printed = `${(bytes / 1e6).toLocaleString("en")} MB`;
    figures.push({
      name: `a terminal printing ${printed}: longest animation frame`,
      value: terminal.printLongestFrameMs,
      unit: "ms",
      budget: 200,
    });
    figures.push({
      name: `a terminal printing ${printed}: Palot server RSS at most`,
      value: terminal.printPalotRssMb,
      unit: "MB",
      budget: 150,
    });
  } finally {
    await browser.close();
  }
}

if (!values["no-browser"]) {
  const browser = await launchChromium();
  try {
    figures.push({
      name: "Send with `New worktree` → the first reply on screen (worktree, session, page)",
      value: await worktreeSendToReplyMs(browser, smoke ? 1 : 5),
      unit: "ms",
      budget: 5000,
    });
    figures.push({
      name: "another machine's session page opened → its chat usable (connected, toolbar ready)",
      value: await remoteChatUsableMs(browser, smoke ? 1 : 5),
      unit: "ms",
      budget: 3000,
    });
  } finally {
    await browser.close();
  }
}

if (!values["no-browser"]) {
  // The smoke fixture has 5 projects: a cap of 2 makes the keeper dispose there too.
  const instances = await instanceFigures(fixture, {
    runs: smoke ? 1 : 5,
    settle: !smoke,
    args: smoke ? ["--max-instances", "2"] : [],
  });
  figures.push({
    name: `opencode RSS right after opening all ${instances.projects} projects' toolbars ÷ fresh (${
      instances.freshRssMb.toFixed(0)
    } MB → ${instances.afterAllRssMb.toFixed(0)} MB)`,
    value: instances.afterAllRssMb / instances.freshRssMb,
    unit: "×",
  });
  figures.push({
    name: `opencode RSS ${instances.settledAfterMs / 1000} s later ÷ fresh (${
      instances.settledRssMb.toFixed(0)
    } MB)`,
    value: instances.settledRssMb / instances.freshRssMb,
    unit: "×",
    budget: 2,
  });
  figures.push({
    name: "a tab whose project's instance was disposed sends a message (1 = answered)",
    value: instances.sentAfterDispose ? 1 : 0,
    unit: "",
    budget: 1,
    atLeast: true,
  });
  figures.push({
    name: "navigation → toolbar shows the configured model, warm project",
    value: instances.warmToolbarMs,
    unit: "ms",
    budget: 100,
  });
  figures.push({
    name: "navigation → toolbar shows the configured model, cold project (instance disposed)",
    value: instances.coldToolbarMs,
    unit: "ms",
    budget: 1000,
  });
  figures.push({
    name: "navigation → toolbar shows the configured model, cold folder with its own opencode.json",
    value: instances.coldOwnConfigToolbarMs,
    unit: "ms",
  });
}

const within = ({ value, budget, atLeast }: Figure) =>
  budget === undefined || (atLeast ? value >= budget : value <= budget);
/** "within" only for a figure that has a budget and meets it; "no budget" says there is none. */
const verdict = (figure: Figure) =>
  smoke ? "smoke" : figure.budget === undefined ? "no budget" : within(figure) ? "within" : "OVER";
const rows = figures.map((figure) => {
  const budget = figure.budget === undefined
    ? ""
    : `${figure.atLeast ? "≥" : "≤"} ${figure.budget.toLocaleString("en")} ${figure.unit}`;
  const value = figure.unit === "/s" || figure.unit === "frames"
    ? Math.round(figure.value).toLocaleString("en")
    : figure.value.toFixed(2);
  return `| ${figure.name} | ${value} ${figure.unit} | ${budget} | ${verdict(figure)} |`;
});
const table = [
  "| figure | median | budget | verdict |",
  "|---|---|---|---|",
  ...rows,
].join("\n");
console.log(table);
if (sideBySide.length) console.log("\n" + sideBySide.join("\n"));
if (!smoke) {
  const date = new Date().toISOString().slice(0, 10);
  const header = `# Benchmarks

Measured by \`deno task bench\` on ${date}, ${navigator.hardwareConcurrency} cores, Deno ${Deno.version.deno}, on a
fixture of 200 projects and 10,000 sessions written by the real opencode (\`bench/fixture.ts\`).
Server times are medians of ${runs} runs after warm-up; the store figure a median of 10, the
relay of 5; start-up, paint and opening the long session medians of 5 runs of a real Palot
process, its opencode and Debian's Chromium.

`;
  const notes = `
Notes:

- Page figures are measured once opencode has gone quiet after starting (it keeps a core busy for
  a while after it reports ready), each load in a new browser context of one headless Chromium
  (software rendering). The one-paragraph page is the floor that context and renderer set-up
  alone cost, measured the same way. Palot's frame alone is its 404 page (\`/no-such-page\`): the
  header, a heading and two paragraphs, with the stylesheet and islands every page has and none of
  the home page's data; the home page has all of it and more.
- "events/s, upstream → Palot → 10 tabs" (\`bench/relay.ts\`): Palot's own app behind
  \`Deno.serve\` reads a loopback server speaking \`/global/event\`'s format as fast as it can, and
  ten readers of \`/api/events\` must each receive every event's text (Palot joins deltas of one
  part that arrive within 16 ms into one event); the readers run in the same process, so this is a
  lower bound. The real opencode cannot produce events that fast: the streaming rows
  come from the real opencode streaming a reply of one-character chunks from the scripted fake LLM
  (\`bench/streaming.ts\`), painted by a session page while ten readers rebuild the reply from their
  deltas and must match it exactly.
- First contentful paint of \`/\`: the stylesheet is inlined (no second request before the first
  paint), islands hydrate after the first frame, the project list is block layout (a grid of 200
  cards costs a first frame far more), and its cards come in blocks of 20 with
  \`content-visibility: auto\`, so a block off screen skips style, layout and paint until it is
  scrolled to.
- "Frames over 50 ms" are Chromium's long animation frames on the session page while the reply
  streams (median of three replies). On a 2-core machine opencode itself can take more than one
  core while it streams, so a frame can be delayed by waiting for the CPU rather than by the
  page's own work. Palot joins deltas of one part that arrive within 16 ms
  (\`lib/server/events/delta_coalescer.ts\`) and the page applies streamed text at most ten times a
  second (\`lib/client/live/store.ts\`), which leaves most frames free.
- XL (\`bench/xl.ts\`, alone: \`deno run -A bench/xl.ts\`): a fixture of 1,000 projects and
  500,000 sessions (one project of 20,000) made by \`bench/xl_fixture.ts\` from the regular
  fixture's rows, written by the real opencode and copied with new ids, projects and folders into
  a data folder of its own. Its search index is built by Palot's indexer in a process of its own
  (\`bench/xl_index_build.ts\`, RSS sampled every 20 ms); the server times are the whole page or
  answer served in process, over that index.
- Search: the index is built from the fixture's \`opencode.db\` into a temporary file, as a
  user's Palot does in the background on its first start; the \`/search\` server times are the
  whole page served in process (query, snippets, joining each hit with its session and project).
  "A new message → searchable" posts a user message (no reply) through a real Palot's proxy and
  asks \`/search\` every 50 ms until the session is listed.
- The large diff: a file of ${LARGE_DIFF_LINES.toLocaleString("en")} new TypeScript lines in a
  project's working tree, opened from a session page's Changes panel (Working tree, the real
  opencode's \`vcs.diff\`) and scrolled to its middle and end (\`bench/large_diff.ts\`). The
  viewer draws only the rows in view and highlights each when first drawn; Chromium reports frames
  of 50 ms or more, so 0 means none reached 50 ms. Median of three.
- Instances (\`bench/instances.ts\`): a fresh Palot with default flags opens every project's
  toolbar through its proxy one after another (\`/agent\`, \`/config/providers\`, \`/config\`,
  \`/vcs\`, as a chat page does); opencode's RSS is taken once ready and quiet, again once the
  instance keeper is down to its cap and two seconds have passed (no budget: opencode has not
  collected the disposed instances' garbage yet, and its RSS swings by hundreds of MB while it
  works), and a minute later (the budget: memory at the end, as the issue measured it after
  idle). Navigation → toolbar is from navigation start until the first frame in which the Model
  select is enabled on the configured model (watched by a script the page runs before its own):
  cold after the project's instance was disposed (its own options went with it; having no
  OpenCode config of its own, its page is rendered with the options last loaded for any such
  folder, marked provisional, and the tab asks Palot for its own; the first of the cold visits
  finds none loaded yet and waits for OpenCode), warm once the server has cached its own
  (rendered into the page), and cold for a folder with an \`opencode.json\` of its own, opened by
  path (\`/new?directory=\`): no options can be shown before OpenCode boots it (the tab asks Palot,
  joining the load the page's visit started; no budget). The
  disposed-project figure sends a message from a tab whose project's instance was disposed under
  it, and counts 1 when the reply arrives.
- "store" is the browser store's \`processEvent\` for 10,000 deltas of one part, run in Deno,
  without painting.
- The 1,000-message session is written by the real opencode (\`ensureLongSession\` in
  \`bench/fixture.ts\`, once, then cached beside the fixture; it prints how long that took).
- Side-by-side: \`opencode web\` from the same pinned package, on the same fixture (same data
  folder), in the same Chromium, measured the same way right after Palot (ratios are Palot ÷
  opencode web). "Projects shown" counts the ${projectCount} project folder names in the
  text the page shows or lets the user scroll to, three seconds after load. \`opencode web\` opens on
  "Nothing here yet" with an "Add project" button (docs/screenshots/opencode-web-first-load.png).
`;
  await Deno.mkdir(join(import.meta.dirname!, "..", "docs"), { recursive: true });
  await Deno.writeTextFile(
    join(import.meta.dirname!, "..", "docs", "benchmarks.md"),
    header + table + "\n\n" + sideBySide.join("\n") + "\n" + notes,
  );
  const over = figures.filter((figure) => !within(figure));
  if (over.length) {
    console.error(`Over budget: ${over.map((figure) => figure.name).join(", ")}`);
    Deno.exitCode = 1;
  }
}
