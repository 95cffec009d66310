// Renders each Mermaid file with Mermaid itself in headless Chromium.
// Usage: node mermaid.mjs FILE... ; prints one JSON line per file:
// {"file", "ok", "error", "type", "text"} where text is the rendered SVG's text content.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { launch } from "./browser.mjs";

const require = createRequire(import.meta.url);
const mermaidJs = require.resolve("mermaid/dist/mermaid.min.js");

const context = await launch();
const page = await context.newPage();
await page.setContent("<!DOCTYPE html><html><body><div id=\"out\"></div></body></html>");
await page.addScriptTag({ path: mermaidJs });
await page.evaluate(() => window.mermaid.initialize({ startOnLoad: false, securityLevel: "strict" }));
let failed = 0;
for (const file of process.argv.slice(2)) {
  const source = readFileSync(file, "utf8");
  const result = await page.evaluate(async (src) => {
    try {
      const parsed = await window.mermaid.parse(src);
      const { svg } = await window.mermaid.render("d" + Math.floor(Math.random() * 1e9), src);
      const doc = new DOMParser().parseFromString(svg, "image/svg+xml");
      const errorText = doc.querySelector("parsererror") ? "rendered SVG is not XML" : "";
      return { ok: !errorText, error: errorText, type: parsed && parsed.diagramType, text: doc.documentElement.textContent };
    } catch (e) {
      return { ok: false, error: String(e && e.message || e) };
    }
  }, source);
  if (!result.ok) failed++;
  console.log(JSON.stringify({ file, ...result }));
}
await context.close();
process.exit(failed ? 1 : 0);
