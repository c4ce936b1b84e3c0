import { crc32, deflateSync } from 'node:zlib';

/**
 * Small but complete images for tests. The PNG is built here chunk by chunk; the JPEG (1×1 grey, baseline) and the
 * WebP (2×2 lossless) are the bytes libjpeg-turbo's cjpeg and libwebp's cwebp wrote, and decode with djpeg/dwebp.
 */
export const JPEG = Buffer.from(
  '/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDABALDA4MChAODQ4SERATGCgaGBYWGDEjJR0oOjM9PDkzODdASFxOQERXRTc4UG1RV19iZ2hnPk1xeXBkeFxlZ2P/' +
    'wAALCAABAAEBAREA/8QAFAABAAAAAAAAAAAAAAAAAAAAAP/EABQQAQAAAAAAAAAAAAAAAAAAAAD/2gAIAQEAAD8AP//Z',
  'base64',
);

export const WEBP = Buffer.from('UklGRiwAAABXRUJQVlA4TB8AAAAvAUAAAB8gEEjeHzqN+RcQFPwf3fxHZA/gBgwR/Q8BAA==', 'base64');

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const CHUNK_OVERHEAD = 12;

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

/**
 * A valid 1×1 RGB PNG of the given colour. With `size`, a private ancillary chunk (`paDd`, which decoders skip)
 * pads the file to exactly that many bytes: a real image of any size, for the limits.
 */
export function png(options: { rgb?: [number, number, number]; size?: number } = {}): Buffer {
  const [r, g, b] = options.rgb ?? [0xd0, 0x30, 0x20];
  const header = Buffer.alloc(13);
  header.writeUInt32BE(1, 0); // width
  header.writeUInt32BE(1, 4); // height
  header.set([8, 2, 0, 0, 0], 8); // 8 bits, truecolour, deflate, adaptive filtering, no interlace
  const ihdr = chunk('IHDR', header);
  const idat = chunk('IDAT', deflateSync(Buffer.from([0, r, g, b])));
  const iend = chunk('IEND', Buffer.alloc(0));
  const unpadded = PNG_SIGNATURE.length + ihdr.length + idat.length + iend.length;
  if (options.size === undefined) return Buffer.concat([PNG_SIGNATURE, ihdr, idat, iend]);
  const padding = options.size - unpadded - CHUNK_OVERHEAD;
  if (padding < 0) throw new Error(`A padded PNG is at least ${unpadded + CHUNK_OVERHEAD} bytes`);
  return Buffer.concat([PNG_SIGNATURE, ihdr, chunk('paDd', Buffer.alloc(padding)), idat, iend]);
}
