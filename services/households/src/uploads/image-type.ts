import { MAX_PHOTO_BYTES } from '#libs/platform';

/** Why a photo is refused for size: over 5 MB (5,242,880 bytes), as the `upload.size_bytes` check also says. */
export const PHOTO_TOO_LARGE = `A photo may be at most ${MAX_PHOTO_BYTES.toLocaleString('en')} bytes (5 MB)`;

/** The image types a photo may be; stored in `upload.content_type`. */
export const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type ImageType = (typeof IMAGE_TYPES)[number];

export const IMAGE_EXTENSIONS: Record<ImageType, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
};

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG_SOI = [0xff, 0xd8, 0xff];
const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));
const RIFF = ascii('RIFF');
const WEBP = ascii('WEBP');
/** The first chunk of a WebP file: lossy, lossless or extended. */
const WEBP_CHUNKS = [ascii('VP8 '), ascii('VP8L'), ascii('VP8X')];

function startsWith(bytes: Uint8Array, expected: readonly number[], at = 0): boolean {
  if (bytes.length < at + expected.length) return false;
  return expected.every((byte, i) => bytes[at + i] === byte);
}

/**
 * The type of an image judged by its bytes (magic numbers), never by a declared type or file name:
 * JPEG starts FF D8 FF, PNG with its 8-byte signature, WebP is a RIFF container of form type WEBP whose first chunk
 * is VP8, VP8L or VP8X. Anything else is null.
 */
export function sniffImageType(bytes: Uint8Array): ImageType | null {
  if (startsWith(bytes, JPEG_SOI)) return 'image/jpeg';
  if (startsWith(bytes, PNG_SIGNATURE)) return 'image/png';
  if (startsWith(bytes, RIFF) && startsWith(bytes, WEBP, 8) && WEBP_CHUNKS.some((chunk) => startsWith(bytes, chunk, 12))) {
    return 'image/webp';
  }
  return null;
}
