// The engines check itself: ranges checked by hand, the project's lock against
// Debian 12's node, and a lock that needs node 20 must fail.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import test from 'node:test';
import { fileURLToPath } from 'node:url';

import { checkLock, debianNodeVersion, satisfies } from './check_engines.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CHECK = path.join(ROOT, 'tests/engines/check_engines.mjs');
const lock = () => JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8'));

test('npm range grammar, each case read off the npm semver docs', () => {
  const cases = [
    ['18.20.4', '>=18', true], ['18.20.4', '>=20', false], ['18.20.4', '>= 12.0.0', true],
    ['18.20.4', '4.x || >=6.0.0', true], ['18.20.4', '^18.17.0 || >=20.5.0', true],
    ['18.20.4', '^20.0.0 || >=22', false], ['18.20.4', '18 - 20', true], ['18.20.4', '19 - 20', false],
    ['18.20.4', '~18.20.0', true], ['18.20.4', '~18.19', false], ['18.20.4', '<18', false],
    ['18.20.4', '<=18', true], ['18.20.4', '>18', false], ['18.20.4', '>18.20', false],
    ['18.20.4', '>18.20.3', true], ['18.20.4', '*', true], ['18.20.4', '', true],
    ['18.20.4', '18.x', true], ['18.20.4', '>=16 <18', false], ['0.2.5', '^0.2.3', true],
    ['0.3.0', '^0.2.3', false], ['18.20.4', '>=18.20.5', false], ['18.20.4', '=18.20.4', true],
  ];
  for (const [version, range, expected] of cases) {
    assert.equal(satisfies(version, range), expected, `${version} in "${range}"`);
  }
});

test("every package of the project's lock runs on Debian 12's node", () => {
  const version = debianNodeVersion();
  assert.match(version, /^18\./, 'Debian 12 ships node 18');
  const rows = checkLock(lock(), version);
  assert.ok(rows.some((r) => r.name === 'playwright-core'), 'playwright-core declares engines.node');
  assert.ok(rows.some((r) => r.name === ''), 'the project declares its own engines.node');
  assert.deepEqual(rows.filter((r) => !r.ok), []);
});

test('a lock entry that needs node 20 fails the check, naming the package', () => {
  const bad = lock();
  bad.packages['node_modules/playwright-core'] = { version: '1.65.1', engines: { node: '>=20' } };
  assert.deepEqual(checkLock(bad, '18.20.4').filter((r) => !r.ok).map((r) => r.name), ['playwright-core']);

  const file = path.join(mkdtempSync(path.join(tmpdir(), 'engines-')), 'package-lock.json');
  writeFileSync(file, JSON.stringify(bad));
  assert.throws(() => execFileSync(process.execPath, [CHECK, file, '18.20.4'], { stdio: 'pipe' }),
                (e) => e.status === 1 && /playwright-core@1\.65\.1/.test(e.stderr.toString()));
});
