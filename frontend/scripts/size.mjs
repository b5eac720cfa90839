#!/usr/bin/env node
// Prints the gzipped size of the JavaScript a browser must load before the first page renders
// (the entry chunk and its static imports, read from Vite's build manifest) and fails when it
// is over budget. Lazy-loaded pages (dynamic imports) are listed but not counted.
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET_BYTES = 150 * 1000; // 150 KB gzipped
const dist = new URL('../dist/', import.meta.url).pathname;
const manifestPath = join(dist, '.vite', 'manifest.json');

if (!existsSync(manifestPath)) {
  console.error(`No build manifest at ${manifestPath}. Run "npm run build" first.`);
  process.exit(2);
}

const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
const entries = Object.entries(manifest).filter(([, chunk]) => chunk.isEntry);
if (entries.length === 0) {
  console.error('The build manifest has no entry chunk.');
  process.exit(2);
}

const initial = new Set();
const lazy = new Set();
function visit(key) {
  const chunk = manifest[key];
  if (!chunk || initial.has(chunk.file)) return;
  initial.add(chunk.file);
  for (const dep of chunk.imports ?? []) visit(dep);
  for (const dep of chunk.dynamicImports ?? []) if (manifest[dep]) lazy.add(manifest[dep].file);
}
for (const [key] of entries) visit(key);

const gz = (file) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;
const kb = (bytes) => `${(bytes / 1000).toFixed(1)} KB`;

let total = 0;
console.log('Initial JS (gzipped):');
for (const file of [...initial].sort()) {
  const size = gz(file);
  total += size;
  console.log(`  ${file.padEnd(48)} ${kb(size).padStart(10)}`);
}
const lazyTotal = [...lazy].filter((f) => !initial.has(f)).reduce((sum, f) => sum + gz(f), 0);
console.log(`Total initial JS: ${kb(total)} of ${kb(BUDGET_BYTES)} budget`);
console.log(`(lazy-loaded page chunks, not counted: ${kb(lazyTotal)})`);

if (total > BUDGET_BYTES) {
  console.error(`Over budget by ${kb(total - BUDGET_BYTES)}: lazy-load more pages or drop a dependency.`);
  process.exit(1);
}
