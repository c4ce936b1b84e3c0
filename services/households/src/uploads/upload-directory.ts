import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { EnvironmentError, unsetIfEmpty } from '#libs/config';
import type { ServiceRuntime } from '#libs/platform';
import { LocalDirectoryStorage } from './local-directory-storage.js';
import type { PhotoStorage } from './photo-storage.js';

/** Where photos go when `UPLOAD_DIR` is unset: `uploads/` in the directory the service was started from. */
export const DEFAULT_UPLOAD_DIR = 'uploads';

const uploadDir = z.preprocess(
  unsetIfEmpty,
  z
    .string()
    .default(DEFAULT_UPLOAD_DIR)
    .refine((value) => !value.includes('\0'), 'must not contain a NUL character')
    .refine((value) => value === value.trim(), 'must not start or end with white space'),
);

/**
 * The absolute upload directory from `UPLOAD_DIR` (relative paths are taken from the working directory), or one
 * EnvironmentError saying what is wrong with it.
 */
export function parseUploadDirectory(env: Record<string, string | undefined>, cwd = process.cwd()): string {
  const result = uploadDir.safeParse(env.UPLOAD_DIR);
  if (!result.success) throw new EnvironmentError(result.error.issues.map((issue) => `UPLOAD_DIR: ${issue.message}`));
  return isAbsolute(result.data) ? resolve(result.data) : resolve(cwd, result.data);
}

/**
 * The photo storage of a running service: a local directory, created at start and checked for writing, so a
 * wrong `UPLOAD_DIR` stops the service at boot rather than failing the first upload. Building the schema only
 * (`npm run compose`) touches no disk.
 */
export async function createPhotoStorage(
  runtime: Pick<ServiceRuntime, 'mode'>,
  env: Record<string, string | undefined> = process.env,
): Promise<PhotoStorage> {
  const storage = new LocalDirectoryStorage(parseUploadDirectory(env));
  if (runtime.mode === 'serve') {
    try {
      await storage.prepare();
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      throw new EnvironmentError([`UPLOAD_DIR: cannot write photos to ${storage.root} (${reason})`]);
    }
  }
  return storage;
}
