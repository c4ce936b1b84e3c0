/**
 * Where photo bytes live, by storage key. The `upload` table says what a key holds; the storage only keeps bytes.
 * Implementations write atomically: after `put` resolves the whole file is there, and a failed or interrupted `put`
 * leaves nothing under the key. Also the Nest injection token of the storage in use.
 */
export abstract class PhotoStorage {
  /** Stores `bytes` under `key`, replacing nothing that a reader could see half-written. */
  abstract put(key: string, bytes: Uint8Array): Promise<void>;
  /** The bytes under `key`, or null when there are none. */
  abstract get(key: string): Promise<Buffer | null>;
  /** Removes what is stored under `key`; nothing stored there is not an error. */
  abstract delete(key: string): Promise<void>;
}

const KEY = /^[a-z0-9][a-z0-9_-]*(\/[a-z0-9][a-z0-9_-]*)*(\.[a-z0-9]+)?$/;

/** Keys are relative, lower-case paths without dots except one extension: they cannot leave the storage's root. */
export function requireStorageKey(key: string): string {
  if (!KEY.test(key) || key.length > 200) throw new Error(`Invalid storage key ${JSON.stringify(key)}`);
  return key;
}
