// Does every npm package the lock file installs run on Debian 12's node?
//
//   node tests/engines/check_engines.mjs [LOCK] [NODE_VERSION]
//
// Reads each entry's `engines.node` in package-lock.json (LOCK, default the
// project's) and checks it against NODE_VERSION (default DEBIAN_NODE in
// scripts/lib.sh: what `apt-get install nodejs` gives on Debian 12). Prints one
// line per package that declares a node range and exits 1 if any excludes it,
// so an upgrade that needs a newer node fails on every machine, not only on a
// fresh Debian 12. Plain node, no packages: it must run before `npm ci`.
//
// [SECTION] semver ranges (npm's grammar: `||`, hyphen ranges, x-ranges, ~, ^, comparators)
// [SECTION] the lock file
// [SECTION] command line
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

// ---------------------------------------------------------------------------
// [SECTION] semver ranges
// ---------------------------------------------------------------------------

// "18.20.4" -> [18, 20, 4]; a prerelease or build tag is ignored.
function parseVersion(text) {
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(text.trim());
  if (!m) throw new Error(`not a node version: ${JSON.stringify(text)}`);
  return m.slice(1, 4).map(Number);
}

function compare(a, b) {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return 0;
}

// A partial version ("18", "18.x", "18.2", "*") -> its parts, null where missing or wild.
function parsePartial(text) {
  const m = /^v?(\d+|[xX*])?(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?(?:[-+].*)?$/.exec(text);
  if (!m) throw new Error(`not a version in a range: ${JSON.stringify(text)}`);
  return m.slice(1, 4).map((p) => (p === undefined || /^[xX*]$/.test(p) ? null : Number(p)));
}

// The half-open interval [low, high) a partial version stands for, as comparators.
function partialBounds(parts) {
  const [maj, min, pat] = parts;
  if (maj === null) return [];
  if (min === null) return [['>=', [maj, 0, 0]], ['<', [maj + 1, 0, 0]]];
  if (pat === null) return [['>=', [maj, min, 0]], ['<', [maj, min + 1, 0]]];
  return [['=', [maj, min, pat]]];
}

function filled(parts) { return parts.map((p) => p ?? 0); }

// One space-separated term of a range -> comparators that must all hold.
function termComparators(term) {
  const m = /^(<=|>=|<|>|=|~>?|\^)?\s*(.*)$/.exec(term);
  const [, op = '', rest] = m;
  const parts = parsePartial(rest);
  const [maj, min, pat] = parts;
  switch (op) {
    case '': case '=': return partialBounds(parts);
    case '>=': return maj === null ? [] : [['>=', filled(parts)]];
    case '<': return maj === null ? [['<', [0, 0, 0]]] : [['<', filled(parts)]];
    case '>': {
      if (maj === null) return [['<', [0, 0, 0]]];
      if (min === null) return [['>=', [maj + 1, 0, 0]]];
      if (pat === null) return [['>=', [maj, min + 1, 0]]];
      return [['>', parts]];
    }
    case '<=': {
      if (maj === null) return [];
      if (min === null) return [['<', [maj + 1, 0, 0]]];
      if (pat === null) return [['<', [maj, min + 1, 0]]];
      return [['<=', parts]];
    }
    case '~': case '~>': {
      if (maj === null) return [];
      if (min === null) return partialBounds(parts);
      return [['>=', filled(parts)], ['<', [maj, min + 1, 0]]];
    }
    case '^': {
      if (maj === null) return [];
      const low = filled(parts);
      if (maj > 0 || min === null) return [['>=', low], ['<', [maj + 1, 0, 0]]];
      if (min > 0 || pat === null) return [['>=', low], ['<', [0, min + 1, 0]]];
      return [['>=', low], ['<', [0, 0, pat + 1]]];
    }
    default: throw new Error(`unknown range operator ${op}`);
  }
}

function holds([op, bound], version) {
  const c = compare(version, bound);
  return { '=': c === 0, '<': c < 0, '<=': c <= 0, '>': c > 0, '>=': c >= 0 }[op];
}

// One `||` alternative: a hyphen range "A - B", or space-separated terms.
function alternativeComparators(text) {
  const hyphen = /^(\S+)\s+-\s+(\S+)$/.exec(text);
  if (hyphen) {
    const low = parsePartial(hyphen[1]);
    return [...termComparators(`>=${filled(low).join('.')}`), ...termComparators(`<=${hyphen[2]}`)];
  }
  // "> = 12" and ">= 12.0.0" alike: glue an operator to the version after it.
  const terms = text.replace(/(<=|>=|<|>|=|~>?|\^)\s+/g, '$1').split(/\s+/).filter(Boolean);
  return terms.flatMap(termComparators);
}

// Does `version` ("18.20.4") satisfy npm range `range` (">=20", "4.x || >=6.0.0", ...)?
export function satisfies(version, range) {
  const v = parseVersion(version);
  return range.split('||').some((alt) => alternativeComparators(alt.trim()).every((c) => holds(c, v)));
}

// ---------------------------------------------------------------------------
// [SECTION] the lock file
// ---------------------------------------------------------------------------

// Every package of a lockfileVersion 2/3 lock with an `engines.node`:
// [{name, version, range, ok}], the project itself first (name "").
export function checkLock(lock, nodeVersion) {
  if (!lock || typeof lock.packages !== 'object') {
    throw new Error('the lock file has no "packages" map (lockfileVersion 2 or 3 is needed)');
  }
  const rows = [];
  for (const [key, entry] of Object.entries(lock.packages)) {
    const range = entry?.engines?.node;
    if (typeof range !== 'string') continue;
    rows.push({ name: key.replace(/^.*node_modules\//, ''), version: entry.version ?? '', range,
                ok: satisfies(nodeVersion, range) });
  }
  return rows;
}

// The node version scripts/lib.sh says Debian 12 installs (DEBIAN_NODE=...).
export function debianNodeVersion() {
  const lib = readFileSync(path.join(ROOT, 'scripts/lib.sh'), 'utf8');
  const m = /^DEBIAN_NODE="?([\d.]+)"?/m.exec(lib);
  if (!m) throw new Error('scripts/lib.sh does not set DEBIAN_NODE');
  return m[1];
}

// ---------------------------------------------------------------------------
// [SECTION] command line
// ---------------------------------------------------------------------------

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const lockPath = process.argv[2] ?? path.join(ROOT, 'package-lock.json');
  const nodeVersion = process.argv[3] ?? debianNodeVersion();
  const rows = checkLock(JSON.parse(readFileSync(lockPath, 'utf8')), nodeVersion);
  for (const r of rows) {
    console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name || '(this project)'}@${r.version} engines.node "${r.range}"`);
  }
  const bad = rows.filter((r) => !r.ok);
  if (bad.length) {
    console.error(`${bad.length} package(s) in ${lockPath} need a newer node ` +
                  `than Debian 12's ${nodeVersion}: ${bad.map((r) => `${r.name}@${r.version}`).join(', ')}`);
    process.exit(1);
  }
  console.log(`all ${rows.length} packages with engines.node admit node ${nodeVersion} (Debian 12)`);
}
