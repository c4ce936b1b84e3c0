import { afterEach, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EnvironmentError } from '#libs/config';
import { LocalDirectoryStorage } from '../local-directory-storage.js';
import { createPhotoStorage, parseUploadDirectory } from '../upload-directory.js';

describe('UPLOAD_DIR', () => {
  const scratch: string[] = [];
  const scratchDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'upload-dir-'));
    scratch.push(dir);
    return dir;
  };

  afterEach(() => {
    for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('defaults to uploads/ in the working directory, also when set empty', () => {
    expect(parseUploadDirectory({}, '/srv/waste')).toBe('/srv/waste/uploads');
    expect(parseUploadDirectory({ UPLOAD_DIR: '  ' }, '/srv/waste')).toBe('/srv/waste/uploads');
  });

  it('takes an absolute path as it is and a relative one from the working directory', () => {
    expect(parseUploadDirectory({ UPLOAD_DIR: '/var/lib/waste/photos/' }, '/srv/waste')).toBe('/var/lib/waste/photos');
    expect(parseUploadDirectory({ UPLOAD_DIR: 'data/photos' }, '/srv/waste')).toBe('/srv/waste/data/photos');
  });

  it.each([
    ['photos\0', 'UPLOAD_DIR: must not contain a NUL character'],
    [' /var/photos', 'UPLOAD_DIR: must not start or end with white space'],
  ])('refuses %j with one error naming the variable', (value, problem) => {
    expect(() => parseUploadDirectory({ UPLOAD_DIR: value })).toThrow(EnvironmentError);
    try {
      parseUploadDirectory({ UPLOAD_DIR: value });
    } catch (error) {
      expect((error as EnvironmentError).problems).toEqual([problem]);
    }
  });

  it('creates the directory when the service starts', async () => {
    const dir = join(scratchDir(), 'photos');
    const storage = await createPhotoStorage({ mode: 'serve' }, { UPLOAD_DIR: dir });
    expect(storage).toBeInstanceOf(LocalDirectoryStorage);
    expect(existsSync(dir)).toBe(true);
  });

  it('stops the service at start when photos cannot be written there', async () => {
    const file = join(scratchDir(), 'not-a-directory');
    writeFileSync(file, '');
    await expect(createPhotoStorage({ mode: 'serve' }, { UPLOAD_DIR: file })).rejects.toThrow(
      new RegExp(`UPLOAD_DIR: cannot write photos to ${file} \\(ENOTDIR\\)`),
    );
  });

  it('touches no disk when only the schema is built', async () => {
    const dir = join(scratchDir(), 'photos');
    await createPhotoStorage({ mode: 'schema' }, { UPLOAD_DIR: dir });
    expect(existsSync(dir)).toBe(false);
  });
});
