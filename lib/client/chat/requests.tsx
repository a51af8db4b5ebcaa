/**
 * What the agent asks of the user, inline in the chat: a permission card (what it wants to do,
 * with `Allow once`, `Allow always` and `Deny`) and a question card (single or multiple choice,
 * or free text, with `Submit` and `Dismiss`). Answers go through the SDK; the cards go away when
 * the matching `replied` event arrives.
 */

import { useState } from "preact/hooks";
import type { PermissionRequest, QuestionRequest } from "@opencode-ai/sdk/v2/client";
import { getProjectClient } from "../live/clients.ts";

function describe(request: PermissionRequest): string {
  const metadata = request.metadata ?? {};
  const detail = typeof metadata.command === "string"
    ? metadata.command
    : typeof metadata.filepath === "string"
    ? metadata.filepath
    : request.patterns.join(", ");
  return detail;
}

export function PermissionCard(
  { request, directory }: { request: PermissionRequest; directory: string },
) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState("");
  const reply = async (answer: "once" | "always" | "reject") => {
    setPending(true);
    setError("");
    try {
      await getProjectClient(directory).permission.reply({ requestID: request.id, reply: answer }, {
        throwOnError: true,
      });
    } catch (reason) {
      setError(`Could not answer: ${(reason as Error)?.message ?? reason}`);
      setPending(false);
    }
  };
  return (
    <div class="request permission" role="group" aria-label="Permission request">
      <p>
        The agent asks to use <strong>{request.permission}</strong>:{" "}
        <code>{describe(request)}</code>
      </p>
      <div class="request-actions">
        <button
          type="button"
          class="button primary"
          disabled={pending}
          onClick={() => reply("once")}
        >
          Allow once
        </button>
        <button type="button" class="button" disabled={pending} onClick={() => reply("always")}>
          Allow always
        </button>
        <button
          type="button"
          class="button danger"
          disabled={pending}
          onClick={() => reply("reject")}
        >
          Deny
        </button>
      </div>
      {error && <p class="request-error" role="alert">{error}</p>}
    </div>
  );
}

export function QuestionCard(
  { request, directory }: { request: QuestionRequest; directory: string },
) {
  const [answers, setAnswers] = useState<string[][]>(() => request.questions.map(() => []));
  const [custom, setCustom] = useState<string[]>(() => request.questions.map(() => ""));
  const [pending, setPending] = useState(false);
  const [error, setError] = useState("");
  const toggle = (index: number, label: string, multiple: boolean) => {
    setAnswers(answers.map((chosen, at) => {
      if (at !== index) return chosen;
      if (!multiple) return [label];
      return chosen.includes(label) ? chosen.filter((item) => item !== label) : [...chosen, label];
    }));
  };
  const act = async (submit: boolean) => {
    setPending(true);
    setError("");
    const client = getProjectClient(directory);
    try {
      if (submit) {
        const final = answers.map((chosen, index) =>
          custom[index].trim() ? [...chosen, custom[index].trim()] : chosen
        );
        await client.question.reply({ requestID: request.id, answers: final }, {
          throwOnError: true,
        });
      } else {
        await client.question.reject({ requestID: request.id }, { throwOnError: true });
      }
    } catch (reason) {
      setError(`Could not answer: ${(reason as Error)?.message ?? reason}`);
      setPending(false);
    }
  };
  return (
    <form
      class="request question"
      aria-label="Question from the agent"
      onSubmit={(event) => {
        event.preventDefault();
        act(true);
      }}
    >
      {request.questions.map((question, index) => (
        <fieldset key={index}>
          <legend>{question.header || "Question"}</legend>
          <p>{question.question}</p>
          {question.options.map((option) => (
            <label key={option.label} class="request-option">
              <input
                type={question.multiple ? "checkbox" : "radio"}
                name={`question-${request.id}-${index}`}
                checked={answers[index].includes(option.label)}
                onChange={() => toggle(index, option.label, question.multiple ?? false)}
              />
              <span>{option.label}</span>
              {option.description && <span class="muted">— {option.description}</span>}
            </label>
          ))}
          {(question.custom ?? true) && (
            <label class="request-custom">
              <span>{question.options.length ? "Or your own answer" : "Your answer"}</span>
              <input
                type="text"
                value={custom[index]}
                onInput={(event) =>
                  setCustom(
                    custom.map((text, at) => (at === index ? event.currentTarget.value : text)),
                  )}
              />
            </label>
          )}
        </fieldset>
      ))}
      <div class="request-actions">
        <button type="submit" class="button primary" disabled={pending}>Submit</button>
        <button type="button" class="button" disabled={pending} onClick={() => act(false)}>
          Dismiss
        </button>
      </div>
      {error && <p class="request-error" role="alert">{error}</p>}
    </form>
  );
}
