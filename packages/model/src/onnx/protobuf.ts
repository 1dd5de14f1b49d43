// The few protobuf wire-format pieces an ONNX ModelProto needs, written by hand: the package has
// no protobuf library among its dependencies, and a tree ensemble uses only varints,
// length-delimited fields and packed numbers.

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LEN = 2;
const WIRE_FIXED32 = 5;

const utf8 = new TextEncoder();

/** Appends fields to a growing buffer; nested messages are written by a child writer. */
export class ProtoWriter {
  private buf = new Uint8Array(256);
  private len = 0;

  private reserve(extra: number): void {
    if (this.len + extra <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.len + extra));
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  /** Non-negative integers only (up to 2^53): ONNX ids, sizes and enums never go below zero here. */
  private varint(v: number): void {
    if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`cannot encode ${v} as a varint`);
    this.reserve(10);
    while (v >= 0x80) {
      this.buf[this.len++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.len++] = v;
  }

  private tag(field: number, wire: number): void {
    this.varint(field * 8 + wire);
  }

  int(field: number, v: number): this {
    this.tag(field, WIRE_VARINT);
    this.varint(v);
    return this;
  }

  float(field: number, v: number): this {
    this.tag(field, WIRE_FIXED32);
    this.reserve(4);
    new DataView(this.buf.buffer).setFloat32(this.len, v, true);
    this.len += 4;
    return this;
  }

  bytes(field: number, b: Uint8Array): this {
    this.tag(field, WIRE_LEN);
    this.varint(b.length);
    this.reserve(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
    return this;
  }

  string(field: number, s: string): this {
    return this.bytes(field, utf8.encode(s));
  }

  message(field: number, write: (w: ProtoWriter) => void): this {
    const child = new ProtoWriter();
    write(child);
    return this.bytes(field, child.finish());
  }

  packedInts(field: number, values: ArrayLike<number>): this {
    const child = new ProtoWriter();
    for (let i = 0; i < values.length; i++) child.varint(values[i] as number);
    return this.bytes(field, child.finish());
  }

  packedFloats(field: number, values: ArrayLike<number>): this {
    const out = new Uint8Array(values.length * 4);
    const view = new DataView(out.buffer);
    for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i] as number, true);
    return this.bytes(field, out);
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

/** A length-delimited field's payload or a varint's value; fixed-width fields read as 0 (unused). */
export interface ProtoField {
  field: number;
  value: number | Uint8Array;
}

/** Top-level fields of one message; throws RangeError on truncated or malformed input. */
export function readFields(bytes: Uint8Array): ProtoField[] {
  const fields: ProtoField[] = [];
  let pos = 0;
  const varint = (): number => {
    let v = 0;
    for (let scale = 1; ; scale *= 0x80) {
      if (pos >= bytes.length || scale > 2 ** 63) throw new RangeError('truncated varint');
      const b = bytes[pos++] as number;
      v += (b & 0x7f) * scale;
      if (b < 0x80) return v;
    }
  };
  while (pos < bytes.length) {
    const key = varint();
    const field = Math.floor(key / 8);
    const wire = key % 8;
    let value: number | Uint8Array;
    if (wire === WIRE_VARINT) value = varint();
    else if (wire === WIRE_LEN) {
      const n = varint();
      if (pos + n > bytes.length) throw new RangeError('truncated field');
      value = bytes.subarray(pos, pos + n);
      pos += n;
    } else if (wire === WIRE_FIXED64 || wire === WIRE_FIXED32) {
      pos += wire === WIRE_FIXED64 ? 8 : 4;
      if (pos > bytes.length) throw new RangeError('truncated field');
      value = 0;
    } else throw new RangeError(`unsupported wire type ${wire}`);
    if (field === 0) throw new RangeError('field number 0');
    fields.push({ field, value });
  }
  return fields;
}
