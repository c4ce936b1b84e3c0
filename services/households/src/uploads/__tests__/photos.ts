import { crc32, deflateSync } from 'node:zlib';
import piexif from 'piexifjs';

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

/** Where and when a test photo says it was taken. */
export interface PhotoExif {
  /** Degrees, north and east positive. */
  latitude: number;
  longitude: number;
  /** DateTimeOriginal as cameras write it: `YYYY:MM:DD HH:MM:SS`. */
  takenAt?: string;
  orientation?: number;
}

/** `JPEG` as a phone would send it: with EXIF (piexifjs) holding a GPS position, the camera's make and a capture time. */
export function jpegWithExif(exif: PhotoExif): Buffer {
  const rational = (degrees: number): [number, number][] => {
    const value = Math.abs(degrees);
    const d = Math.floor(value);
    const m = Math.floor((value - d) * 60);
    const s = Math.round(((value - d) * 60 - m) * 60 * 100);
    return [
      [d, 1],
      [m, 1],
      [s, 100],
    ];
  };
  const dump = piexif.dump({
    '0th': { [piexif.ImageIFD.Make]: 'TestPhone', [piexif.ImageIFD.Orientation]: exif.orientation ?? 1 },
    Exif: exif.takenAt ? { [piexif.ExifIFD.DateTimeOriginal]: exif.takenAt } : {},
    GPS: {
      [piexif.GPSIFD.GPSLatitudeRef]: exif.latitude >= 0 ? 'N' : 'S',
      [piexif.GPSIFD.GPSLatitude]: rational(exif.latitude),
      [piexif.GPSIFD.GPSLongitudeRef]: exif.longitude >= 0 ? 'E' : 'W',
      [piexif.GPSIFD.GPSLongitude]: rational(exif.longitude),
    },
  });
  return Buffer.from(piexif.insert(dump, JPEG.toString('binary')), 'binary');
}

/** `png()` with a text chunk and an eXIf chunk (the TIFF block piexifjs writes) holding a GPS position. */
export function pngWithExif(exif: PhotoExif): Buffer {
  const app1 = exifBlock(exif);
  const plain = png();
  const ihdrEnd = PNG_SIGNATURE.length + 25;
  return Buffer.concat([
    plain.subarray(0, ihdrEnd),
    chunk('tEXt', Buffer.from('Author\0Zhang San, 12 Wenhua Rd', 'latin1')),
    chunk('eXIf', app1),
    plain.subarray(ihdrEnd),
  ]);
}

/** `WEBP` turned into an extended WebP (VP8X) carrying an EXIF chunk with a GPS position. */
export function webpWithExif(exif: PhotoExif): Buffer {
  const tiff = exifBlock(exif);
  const vp8x = Buffer.alloc(10);
  vp8x[0] = 0x08; // EXIF present
  // Canvas 2×2: width-1 and height-1 as 24-bit little-endian.
  vp8x.writeUIntLE(1, 4, 3);
  vp8x.writeUIntLE(1, 7, 3);
  const riffChunk = (type: string, data: Buffer) => {
    const header = Buffer.alloc(8);
    header.write(type, 0, 'latin1');
    header.writeUInt32LE(data.length, 4);
    return Buffer.concat([header, data, data.length % 2 ? Buffer.alloc(1) : Buffer.alloc(0)]);
  };
  const body = Buffer.concat([Buffer.from('WEBP', 'latin1'), riffChunk('VP8X', vp8x), WEBP.subarray(12), riffChunk('EXIF', tiff)]);
  const header = Buffer.alloc(8);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(body.length, 4);
  return Buffer.concat([header, body]);
}

/** The TIFF block of the EXIF piexifjs writes (without JPEG's "Exif\0\0" prefix). */
function exifBlock(exif: PhotoExif): Buffer {
  const jpeg = jpegWithExif(exif);
  // Walks the segments after SOI to APP1: FF E1, length, "Exif\0\0", TIFF.
  let at = 2;
  while (jpeg[at + 1] !== 0xe1) at += 2 + jpeg.readUInt16BE(at + 2);
  return jpeg.subarray(at + 4 + 6, at + 2 + jpeg.readUInt16BE(at + 2));
}
