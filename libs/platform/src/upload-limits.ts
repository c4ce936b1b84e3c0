/**
 * Upload sizes: what households accepts as a file, and what the gateway forwards to it as a request (the file plus
 * room for its multipart envelope: boundaries and part headers). One place, so the two cannot drift apart.
 */
export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;
export const MAX_COLLECTION_IMPORT_FILE_BYTES = 10 * 1024 * 1024;
const MULTIPART_ENVELOPE_BYTES = 64 * 1024;
export const MAX_UPLOAD_REQUEST_BYTES = MAX_PHOTO_BYTES + MULTIPART_ENVELOPE_BYTES;
export const MAX_COLLECTION_IMPORT_REQUEST_BYTES = MAX_COLLECTION_IMPORT_FILE_BYTES + MULTIPART_ENVELOPE_BYTES;
