import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalDirectoryStorage } from '../local-directory-storage.js';
import { png } from './photos.js';

/** Every file under `dir`, relative, temporary ones included. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1))
    .sort();
}

describe('LocalDirectoryStorage', () => {
  let root: string;
  let storage: LocalDirectoryStorage;

  beforeEach(async () => {
    root = join(mkdtempSync(join(tmpdir(), 'photo-storage-')), 'uploads');
    storage = new LocalDirectoryStorage(root);
    await storage.prepare();
  });

  afterEach(() => {
    rmSync(join(root, '..'), { recursive: true, force: true });
  });

  it('creates its directory and keeps the bytes under their key, leaving no temporary file', async () => {
    const photo = png();
    await storage.put('ab/ab12cd.png', photo);
    expect(readFileSync(join(root, 'ab/ab12cd.png'))).toEqual(photo);
    expect(await storage.get('ab/ab12cd.png')).toEqual(photo);
    expect(filesUnder(root)).toEqual(['ab/ab12cd.png']);
  });

  it('answers null for a key with nothing stored, and deletes idempotently', async () => {
    expect(await storage.get('ff/missing.png')).toBeNull();
    await storage.put('ff/present.png', png());
    await storage.delete('ff/present.png');
    await storage.delete('ff/present.png');
    expect(await storage.get('ff/present.png')).toBeNull();
  });

  it.each(['../escape.png', 'ab/../../escape.png', '/etc/passwd', 'ab//x.png', 'AB/x.png', '.tmp/x.part', ''])(
    'refuses the key %j',
    async (key) => {
      await expect(storage.put(key, png())).rejects.toThrow(/Invalid storage key/);
      await expect(storage.get(key)).rejects.toThrow(/Invalid storage key/);
      expect(existsSync(join(root, '..', 'escape.png'))).toBe(false);
    },
  );

  it('leaves neither the file nor a temporary file when a write fails', async () => {
    writeFileSync(join(root, 'cd'), 'a file where the key needs a directory');
    await expect(storage.put('cd/photo.png', png())).rejects.toThrow();
    expect(filesUnder(root)).toEqual(['cd']);
  });

  it('removes temporary files an hour old at start, and keeps recent ones', async () => {
    const stale = join(root, '.tmp', 'died-mid-write.part');
    const recent = join(root, '.tmp', 'still-writing.part');
    writeFileSync(stale, 'half a photo');
    writeFileSync(recent, 'half a photo');
    const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    utimesSync(stale, twoHoursAgo, twoHoursAgo);
    await storage.prepare();
    expect(filesUnder(root)).toEqual(['.tmp/still-writing.part']);
  });

  it('replaces the bytes under a key whole', async () => {
    await storage.put('ee/photo.png', png({ rgb: [1, 2, 3] }));
    await storage.put('ee/photo.png', png({ rgb: [4, 5, 6] }));
    expect(await storage.get('ee/photo.png')).toEqual(png({ rgb: [4, 5, 6] }));
  });
});
