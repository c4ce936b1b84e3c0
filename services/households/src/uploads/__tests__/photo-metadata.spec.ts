import { describe, expect, it } from '@jest/globals';
import exifr from 'exifr';
import { cleanPhoto, stripJpeg, stripPng, stripWebp } from '../photo-metadata.js';
import { sniffImageType } from '../image-type.js';
import { JPEG, WEBP, jpegWithExif, png, pngWithExif, webpWithExif } from './photos.js';

const NINGBO = { latitude: 29.8683, longitude: 121.544 };

describe('photo metadata on ingest', () => {
  it("drops a JPEG's GPS and camera EXIF, keeps its capture time apart and its orientation, and leaves the picture as it was", async () => {
    const sent = jpegWithExif({ ...NINGBO, takenAt: '2026:11:03 08:15:42', orientation: 6 });
    expect(await exifr.gps(sent)).toMatchObject({ latitude: expect.closeTo(29.8683, 3) });

    const { bytes, capturedAt } = await cleanPhoto(sent, 'image/jpeg');
    expect(capturedAt).toBe('2026-11-03 08:15:42');
    expect(await exifr.gps(bytes)).toBeUndefined();
    expect(await exifr.parse(bytes, { translateValues: false })).toEqual({ Orientation: 6 });
    expect(bytes.includes(Buffer.from('TestPhone'))).toBe(false);
    // Without the rewritten orientation, what is left is the original picture byte for byte.
    expect(stripJpeg(bytes)).toEqual(JPEG);
  });

  it('leaves a JPEG without metadata unchanged, and drops comments and what follows its end', () => {
    expect(stripJpeg(JPEG)).toEqual(JPEG);
    const comment = Buffer.concat([Buffer.from([0xff, 0xfe, 0x00, 0x0d]), Buffer.from('Zhang San  ', 'latin1')]);
    const withExtras = Buffer.concat([JPEG.subarray(0, 2), comment, JPEG.subarray(2), Buffer.from('trailer with a phone number')]);
    expect(stripJpeg(withExtras)).toEqual(JPEG);
  });

  it('refuses a JPEG whose segment runs past its end as MALFORMED_PHOTO', () => {
    expect(() => stripJpeg(JPEG.subarray(0, 30))).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT', reason: 'MALFORMED_PHOTO' }));
  });

  it("drops a PNG's eXIf and text chunks, keeping the capture time", async () => {
    const sent = pngWithExif({ ...NINGBO, takenAt: '2025:06:30 18:00:00' });
    expect(await exifr.gps(sent)).toBeDefined();
    const { bytes, capturedAt } = await cleanPhoto(sent, 'image/png');
    expect(capturedAt).toBe('2025-06-30 18:00:00');
    expect(bytes).toEqual(png());
    expect(stripPng(png({ size: 4096 }))).toEqual(png());
  });

  it("drops a WebP's EXIF chunk and clears its flag, keeping a valid WebP", async () => {
    const sent = webpWithExif({ ...NINGBO, takenAt: '2024:02:29 23:59:59' });
    const { bytes, capturedAt } = await cleanPhoto(sent, 'image/webp');
    expect(capturedAt).toBe('2024-02-29 23:59:59');
    expect(bytes.includes(Buffer.from('EXIF'))).toBe(false);
    expect(bytes[20] & 0x08).toBe(0);
    expect(sniffImageType(bytes)).toBe('image/webp');
    expect(bytes.readUInt32LE(4)).toBe(bytes.length - 8);
    expect(stripWebp(WEBP).bytes).toEqual(WEBP);
  });

  it("keeps no capture time when the camera's clock was never set", async () => {
    const { capturedAt } = await cleanPhoto(jpegWithExif({ ...NINGBO, takenAt: '0000:00:00 00:00:00' }), 'image/jpeg');
    expect(capturedAt).toBeNull();
  });
});
