/**
 * A JSONCompactEachRow insert body built row by row into one growing buffer, remembering where each row ends
 * (`ends[i]` is one past the last byte of row i), so that any run of rows is one slice of the body and a
 * bisection of a refused insert needs no re-encoding. Each line is written into the buffer as soon as it is
 * built: the line strings die at once instead of living (and being copied by every young-generation
 * collection) until the insert is answered, and there is no body-sized string to join and flatten.
 */

export interface EncodedBody {
  body: Buffer;
  ends: Uint32Array;
}

export class JsonRowsBody {
  private body: Buffer;
  private readonly ends: number[] = [];
  private length = 0;

  /** @param expectedBytes initial capacity; the buffer doubles as needed. */
  constructor(expectedBytes: number) {
    this.body = Buffer.allocUnsafe(Math.max(1024, expectedBytes));
  }

  get rows(): number {
    return this.ends.length;
  }

  /** Appends one row: the values as a JSON array, then a newline. */
  push(values: readonly unknown[]): void {
    const line = JSON.stringify(values);
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    const most = line.length * 3 + 1;
    if (this.length + most > this.body.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.body.length * 2, this.length + most));
      this.body.copy(grown, 0, 0, this.length);
      this.body = grown;
    }
    this.length += this.body.write(line, this.length);
    this.body[this.length++] = 0x0a;
    this.ends.push(this.length);
  }

  finish(): EncodedBody {
    return { body: this.body.subarray(0, this.length), ends: Uint32Array.from(this.ends) };
  }
}
