import assert from "node:assert/strict";
import { authInputs, type AuthMethod, ProviderInputError } from "./providers.ts";

/** GitHub Copilot's sign-in, as OpenCode 1.18.33 lists it. */
const COPILOT: AuthMethod = {
  type: "oauth",
  label: "Login with GitHub Copilot",
  prompts: [
    {
      type: "select",
      key: "deploymentType",
      message: "Select GitHub deployment type",
      options: [
        { label: "GitHub.com", value: "github.com" },
        { label: "GitHub Enterprise", value: "enterprise" },
      ],
    },
    {
      type: "text",
      key: "enterpriseUrl",
      message: "Enter your GitHub Enterprise URL or domain",
      when: { key: "deploymentType", op: "eq", value: "enterprise" },
    },
  ],
};

Deno.test("authInputs keeps the answers that apply and refuses missing or unknown ones", () => {
  const answers = (values: Record<string, string>) => (key: string) => values[key] ?? "";
  assert.deepEqual(
    authInputs(COPILOT, answers({ deploymentType: "github.com", enterpriseUrl: "ignored" })),
    { deploymentType: "github.com" },
  );
  assert.deepEqual(
    authInputs(COPILOT, answers({ deploymentType: "enterprise", enterpriseUrl: " acme.ghe.com " })),
    { deploymentType: "enterprise", enterpriseUrl: "acme.ghe.com" },
  );
  assert.throws(
    () => authInputs(COPILOT, answers({ deploymentType: "enterprise" })),
    (error) =>
      error instanceof ProviderInputError && /Enter your GitHub Enterprise URL/.test(error.message),
  );
  assert.throws(
    () => authInputs(COPILOT, answers({ deploymentType: "gitea" })),
    /Choose one of the options for "Select GitHub deployment type"/,
  );
  assert.deepEqual(authInputs({ type: "oauth", label: "Plain" }, answers({})), {});
});
