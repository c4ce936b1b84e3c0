import exifr from 'exifr';
import { DomainError } from '#libs/errors';
import type { ImageType } from './image-type.js';

/*
 * Photos arrive from phones with EXIF: GPS position, device serial numbers, owner names, thumbnails of the uncropped
 * picture. None of it is evidence, and a position can say where an inspector or a resident lives, so every photo is
 * rewritten on ingest keeping only what draws the picture. The capture time is read before and kept as its own column.
 *
 * Kept, per format, because decoders need it and it says nothing about anyone:
 * - JPEG: every non-APPn segment (tables, frames, scans), APP0 (JFIF), APP2 ICC_PROFILE (colours), APP14 Adobe (colour
 *   transform of CMYK files), and the orientation, rewritten as a fresh one-tag EXIF so portrait photos stay upright.
 *   Dropped: every other APPn (EXIF, XMP, IPTC, maker notes), comments, and anything after the end of the image.
 * - PNG: the critical chunks and the ancillary chunks that affect rendering; dropped: eXIf, text chunks, tIME, and
 *   every chunk not listed (private chunks can carry anything).
 * - WebP: every chunk but EXIF and XMP, whose flags are cleared in the VP8X header.
 */

/** The photo's bytes without metadata, and the camera's capture time when it recorded one. */
export interface CleanPhoto {
  bytes: Buffer;
  /** DateTimeOriginal as the camera wrote it (wall-clock, no zone): `YYYY-MM-DD HH:MM:SS`, or null. */
  capturedAt: string | null;
}

export async function cleanPhoto(bytes: Buffer, type: ImageType): Promise<CleanPhoto> {
  switch (type) {
    case 'image/jpeg': {
      const exif = await readExif(bytes);
      return { bytes: stripJpeg(bytes, exif.orientation), capturedAt: exif.capturedAt };
    }
    case 'image/png':
      return { bytes: stripPng(bytes), capturedAt: (await readExif(bytes)).capturedAt };
    case 'image/webp': {
      const { bytes: stripped, exif } = stripWebp(bytes);
      return { bytes: stripped, capturedAt: exif ? (await readExif(exif)).capturedAt : null };
    }
  }
}

function malformed(kind: string): DomainError {
  return DomainError.badInput(`The photo is not a well-formed ${kind} file`, 'MALFORMED_PHOTO');
}

// ---------------------------------------------------------------------------------------------------------------------
// EXIF reading (exifr): only the two values kept. A photo whose EXIF cannot be read simply has none.

interface ExifFacts {
  capturedAt: string | null;
  orientation: number | null;
}

const EXIF_DATE = /^(\d{4}):(\d{2}):(\d{2}) (\d{2}):(\d{2}):(\d{2})/;

async function readExif(bytes: Buffer): Promise<ExifFacts> {
  let parsed: Record<string, unknown> | undefined;
  try {
    // Raw values: the date as the camera wrote it, not turned into a Date in this server's time zone.
    // exifr declares its answer as any: the tags picked, or undefined when the photo has no EXIF. Each is checked below.
    parsed = (await exifr.parse(bytes, { pick: ['DateTimeOriginal', 'Orientation'], reviveValues: false, translateValues: false })) as
      Record<string, unknown> | undefined;
  } catch {
    return { capturedAt: null, orientation: null };
  }
  const date = typeof parsed?.DateTimeOriginal === 'string' ? EXIF_DATE.exec(parsed.DateTimeOriginal) : null;
  const capturedAt = date && isRealTime(date) ? `${date[1]}-${date[2]}-${date[3]} ${date[4]}:${date[5]}:${date[6]}` : null;
  const orientation =
    typeof parsed?.Orientation === 'number' && parsed.Orientation >= 2 && parsed.Orientation <= 8 ? parsed.Orientation : null;
  return { capturedAt, orientation };
}

/** Cameras write "0000:00:00 00:00:00" when their clock was never set; such a value is no time. */
function isRealTime([, y, mo, d, h, mi, s]: RegExpExecArray): boolean {
  const date = new Date(Date.UTC(+y, +mo - 1, +d, +h, +mi, +s));
  return +y >= 1900 && date.getUTCMonth() === +mo - 1 && date.getUTCDate() === +d && +h < 24 && +mi < 60 && +s < 60;
}

// ---------------------------------------------------------------------------------------------------------------------
// JPEG

const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;
const APP0 = 0xe0;
const APP1 = 0xe1;
const APP2 = 0xe2;
const APP14 = 0xee;
const APP15 = 0xef;
const COM = 0xfe;

/** Markers without a length field: SOI, EOI, RST0–7 and TEM. */
const standalone = (marker: number) => marker === SOI || marker === EOI || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7);

function keepJpegSegment(marker: number, payload: Buffer): boolean {
  if (marker === COM) return false;
  if (marker < APP0 || marker > APP15) return true;
  if (marker === APP0) return payload.subarray(0, 5).toString('latin1') === 'JFIF\0';
  if (marker === APP2) return payload.subarray(0, 12).toString('latin1') === 'ICC_PROFILE\0';
  if (marker === APP14) return payload.subarray(0, 5).toString('latin1') === 'Adobe';
  return false;
}

export function stripJpeg(bytes: Buffer, orientation: number | null = null): Buffer {
  if (bytes[0] !== 0xff || bytes[1] !== SOI) throw malformed('JPEG');
  const kept: Buffer[] = [bytes.subarray(0, 2)];
  let at = 2;
  while (at < bytes.length) {
    if (bytes[at] !== 0xff) throw malformed('JPEG');
    // Any number of 0xFF fill bytes may precede a marker.
    while (bytes[at + 1] === 0xff) at++;
    if (at + 1 >= bytes.length) throw malformed('JPEG');
    const marker = bytes[at + 1];
    if (marker === EOI) {
      kept.push(bytes.subarray(at, at + 2));
      break; // What follows the image (vendors' trailers) is dropped with the rest of the metadata.
    }
    if (standalone(marker)) {
      kept.push(bytes.subarray(at, at + 2));
      at += 2;
      continue;
    }
    if (at + 4 > bytes.length) throw malformed('JPEG');
    const length = bytes.readUInt16BE(at + 2);
    const end = at + 2 + length;
    if (length < 2 || end > bytes.length) throw malformed('JPEG');
    const payload = bytes.subarray(at + 4, end);
    if (keepJpegSegment(marker, payload)) kept.push(bytes.subarray(at, end));
    at = end;
    if (marker === SOS) {
      // Entropy-coded data runs to the next marker that is not a stuffed 0xFF00 or a restart marker.
      let scan = at;
      while (
        scan < bytes.length &&
        !(bytes[scan] === 0xff && bytes[scan + 1] !== 0x00 && !(bytes[scan + 1] >= 0xd0 && bytes[scan + 1] <= 0xd7))
      )
        scan++;
      kept.push(bytes.subarray(at, scan));
      at = scan;
    }
  }
  // The orientation follows JFIF, which must come first, or leads when there is none.
  if (orientation !== null) kept.splice(kept[1]?.[1] === APP0 ? 2 : 1, 0, orientationSegment(orientation));
  return Buffer.concat(kept);
}

/** An APP1 EXIF segment holding only the orientation tag (0x0112), big-endian TIFF. */
function orientationSegment(orientation: number): Buffer {
  const tiff = Buffer.alloc(8 + 2 + 12 + 4);
  tiff.write('MM', 0, 'latin1');
  tiff.writeUInt16BE(42, 2);
  tiff.writeUInt32BE(8, 4); // the first IFD follows the header
  tiff.writeUInt16BE(1, 8); // one entry
  tiff.writeUInt16BE(0x0112, 10); // Orientation
  tiff.writeUInt16BE(3, 12); // SHORT
  tiff.writeUInt32BE(1, 14); // one value
  tiff.writeUInt16BE(orientation, 18); // the value, left-justified in the 4-byte field
  // bytes 22–25: no next IFD (zero)
  const payload = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const header = Buffer.alloc(4);
  header.writeUInt8(0xff, 0);
  header.writeUInt8(APP1, 1);
  header.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([header, payload]);
}

// ---------------------------------------------------------------------------------------------------------------------
// PNG

const PNG_SIGNATURE_LENGTH = 8;
/** Chunks kept: the critical ones, those that change how pixels look, and animation (APNG). */
const PNG_KEPT = new Set([
  'IHDR',
  'PLTE',
  'IDAT',
  'IEND',
  'tRNS',
  'cHRM',
  'gAMA',
  'iCCP',
  'sBIT',
  'sRGB',
  'cICP',
  'mDCv',
  'cLLi',
  'bKGD',
  'hIST',
  'pHYs',
  'sPLT',
  'acTL',
  'fcTL',
  'fdAT',
]);

export function stripPng(bytes: Buffer): Buffer {
  const kept: Buffer[] = [bytes.subarray(0, PNG_SIGNATURE_LENGTH)];
  let at = PNG_SIGNATURE_LENGTH;
  while (at < bytes.length) {
    if (at + 12 > bytes.length) throw malformed('PNG');
    const end = at + 12 + bytes.readUInt32BE(at);
    if (end > bytes.length) throw malformed('PNG');
    const type = bytes.subarray(at + 4, at + 8).toString('latin1');
    if (PNG_KEPT.has(type)) kept.push(bytes.subarray(at, end));
    at = end;
    if (type === 'IEND') break;
  }
  return Buffer.concat(kept);
}

// ---------------------------------------------------------------------------------------------------------------------
// WebP (RIFF)

const VP8X_EXIF = 0x08;
const VP8X_XMP = 0x04;

/** The WebP without its EXIF and XMP chunks, and the EXIF payload (a TIFF block) when there was one. */
export function stripWebp(bytes: Buffer): { bytes: Buffer; exif: Buffer | null } {
  const chunks: Buffer[] = [];
  let exif: Buffer | null = null;
  const riffEnd = Math.min(bytes.length, 8 + bytes.readUInt32LE(4));
  let at = 12;
  while (at < riffEnd) {
    if (at + 8 > riffEnd) throw malformed('WebP');
    const type = bytes.subarray(at, at + 4).toString('latin1');
    const size = bytes.readUInt32LE(at + 4);
    const end = at + 8 + size + (size % 2);
    if (at + 8 + size > riffEnd) throw malformed('WebP');
    const data = bytes.subarray(at + 8, at + 8 + size);
    if (type === 'EXIF') {
      // Some writers put JPEG's "Exif\0\0" before the TIFF header.
      exif = data.subarray(0, 6).toString('latin1') === 'Exif\0\0' ? data.subarray(6) : data;
    } else if (type !== 'XMP ') {
      const chunk = Buffer.from(bytes.subarray(at, Math.min(end, riffEnd)));
      if (type === 'VP8X') chunk[8] &= ~(VP8X_EXIF | VP8X_XMP);
      chunks.push(chunk);
    }
    at = end;
  }
  const header = Buffer.from(bytes.subarray(0, 12));
  const body = Buffer.concat(chunks);
  header.writeUInt32LE(4 + body.length, 4);
  return { bytes: Buffer.concat([header, body]), exif };
}
