#!/usr/bin/env node
// Runs every bench/*.bench.mjs (or those named on the command line), prints each figure with its
// ratio against a reference measured in the same run, and writes bench/RESULTS.md.
import { readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import os from 'node:os';

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.mjs'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.startsWith(w)))
  .sort();

// A `|` in a name (`cat | kafka-console-producer`) would end its RESULTS.md table cell.
const cell = (text) => String(text ?? '').replaceAll('|', '\\|');
const fmt = (n) => (Math.abs(n) >= 100 ? Math.round(n).toLocaleString('en-US') : Number(n.toPrecision(3)).toString());
const sections = [];
for (const file of files) {
  process.stderr.write(`running ${file} ...\n`);
  let rows;
  try {
    const mod = await import(join(here, file));
    rows = await mod.default();
  } catch (err) {
    process.stderr.write(`  ${file} failed: ${err?.stack ?? err}\n`);
    sections.push({ file, error: String(err?.message ?? err) });
    continue;
  }
  for (const r of rows) {
    const ratio = r.reference && r.reference.value ? r.value / r.reference.value : NaN;
    const line = `${r.name}: ${fmt(r.value)} ${r.unit} | ${r.reference?.name}: ${fmt(r.reference?.value)} ${r.unit} | ratio ${fmt(ratio)}${r.goal ? ` | goal ${r.goal}` : ''}`;
    process.stdout.write(`${line}\n`);
  }
  sections.push({ file, rows });
}

const lines = [
  '# Benchmark results',
  '',
  `Measured with \`npm run bench${wanted.length ? ` -- ${wanted.join(' ')}` : ''}\` on ${new Date().toISOString().slice(0, 10)}, ` +
    `${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}.`,
  'Each ratio is the figure divided by a reference measured in the same run.',
  '',
];
for (const s of sections) {
  lines.push(`## ${s.file}`, '');
  if (s.error) {
    lines.push(`Failed: ${s.error}`, '');
    continue;
  }
  lines.push('| benchmark | figure | reference | ratio | goal |', '|---|---|---|---|---|');
  for (const r of s.rows) {
    const ratio = r.reference && r.reference.value ? r.value / r.reference.value : NaN;
    lines.push(`| ${cell(r.name)} | ${fmt(r.value)} ${r.unit} | ${cell(r.reference?.name)}: ${fmt(r.reference?.value)} ${r.unit} | ${fmt(ratio)} | ${cell(r.goal)} |`);
  }
  lines.push('');
}
if (wanted.length === 0) writeFileSync(join(here, 'RESULTS.md'), lines.join('\n'));
else process.stderr.write('(a partial run: bench/RESULTS.md not rewritten)\n');
