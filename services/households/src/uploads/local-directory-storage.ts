import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { access, mkdir, open, readdir, readFile, rename, rm, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { PhotoStorage, requireStorageKey } from './photo-storage.js';

/** Temporary files live inside the root, so the final rename stays on one file system and is atomic. */
const TEMPORARY = '.tmp';
/** Temporary files older than this are left over from a process that died mid-write. */
const STALE_TEMPORARY_MS = 60 * 60 * 1000;

/**
 * Photos as files under one directory (`UPLOAD_DIR`). Each `put` writes a temporary file, flushes it to disk and
 * renames it into place, so a reader never sees a partial photo and a request that dies mid-write leaves at most a
 * temporary file, which `prepare` removes once it is an hour old.
 */
export class LocalDirectoryStorage extends PhotoStorage {
  constructor(readonly root: string) {
    super();
  }

  /** Creates the directory when missing and checks it is writable; removes stale temporary files. */
  async prepare(): Promise<void> {
    const temporary = join(this.root, TEMPORARY);
    await mkdir(temporary, { recursive: true });
    await access(this.root, constants.W_OK);
    const cutoff = Date.now() - STALE_TEMPORARY_MS;
    for (const name of await readdir(temporary)) {
      const path = join(temporary, name);
      const info = await stat(path).catch(() => null);
      if (info && info.mtimeMs < cutoff) await rm(path, { force: true });
    }
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    const target = this.pathOf(key);
    const temporary = join(this.root, TEMPORARY, `${randomUUID()}.part`);
    await mkdir(dirname(temporary), { recursive: true });
    try {
      const file = await open(temporary, 'wx', 0o640);
      try {
        await file.writeFile(bytes);
        await file.sync();
      } finally {
        await file.close();
      }
      await mkdir(dirname(target), { recursive: true });
      await rename(temporary, target);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      return await readFile(this.pathOf(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    try {
      await unlink(this.pathOf(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }

  private pathOf(key: string): string {
    return join(this.root, requireStorageKey(key));
  }
}
