/**
 * Development: rebuilds islands on change and restarts `main.ts` on change, keeping the one
 * OpenCode server across reloads (`--keep-opencode`: the next start adopts it). Extra arguments
 * are passed to `main.ts`.
 */

const root = import.meta.dirname!;
const deno = Deno.execPath();
await new Deno.Command(deno, { args: ["run", "-A", "build.ts"], cwd: root }).spawn().status;
const bundler = new Deno.Command(deno, { args: ["run", "-A", "build.ts", "--watch"], cwd: root })
  .spawn();
const server = new Deno.Command(deno, {
  args: [
    "run",
    "-A",
    "--watch=static/app.css,static/chat.css",
    "main.ts",
    "--keep-opencode",
    ...Deno.args,
  ],
  cwd: root,
}).spawn();
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  Deno.addSignalListener(signal, () => {
    bundler.kill("SIGTERM");
    server.kill("SIGTERM");
  });
}
await server.status;
bundler.kill("SIGTERM");
