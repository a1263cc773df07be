/**
 * Reads a request body whole, as the engine takes an INSERT's data in one piece: decompressed by its
 * Content-Encoding (gzip, deflate, br, and zstd where Node has it, as `@clickhouse/client` may send), and
 * bounded both as sent and after decompression, so a small bomb cannot fill memory.
 */
import type { IncomingMessage } from 'node:http';
import type { Transform } from 'node:stream';
import zlib from 'node:zlib';

/** The body broke a limit, or its encoding is unknown or corrupt. */
export class BodyError extends Error {
  constructor(
    readonly status: 413 | 400 | 415,
    message: string,
  ) {
    super(message);
    this.name = 'BodyError';
  }
}

export interface BodyLimits {
  maxBodyBytes: number;
  maxDecompressedBytes: number;
}

function decoderFor(encoding: string): Transform | null {
  switch (encoding) {
    case '':
    case 'identity':
      return null;
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip();
    case 'deflate':
      return zlib.createInflate();
    case 'br':
      return zlib.createBrotliDecompress();
    case 'zstd': {
      const create = (zlib as unknown as { createZstdDecompress?: () => Transform }).createZstdDecompress;
      if (create !== undefined) return create();
      throw new BodyError(415, 'zstd request bodies need a newer Node.js; send gzip');
    }
    default:
      throw new BodyError(415, `unknown Content-Encoding ${JSON.stringify(encoding)}`);
  }
}

/**
 * The body as text. Throws BodyError. Past a limit it keeps reading and drops the rest, so the caller can
 * still answer 413 on a connection the client is writing to (destroying it would read as a network fault,
 * which writers retry).
 */
export async function readBody(req: IncomingMessage, limits: BodyLimits): Promise<string> {
  // A request that waited in the queue may have lost its client meanwhile; its events are gone already.
  if (req.destroyed) throw new BodyError(400, 'the client closed the connection before its body was read');
  const encoding = String(req.headers['content-encoding'] ?? '').trim().toLowerCase();
  const decoder = decoderFor(encoding);
  const chunks: Buffer[] = [];
  let sent = 0;
  let size = 0;
  const state: { failure: BodyError | null } = { failure: null };
  let failed = (): void => undefined;
  const fail = (e: BodyError): void => {
    if (state.failure !== null) return;
    state.failure = e;
    chunks.length = 0;
    if (decoder !== null) {
      req.unpipe(decoder);
      decoder.destroy();
      req.resume();
    }
    failed();
  };
  const collect = (chunk: Buffer): void => {
    if (state.failure !== null) return;
    size += chunk.length;
    if (size > limits.maxDecompressedBytes) fail(new BodyError(413, `decompressed request body exceeds the store's limit of ${limits.maxDecompressedBytes} bytes`));
    else chunks.push(chunk);
  };
  await new Promise<void>((resolve, reject) => {
    // Done when the client has sent everything and the decoder has given everything (or failed).
    let reqEnded = false;
    let decoded = decoder === null;
    const settle = (): void => {
      if (reqEnded && (decoded || state.failure !== null)) resolve();
    };
    failed = settle;
    req.on('data', (chunk: Buffer) => {
      sent += chunk.length;
      if (sent > limits.maxBodyBytes) fail(new BodyError(413, `request body exceeds the store's limit of ${limits.maxBodyBytes} bytes`));
    });
    req.on('error', (err) => reject(new BodyError(400, `request body aborted: ${err.message}`)));
    req.on('close', () => {
      if (!req.complete) reject(new BodyError(400, 'the client closed the connection before its body was complete'));
    });
    req.on('end', () => {
      reqEnded = true;
      settle();
    });
    if (decoder === null) {
      req.on('data', collect);
      return;
    }
    decoder.on('data', collect);
    decoder.on('error', (err) => fail(new BodyError(400, `cannot decode the ${encoding} request body: ${err.message}`)));
    decoder.on('end', () => {
      decoded = true;
      settle();
    });
    req.pipe(decoder);
  });
  if (state.failure !== null) throw state.failure;
  return Buffer.concat(chunks, size).toString('utf8');
}
