// Prints the gzipped size of what the first screen loads (the entry chunk and the chunks it imports statically) and
// fails the build when it exceeds the budget in console/README.md. Screens and the chart load on demand and are
// reported separately, not counted.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET_KB = 350;
const dist = new URL('../dist/console/', import.meta.url).pathname;
const manifest = JSON.parse(readFileSync(join(dist, '.vite/manifest.json'), 'utf8'));
const gzipped = (file) => gzipSync(readFileSync(join(dist, file))).length;
const kb = (bytes) => (bytes / 1024).toFixed(1);

const [entryKey] = Object.entries(manifest).find(([, chunk]) => chunk.isEntry);
const initial = new Set();
const visit = (key) => {
  if (initial.has(key)) return;
  initial.add(key);
  for (const imported of manifest[key].imports ?? []) visit(imported);
};
visit(entryKey);
const firstScreen = [...initial].reduce((sum, key) => sum + gzipped(manifest[key].file), 0);
const lazy = Object.entries(manifest).filter(([key, chunk]) => !initial.has(key) && chunk.file.endsWith('.js'));
console.log(`console: first screen JavaScript ${kb(firstScreen)} kB gzipped (budget ${BUDGET_KB} kB)`);
for (const [key, chunk] of lazy) console.log(`console:   on demand ${chunk.name ?? key} ${kb(gzipped(chunk.file))} kB gzipped`);
if (firstScreen > BUDGET_KB * 1024) {
  console.error(`console: the first screen's JavaScript is over its budget of ${BUDGET_KB} kB gzipped`);
  process.exit(1);
}
