import assert from "node:assert/strict";
import { render } from "preact-render-to-string";
import type { Part } from "@opencode-ai/sdk/v2/client";
import { PartView } from "./messages.tsx";

const part = (fields: Record<string, unknown>) =>
  ({ id: "prt_1", type: "file", ...fields }) as Part;

Deno.test("an attachment shows as a chip with its name, never its data URL", () => {
  const html = render(
    <PartView
      part={part({ mime: "text/plain", filename: "notes.txt", url: "data:text/plain;base64,SGk=" })}
    />,
  );
  assert.match(html, /notes\.txt/);
  assert.doesNotMatch(html, /data:|SGk=/);
});

Deno.test("an attached image is a thumbnail; a mentioned file shows its path", () => {
  const image = render(
    <PartView
      part={part({ mime: "image/png", filename: "dot.png", url: "data:image/png;base64,AAAA" })}
    />,
  );
  assert.match(image, /<img class="file-thumb" src="data:image\/png;base64,AAAA" alt="dot.png"/);
  assert.equal(image.replace(/<img[^>]*>/, "").includes("AAAA"), false);
  const mention = render(
    <PartView part={part({ mime: "text/plain", url: "file:///home/me/app/src/a%20b.ts" })} />,
  );
  assert.match(mention, /@\/home\/me\/app\/src\/a b\.ts/);
  const script = render(
    <PartView
      part={part({
        mime: "image/svg+xml",
        filename: "<script>x</script>",
        url: "javascript:alert(1)",
      })}
    />,
  );
  assert.doesNotMatch(script, /<script>|javascript:/);
});
