// Parses each file as XML with Chromium's XML parser (DOMParser, image/svg+xml).
// Usage: node xml.mjs FILE... ; prints one JSON line per file: {"file", "ok", "error", "root"}.
import { readFileSync } from "node:fs";
import { launch } from "./browser.mjs";

const context = await launch();
const page = await context.newPage();
let failed = 0;
for (const file of process.argv.slice(2)) {
  const text = readFileSync(file, "utf8");
  const result = await page.evaluate((src) => {
    const doc = new DOMParser().parseFromString(src, "image/svg+xml");
    const err = doc.querySelector("parsererror");
    return err
      ? { ok: false, error: err.textContent }
      : { ok: true, root: doc.documentElement.nodeName, text: doc.documentElement.textContent };
  }, text);
  if (!result.ok) failed++;
  console.log(JSON.stringify({ file, ...result }));
}
await context.close();
process.exit(failed ? 1 : 0);
