import { describe, expect, it } from '@jest/globals';
import { sniffImageType } from '../image-type.js';
import { JPEG, WEBP, png } from './photos.js';

const bytes = (...values: (number | string)[]) =>
  Buffer.concat(values.map((v) => (typeof v === 'string' ? Buffer.from(v, 'latin1') : Buffer.from([v]))));

describe('sniffImageType', () => {
  it.each([
    ['a JPEG', JPEG, 'image/jpeg'],
    ['a PNG', png(), 'image/png'],
    ['a WebP', WEBP, 'image/webp'],
    ['a lossy WebP header', bytes('RIFF', 0, 0, 0, 0, 'WEBPVP8 '), 'image/webp'],
    ['an extended WebP header', bytes('RIFF', 0, 0, 0, 0, 'WEBPVP8X'), 'image/webp'],
  ])('recognises %s by its bytes', (_, content, type) => {
    expect(sniffImageType(content)).toBe(type);
  });

  it.each([
    ['text', Buffer.from('This is not a photo, whatever its name says.jpg')],
    ['nothing', Buffer.alloc(0)],
    ['a GIF', bytes('GIF89a', 1, 0, 1, 0)],
    ['a PDF', bytes('%PDF-1.7\n')],
    ['an SVG', bytes('<svg xmlns="http://www.w3.org/2000/svg"/>')],
    ['a WAV (RIFF, but not WEBP)', bytes('RIFF', 0, 0, 0, 0, 'WAVEfmt ')],
    ['a RIFF WEBP without an image chunk', bytes('RIFF', 0, 0, 0, 0, 'WEBPEXIF')],
    ['a truncated WebP header', bytes('RIFF', 0, 0, 0, 0, 'WEBP')],
    ['a PNG signature with one wrong byte', Buffer.concat([bytes(0x89, 'PNG', 0x0d, 0x0a, 0x1a, 0x0b), png().subarray(8)])],
    ['the first two bytes of a JPEG only', JPEG.subarray(0, 2)],
    ['a JPEG marker later in the file', Buffer.concat([bytes('x'), JPEG])],
  ])('refuses %s', (_, content) => {
    expect(sniffImageType(content)).toBeNull();
  });
});
