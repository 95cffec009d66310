// Renders each Markdown file with marked (GitHub-flavoured Markdown) and reports what
// came out, so a test can check that the handout's structure survived rendering.
// Usage: node markdown.mjs FILE... ; prints one JSON line per file.
import { readFileSync } from "node:fs";
import { marked } from "marked";

for (const file of process.argv.slice(2)) {
  const html = marked.parse(readFileSync(file, "utf8"), { gfm: true });
  const count = (re) => (html.match(re) || []).length;
  console.log(JSON.stringify({
    file,
    h1: count(/<h1[ >]/g),
    h3: count(/<h3[ >]/g),
    http_blocks: count(/<code class="language-http">/g),
    mermaid_blocks: count(/<code class="language-mermaid">/g),
    tables: count(/<table>/g),
    details: count(/<details>/g),
    html,
  }));
}
