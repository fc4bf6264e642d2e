// Writes docs/errors.md from the `errors.ts` of every concept: each code with the TSDoc line above it.
// `--check` exits 1 when the committed file differs from what the sources say (the test suite runs it).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, 'docs', 'errors.md');

function* errorFiles(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'test-support') yield* errorFiles(path);
    else if (entry.name === 'errors.ts') yield path;
  }
}

const CODE = /\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*\n\s*[A-Za-z_][A-Za-z0-9_]*:\s*'(ERR_[A-Z0-9_]+)'/g;

/** Every code declared in an errors.ts, with its description and declaring file. */
export function declaredCodes() {
  const codes = [];
  for (const file of errorFiles(join(root, 'src'))) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(CODE)) {
      const description = match[1]
        .split('\n')
        .map((line) => line.replace(/^\s*\*\s?/, '').trim())
        .filter(Boolean)
        .join(' ')
        .replace(/\{@link ([^}]+)\}/g, '`$1`');
      codes.push({ code: match[2], description, file: relative(root, file) });
    }
  }
  return codes;
}

export function render(codes) {
  const lines = [
    '# Error codes',
    '',
    'Every condition a caller can act on is a `DocketError` with a stable `code`; the CLI prints it in brackets and',
    'exits 3 (4 for `ERR_HOME_*`, 2 for `ERR_CLI_USAGE`), and `--json` puts it under `error.code`. This file is',
    'generated from the `errors.ts` of each concept by `node scripts/errors-doc.js`; a test fails when it is stale.',
    '',
  ];
  let file = '';
  for (const c of codes) {
    if (c.file !== file) {
      file = c.file;
      lines.push(`## \`${dirname(file).replace(/^src\//, '')}\``, '', '| code | meaning |', '| --- | --- |');
    }
    lines.push(`| \`${c.code}\` | ${c.description.replace(/\|/g, '\\|')} |`);
    const next = codes[codes.indexOf(c) + 1];
    if (next === undefined || next.file !== file) lines.push('');
  }
  return lines.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const text = render(declaredCodes());
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(target, 'utf8');
    } catch {}
    if (current !== text) {
      console.error('docs/errors.md is stale: run node scripts/errors-doc.js');
      process.exit(1);
    }
  } else {
    writeFileSync(target, text);
    console.log(`wrote ${relative(root, target)}`);
  }
}
