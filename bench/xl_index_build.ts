/**
 * `deno run -A bench/xl_index_build.ts DATA_DIR INDEX_PATH`: builds the search index of
 * `DATA_DIR` into `INDEX_PATH` in a process of its own (Palot's `SearchIndexer`, as Palot runs it
 * in the background), sampling the process's RSS every 20 ms; prints one JSON line with the build
 * time, the peak and final RSS and the texts indexed. Run by `xl.ts`.
 */

import { SearchIndexer } from "../lib/server/search/indexer.ts";

const [dataDir, indexPath] = Deno.args;
const mb = () => Deno.memoryUsage().rss / 1024 / 1024;
let peak = mb();
const sampler = setInterval(() => (peak = Math.max(peak, mb())), 20);
const indexer = new SearchIndexer({ dataDir, indexPath });
const started = performance.now();
indexer.start();
await indexer.idle();
const buildMs = performance.now() - started;
clearInterval(sampler);
peak = Math.max(peak, mb());
const { entries } = indexer.stats();
await indexer.stop();
console.log(JSON.stringify({ buildMs, peakRssMb: peak, afterRssMb: mb(), entries }));
