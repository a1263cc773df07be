/**
 * Content negotiation of a remote-write request, as Prometheus's receiver does it (client_golang
 * exp/api/remote ParseProtoMsg and SnappyDecodeMiddleware): the media type must be `application/x-protobuf`;
 * its `proto` parameter names the message (absent: 1.0, as is an absent Content-Type); other parameters are
 * ignored; a parameter that is not `key=value` is an error. Content-Encoding must be `snappy` or absent (the
 * body is snappy-decoded either way). Failures are RemoteWriteUnsupportedError (HTTP 415).
 *
 * Where Prometheus compares bytes exactly, this accepts what RFC 9110 allows as the same thing: media type,
 * parameter names and the encoding token in any case, whitespace around `;` and `=`, a quoted parameter value,
 * an empty parameter (a trailing `;`). Prometheus would read `application/x-protobuf; proto=io.prometheus.write.v2.Request`
 * (with a space) as a 1.0 request; here it is 2.0, which is what its sender meant.
 */
import { RemoteWriteUnsupportedError } from './remote-write.error';
import { REMOTE_WRITE_V1, REMOTE_WRITE_V2, type RemoteWriteMessage } from './remote-write.model';

/** The media type of both protocol versions. */
export const REMOTE_WRITE_MEDIA_TYPE = 'application/x-protobuf';
/** The only content coding remote write uses (snappy block format, not the framed format). */
export const REMOTE_WRITE_ENCODING = 'snappy';

/** The Content-Type a 2.0 sender sends (and a 1.0 sender's bare `application/x-protobuf`). */
export const REMOTE_WRITE_CONTENT_TYPES: Readonly<Record<RemoteWriteMessage, string>> = Object.freeze({
  'prometheus.WriteRequest': REMOTE_WRITE_MEDIA_TYPE,
  'io.prometheus.write.v2.Request': `${REMOTE_WRITE_MEDIA_TYPE};proto=${REMOTE_WRITE_V2}`,
});

/**
 * The message a request carries, from its Content-Type and Content-Encoding header values (undefined or empty
 * when absent). Throws RemoteWriteUnsupportedError when either is unsupported or the message is not accepted.
 */
export function negotiateRemoteWrite(
  contentType: string | undefined,
  contentEncoding: string | undefined,
  accepted: readonly RemoteWriteMessage[],
): RemoteWriteMessage {
  const message = messageOfContentType(contentType);
  if (!accepted.includes(message)) {
    throw new RemoteWriteUnsupportedError(`${message} protobuf message is not accepted by this server; only accepts ${accepted.join(', ')}`);
  }
  const encoding = (contentEncoding ?? '').trim();
  if (encoding !== '' && encoding.toLowerCase() !== REMOTE_WRITE_ENCODING) {
    throw new RemoteWriteUnsupportedError(`${encoding} encoding (compression) is not accepted by this server; only ${REMOTE_WRITE_ENCODING} is acceptable`);
  }
  return message;
}

function messageOfContentType(contentType: string | undefined): RemoteWriteMessage {
  const value = (contentType ?? '').trim();
  if (value === '') return REMOTE_WRITE_V1;
  const parts = value.split(';');
  const mediaType = (parts[0] as string).trim().toLowerCase();
  if (mediaType !== REMOTE_WRITE_MEDIA_TYPE) {
    throw new RemoteWriteUnsupportedError(`expected ${REMOTE_WRITE_MEDIA_TYPE} as the media type, got content-type ${value}`);
  }
  for (const raw of parts.slice(1)) {
    const param = raw.trim();
    if (param === '') continue;
    const eq = param.indexOf('=');
    if (eq <= 0) {
      throw new RemoteWriteUnsupportedError(`content-type parameters must be key=value, got "${param}" in ${value}`);
    }
    if (param.slice(0, eq).trim().toLowerCase() !== 'proto') continue;
    const proto = unquote(param.slice(eq + 1).trim());
    if (proto === REMOTE_WRITE_V1 || proto === REMOTE_WRITE_V2) return proto;
    throw new RemoteWriteUnsupportedError(
      `unknown remote write protobuf message ${proto} in content-type ${value}; supported: ${REMOTE_WRITE_V1}, ${REMOTE_WRITE_V2}`,
    );
  }
  return REMOTE_WRITE_V1;
}

function unquote(text: string): string {
  if (text.length < 2 || !text.startsWith('"') || !text.endsWith('"')) return text;
  return text.slice(1, -1).replace(/\\(.)/g, '$1');
}
