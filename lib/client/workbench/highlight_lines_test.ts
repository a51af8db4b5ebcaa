import assert from "node:assert/strict";
import { splitHighlighted } from "./highlight_lines.ts";

Deno.test("highlighted lines each close and reopen the spans that cross their end", () => {
  assert.deepEqual(
    splitHighlighted('a <span class="c">/* one\ntwo <span class="k">x\ny</span> */</span> b\nc'),
    [
      'a <span class="c">/* one</span>',
      '<span class="c">two <span class="k">x</span></span>',
      '<span class="c"><span class="k">y</span> */</span> b',
      "c",
    ],
  );
  assert.deepEqual(splitHighlighted(""), [""]);
  assert.deepEqual(splitHighlighted("a\n"), ["a", ""]);
});
