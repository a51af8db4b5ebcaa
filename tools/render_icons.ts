/**
 * Renders the app icons under `static/icons/` from `icon.svg` with Debian's Chromium: the PNGs the web
 * app manifest lists and `favicon.ico` (16, 32 and 48 px PNGs in an ICO). Run after changing the SVG:
 * `deno run -A tools/render_icons.ts`.
 */

import { chromium } from "playwright-core";
const dir = new URL("../static/icons", import.meta.url).pathname;
const svg = await Deno.readTextFile(`${dir}/icon.svg`);
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu"],
});
const page = await browser.newPage();
const render = async (size: number, bleed = false) => {
  await page.setViewportSize({ width: size, height: size });
  const body = bleed ? svg.replace('rx="14"', 'rx="0"') : svg;
  await page.setContent(
    `<html><body style="margin:0;background:transparent">${
      body.replace("<svg ", `<svg width="${size}" height="${size}" `)
    }</body></html>`,
  );
  return await page.screenshot({ omitBackground: true });
};
await Deno.writeFile(`${dir}/icon-192.png`, await render(192));
await Deno.writeFile(`${dir}/icon-512.png`, await render(512));
await Deno.writeFile(`${dir}/icon-maskable-512.png`, await render(512, true));
const pngs = [await render(16), await render(32), await render(48)];
const sizes = [16, 32, 48];
const header = new Uint8Array(6 + 16 * pngs.length);
const view = new DataView(header.buffer);
view.setUint16(2, 1, true);
view.setUint16(4, pngs.length, true);
let offset = header.length;
pngs.forEach((png, i) => {
  const at = 6 + 16 * i;
  view.setUint8(at, sizes[i]);
  view.setUint8(at + 1, sizes[i]);
  view.setUint16(at + 4, 1, true);
  view.setUint16(at + 6, 32, true);
  view.setUint32(at + 8, png.length, true);
  view.setUint32(at + 12, offset, true);
  offset += png.length;
});
const ico = new Uint8Array(offset);
ico.set(header);
let pos = header.length;
for (const png of pngs) {
  ico.set(png, pos);
  pos += png.length;
}
await Deno.writeFile(`${dir}/favicon.ico`, ico);
await browser.close();
