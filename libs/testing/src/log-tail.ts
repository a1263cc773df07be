/** The last lines of a process's log file, for the message of a failed test (or a note that there is none). */
import { readFileSync } from 'node:fs';

export function logTail(file: string, lines: number): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
