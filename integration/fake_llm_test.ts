import assert from "node:assert/strict";
import { FakeLlm } from "../testing/fake_llm.ts";
import { OpencodeWorld } from "../testing/world.ts";

Deno.test("the real opencode answers a prompt with the scripted reply", async () => {
  await using llm = await FakeLlm.start();
  await using world = await OpencodeWorld.create({ llm });
  const dir = await world.makeProject("alpha");
  await using opencode = await world.startOpencode();
  const client = opencode.client(dir);
  const session = (await client.session.create({}, { throwOnError: true })).data;
  llm.enqueue({ text: "Hello from the fake" });
  const result = await client.session.prompt({
    sessionID: session.id,
    parts: [{ type: "text", text: "Say hello" }],
  }, { throwOnError: true });
  const texts = result.data.parts.filter((part) => part.type === "text").map((part) => part.text);
  assert.deepEqual(texts, ["Hello from the fake"]);
  assert.equal(llm.requests.length, 1);
  assert.ok(JSON.stringify(llm.requests[0].messages).includes("Say hello"));
});
