// Compact binary writing and reading for the engine's state values. A value is one base64 string (the store
// codec is JSON, which carries strings cheaply and exactly), made of segments each padded with zero bytes to a
// multiple of 3 bytes, so that the base64 of a segment can be cached and values built by concatenating
// segments' base64 (the reader skips the padding: align() after each segment). Varints for small non-negative integers, tagged
// numbers (zigzag varint for integers of magnitude below 2^50, the IEEE-754 bits otherwise, so NaN, ±Inf and
// −0 survive), 64-bit two's complement for nanosecond times, UTF-8 for strings.

/** Integers of smaller magnitude are written as varints; larger ones (and every non-integer) as 8 bytes. */
const SMALL_INT = 2 ** 50;
/** Tagged-number markers (a varint): even values are zigzag integers × 2. */
const NUM_F64 = 1;
const NUM_NULL = 3;

export class BinaryWriter {
  private buf = Buffer.allocUnsafe(1 << 16);
  private view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  pos = 0;

  reset(): this {
    this.pos = 0;
    return this;
  }

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
    this.view = new DataView(next.buffer, next.byteOffset, next.byteLength);
  }

  u8(x: number): void {
    this.room(1);
    this.buf[this.pos++] = x;
  }

  /** A non-negative integer below 2^53. */
  varint(x: number): void {
    this.room(8);
    const buf = this.buf;
    let v = x;
    while (v >= 128) {
      buf[this.pos++] = (v % 128) | 128;
      v = Math.floor(v / 128);
    }
    buf[this.pos++] = v;
  }

  f64(x: number): void {
    this.room(8);
    this.view.setFloat64(this.pos, x, true);
    this.pos += 8;
  }

  /** Any number, exactly. */
  num(x: number): void {
    if (Number.isInteger(x) && x < SMALL_INT && x > -SMALL_INT && !Object.is(x, -0)) {
      this.varint(x >= 0 ? x * 4 : -x * 4 - 2);
    } else {
      this.varint(NUM_F64);
      this.f64(x);
    }
  }

  nnum(x: number | null): void {
    if (x === null) this.varint(NUM_NULL);
    else this.num(x);
  }

  i64(x: bigint): void {
    this.room(8);
    this.view.setBigInt64(this.pos, x, true);
    this.pos += 8;
  }

  str(s: string): void {
    const n = Buffer.byteLength(s, 'utf8');
    this.varint(n);
    this.room(n);
    this.pos += this.buf.write(s, this.pos, n, 'utf8');
  }

  bool(b: boolean): void {
    this.u8(b ? 1 : 0);
  }

  /** The base64 of what was written since reset(), padded to whole base64 quanta; resets. */
  segment(): string {
    this.room(2);
    while (this.pos % 3 !== 0) this.buf[this.pos++] = 0;
    const s = this.buf.toString('base64', 0, this.pos);
    this.pos = 0;
    return s;
  }
}

export class BinaryReader {
  private readonly buf: Buffer;
  private readonly view: DataView;
  pos = 0;

  constructor(base64: string) {
    this.buf = Buffer.from(base64, 'base64');
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  }

  private mark = 0;

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  /** Start of a segment (as the writer's reset()). */
  begin(): void {
    this.mark = this.pos;
  }

  /** End of a segment: skips its padding. */
  align(): void {
    while ((this.pos - this.mark) % 3 !== 0) {
      if (this.u8() !== 0) throw new Error('aggregator state value: bad segment padding');
    }
    this.mark = this.pos;
  }

  private need(n: number): void {
    if (this.pos + n > this.buf.length) throw new Error('aggregator state value truncated');
  }

  u8(): number {
    this.need(1);
    return this.buf[this.pos++];
  }

  varint(): number {
    let x = 0;
    let scale = 1;
    for (;;) {
      const b = this.u8();
      x += (b & 127) * scale;
      if (b < 128) return x;
      scale *= 128;
      if (scale > 2 ** 56) throw new Error('aggregator state value: bad varint');
    }
  }

  f64(): number {
    this.need(8);
    const x = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return x;
  }

  num(): number {
    const x = this.nnum();
    if (x === null) throw new Error('aggregator state value: unexpected null number');
    return x;
  }

  nnum(): number | null {
    const v = this.varint();
    if (v === NUM_F64) return this.f64();
    if (v === NUM_NULL) return null;
    if (v % 2 !== 0) throw new Error(`aggregator state value: bad number tag ${v}`);
    const z = v / 2;
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }

  i64(): bigint {
    this.need(8);
    const x = this.view.getBigInt64(this.pos, true);
    this.pos += 8;
    return x;
  }

  str(): string {
    const n = this.varint();
    this.need(n);
    const s = this.buf.toString('utf8', this.pos, this.pos + n);
    this.pos += n;
    return s;
  }

  bool(): boolean {
    return this.u8() !== 0;
  }
}


