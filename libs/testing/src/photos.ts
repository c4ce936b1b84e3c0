import { crc32, deflateSync } from 'node:zlib';

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([Buffer.from(type, 'ascii'), data])));
  return Buffer.concat([length, Buffer.from(type, 'ascii'), data, crc]);
}

/** A valid 1×1 grey PNG: the smallest photo households accepts. */
export const TINY_PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0])), // 1×1, 8-bit greyscale
  chunk('IDAT', deflateSync(Buffer.from([0, 0x80]))),
  chunk('IEND', Buffer.alloc(0)),
]);

/**
 * Uploads a photo through the gateway as `token`'s user, as a phone does before citing it as evidence (a record may
 * cite only its author's own uploads); returns its id.
 */
export async function uploadPhoto(platform: { gatewayUrl: string }, token: string, bytes: Uint8Array = TINY_PNG): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([bytes], { type: 'image/png' }), 'photo.png');
  const response = await fetch(platform.gatewayUrl.replace(/\/graphql$/, '/uploads'), {
    method: 'POST',
    body: form,
    headers: { authorization: `Bearer ${token}` },
  });
  const body = (await response.json()) as { id?: string };
  if (response.status !== 201 || !body.id) throw new Error(`Upload failed (${response.status}): ${JSON.stringify(body)}`);
  return body.id;
}
