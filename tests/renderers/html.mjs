// Opens an exported HTML page from file:// in headless Chromium and checks it as a
// learner would use it: no console errors, no network request, → moves the highlight,
// a click on an arrow selects that step; then takes a screenshot.
// Usage: node html.mjs PAGE.html SCREENSHOT.png ; prints one JSON line.
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";
import { launch } from "./browser.mjs";

const [file, shot] = process.argv.slice(2);
const url = pathToFileURL(resolve(file)).href;
const context = await launch();
const page = await context.newPage();
const errors = [];
const requests = [];
page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
page.on("pageerror", (e) => errors.push(String(e)));
page.on("request", (r) => { if (r.url() !== url) requests.push(r.url()); });
await page.goto(url, { waitUntil: "load" });
const current = () => page.evaluate(() => {
  const row = document.querySelector("#diagram g.row.current");
  const section = document.querySelector("section.step.current");
  return {
    row: row && row.getAttribute("data-step"),
    section: section && section.getAttribute("data-step"),
    visible: section ? section.offsetHeight > 0 : false,
  };
});
const first = await current();
await page.keyboard.press("ArrowRight");
const afterRight = await current();
await page.keyboard.press("ArrowLeft");
const afterLeft = await current();
const rows = await page.evaluate(() => document.querySelectorAll("#diagram g.row").length);
if (rows > 0) {
  await page.locator("#diagram g.row").nth(Math.min(2, rows - 1)).locator(".hit").click({ force: true });
}
const afterClick = await current();
const diagram = await page.evaluate(() => {
  const svg = document.querySelector("#diagram svg");
  const box = svg ? svg.getBoundingClientRect() : { width: 0, height: 0 };
  return { width: box.width, height: box.height, arrows: svg ? svg.querySelectorAll("line, polygon").length : 0 };
});
await page.keyboard.press("ArrowRight");
await page.screenshot({ path: shot });
await context.close();
console.log(JSON.stringify({ file, errors, requests, rows, first, afterRight, afterLeft, afterClick, diagram }));
