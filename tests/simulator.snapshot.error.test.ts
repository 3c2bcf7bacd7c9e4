// Bad snapshot files fail at load time with a message naming the file and the problem.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateOrg } from '../simulator/generate/index.ts';
import { loadSnapshot, saveSnapshot } from '../simulator/snapshot.ts';

const dir = mkdtempSync(join(tmpdir(), 'sim-snapshot-bad-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const good = join(dir, 'good.json');
saveSnapshot(generateOrg({ seed: 2, scale: 'tiny' }), good);

function variant(name: string, edit: (json: any) => void): string {
  const json = JSON.parse(readFileSync(good, 'utf8'));
  edit(json);
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(json));
  return file;
}

describe('loading a bad snapshot', () => {
  it('names a missing file', () => {
    expect(() => loadSnapshot(join(dir, 'nope.json'))).toThrow(/Snapshot file .*nope\.json does not exist/);
  });

  it('says when the file is not JSON', () => {
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{"format": "guidepost-simulator-snapshot/1", "people": [');
    expect(() => loadSnapshot(file)).toThrow(/broken\.json is not valid JSON/);
  });

  it('says which format it expected', () => {
    expect(() => loadSnapshot(variant('format.json', (j) => { j.format = 'something-else'; })))
      .toThrow(/format: expected "guidepost-simulator-snapshot\/1"/);
  });

  it('points at the field that is wrong', () => {
    expect(() => loadSnapshot(variant('state.json', (j) => { j.pulls[3].reviews.unshift({ ...j.pulls[0].reviews[0] ?? {}, id: 1, nodeId: 'x', author: j.people[0].login, body: '', submittedAt: j.now, state: 'LGTM' }); })))
      .toThrow(/pulls\[3\]\.reviews\[0\]\.state: Invalid option/);
    expect(() => loadSnapshot(variant('time.json', (j) => { j.pulls[0].createdAt = 'yesterday'; })))
      .toThrow(/pulls\[0\]\.createdAt: expected an ISO-8601 UTC time/);
    expect(() => loadSnapshot(variant('people.json', (j) => { delete j.people; })))
      .toThrow(/people: .*expected array/i);
  });

  it('finds references to people and repos the file does not contain', () => {
    expect(() => loadSnapshot(variant('author.json', (j) => { j.pulls[0].author = 'nobody-here'; })))
      .toThrow(/pulls\[0\] \(.*#\d+\)\.author: unknown login "nobody-here"/);
    expect(() => loadSnapshot(variant('repo.json', (j) => { j.pulls[0].repo = 'no-such-repo'; })))
      .toThrow(/no repo named "no-such-repo"/);
  });
});
