import assert from "node:assert/strict";
import { RunningTerminals } from "./running_terminals.ts";
import { instancePins } from "./disposal.ts";

const event = (directory: string, type: string, properties: Record<string, unknown>) => ({
  directory,
  payload: { type, properties },
});

Deno.test("RunningTerminals follows OpenCode's pty events, and a running terminal pins its folder", () => {
  const terminals = new RunningTerminals();
  const info = (id: string, status = "running") => ({ info: { id, title: `T ${id}`, status } });
  terminals.observe(event("/a/", "pty.created", info("p1")));
  terminals.observe(event("/a", "pty.created", info("p2")));
  terminals.observe(event("/b", "pty.created", info("p3")));
  terminals.observe(event("/b", "session.idle", { sessionID: "s" }));
  assert.deepEqual(terminals.list("/a").map((terminal) => terminal.id), ["p1", "p2"]);
  assert.deepEqual([...terminals.directories()].sort(), ["/a", "/b"]);
  const pins = instancePins({
    sessions: {},
    requests: [],
    tabs: [],
    terminals: terminals.directories(),
  });
  assert.deepEqual(pins.get("/a"), ["terminal"]);

  terminals.observe(event("/a", "pty.exited", { id: "p1", exitCode: 0 }));
  terminals.observe(event("/a", "pty.deleted", { id: "p2" }));
  terminals.observe(event("/b", "pty.updated", info("p3", "exited")));
  assert.equal(terminals.list().length, 0);

  terminals.observe(event("/a", "pty.created", info("p4")));
  terminals.observe(event("/b", "pty.created", info("p5")));
  terminals.forget("/a");
  assert.deepEqual(terminals.list().map((terminal) => terminal.id), ["p5"]);
  terminals.forgetTerminal("p5");
  assert.deepEqual(terminals.list(), []);
});
