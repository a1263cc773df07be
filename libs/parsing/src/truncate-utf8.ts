/**
 * Cuts text to a byte budget in UTF-8 without splitting a character, so a truncated body is still valid
 * UTF-8 (ClickHouse and every consumer downstream can decode it).
 */

/** The longest prefix of `text` whose UTF-8 encoding fits in `maxBytes`, or `text` itself when it fits. */
export function truncateUtf8(text: string, maxBytes: number): string {
  // A UTF-16 code unit never takes more than 3 UTF-8 bytes: short text needs no encoding to be known to fit.
  if (text.length * 3 <= maxBytes) return text;
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return text;
  let end = maxBytes;
  // Back off while the first byte left out continues a character (10xxxxxx): cut before that character.
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end).toString('utf8');
}
