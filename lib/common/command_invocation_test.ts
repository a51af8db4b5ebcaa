import assert from "node:assert/strict";
import { commandInvocation } from "./command_invocation.ts";

const commands = [
  { name: "init", template: "Create or update `AGENTS.md`.\n\nFocus: $ARGUMENTS\n\nBe brief." },
  { name: "pair", template: "Compare $1 with $2." },
  { name: "plain", template: "Run the whole test suite (a.k.a. [all])." },
];

Deno.test("commandInvocation finds the command a user message was expanded from", () => {
  assert.deepEqual(
    commandInvocation("Create or update `AGENTS.md`.\n\nFocus: the tests\n\nBe brief.", commands),
    { name: "init", arguments: "the tests" },
  );
  assert.deepEqual(
    commandInvocation("Create or update `AGENTS.md`.\n\nFocus: \n\nBe brief.\n", commands),
    { name: "init", arguments: "" },
  );
  assert.deepEqual(commandInvocation("Compare a.ts with b.ts.", commands), {
    name: "pair",
    arguments: "a.ts b.ts",
  });
  assert.deepEqual(
    commandInvocation("Run the whole test suite (a.k.a. [all]).\n\nfast only", commands),
    { name: "plain", arguments: "fast only" },
  );
  assert.equal(commandInvocation("Run the whole test suite please", commands), undefined);
  assert.equal(commandInvocation("Create or update `AGENTS.md`.", commands), undefined);
});
