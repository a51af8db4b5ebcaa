import assert from "node:assert/strict";
import { opencodeBase, pageHref, palotApi, renderingFor } from "./page_server.ts";

Deno.test("a page of another machine links and calls through that machine's addresses", () => {
  assert.equal(pageHref("/session/ses_1"), "/session/ses_1");
  assert.equal(opencodeBase(), "/api/opencode");
  renderingFor("desk", () => {
    assert.equal(pageHref("/session/ses_1"), "/s/desk/session/ses_1");
    assert.equal(opencodeBase(), "/api/servers/desk/opencode");
    assert.equal(palotApi("/api/toolbar"), "/api/servers/desk/toolbar");
  });
  assert.equal(pageHref("/project/p"), "/project/p", "only while rendering that page");
});
