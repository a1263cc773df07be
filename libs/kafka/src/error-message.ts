/** The message of anything thrown, for logs and dead-letter reasons (a rejected promise may hold a non-Error). */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'object' && err !== null && 'message' in err) return String((err as { message: unknown }).message);
  return String(err);
}
