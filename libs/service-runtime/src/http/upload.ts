import { PayloadTooLargeException } from '@nestjs/common';
import { Request } from 'express';
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface ReceivedUpload {
  path: string;
  bytes: number;
  sha256: string;
}

class TooLarge extends Error {}

/**
 * Streams a request body to a file (never held in memory), hashing it on the way. Over `maxBytes` (declared in
 * Content-Length or counted) the file is removed and the answer is 413; the rest of the body is read and dropped so
 * the client gets the answer instead of a reset connection.
 */
export async function receiveUpload(request: Request, options: { dir: string; name: string; maxBytes: number }): Promise<ReceivedUpload> {
  const tooLarge = () => new PayloadTooLargeException({ statusCode: 413, error: 'payload-too-large', message: `the upload is larger than ${options.maxBytes} bytes` });
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > options.maxBytes) {
    request.resume();
    throw tooLarge();
  }
  await mkdir(options.dir, { recursive: true });
  const path = join(options.dir, options.name);
  const hash = createHash('sha256');
  let bytes = 0;
  const count = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      if (bytes > options.maxBytes) return done(new TooLarge());
      hash.update(chunk);
      done(null, chunk);
    },
  });
  // the request is piped by hand: a pipeline would destroy it on error, and with it the socket the 413 goes out on
  const written = pipeline(count, createWriteStream(path));
  request.on('error', (error) => count.destroy(error));
  request.on('aborted', () => count.destroy(new Error('the upload was aborted')));
  request.pipe(count);
  try {
    await written;
  } catch (error) {
    request.unpipe(count);
    await rm(path, { force: true });
    if (error instanceof TooLarge) {
      request.resume();
      throw tooLarge();
    }
    throw error;
  }
  return { path, bytes, sha256: hash.digest('hex') };
}
