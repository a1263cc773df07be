/** Image references that say exactly what runs: an explicit tag other than `latest`, or a digest. */

/** True when `image` names a tag other than `latest` (e.g. `redis:7.4.6`) or a `@sha256:` digest. */
export function isPinnedImage(image: string): boolean {
  if (/@sha256:[0-9a-f]{64}$/.test(image)) return true;
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastSegment.indexOf(':');
  if (colon < 0) return false;
  const tag = lastSegment.slice(colon + 1);
  return /^\w[\w.-]{0,127}$/.test(tag) && tag !== 'latest';
}
