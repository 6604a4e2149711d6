/**
 * CityHash128 as ClickHouse uses it (Google's CityHash v1.0.2, which later CityHash releases
 * changed): the checksum of every block of ClickHouse's compressed framing (`compress=1`).
 * 64-bit unsigned arithmetic on BigInt; fast enough for result sets a BI endpoint sends.
 */
const M = (1n << 64n) - 1n;
const k0 = 0xc3a5c85c97cb3127n;
const k1 = 0xb492b66fbe98f273n;
const k2 = 0x9ae16a3b2f90404fn;
const k3 = 0xc949d7c7509e6557n;
const kMul = 0x9ddfea08eb382d69n;

const u64 = (x: bigint) => x & M;
const mul = (a: bigint, b: bigint) => (a * b) & M;
const add = (...xs: bigint[]) => xs.reduce((s, x) => s + x, 0n) & M;
const rotate = (v: bigint, shift: number) =>
  shift === 0 ? v : u64((v >> BigInt(shift)) | (v << BigInt(64 - shift)));
const shiftMix = (v: bigint) => v ^ (v >> 47n);

function hashLen16(u: bigint, v: bigint): bigint {
  let a = mul(u ^ v, kMul);
  a ^= a >> 47n;
  let b = mul(v ^ a, kMul);
  b ^= b >> 47n;
  return mul(b, kMul);
}

class Bytes {
  constructor(private readonly buf: Buffer) {}
  fetch64 = (pos: number) => this.buf.readBigUInt64LE(pos);
  fetch32 = (pos: number) => BigInt(this.buf.readUInt32LE(pos));
  byte = (pos: number) => BigInt(this.buf[pos]!);
}

function hashLen0to16(s: Bytes, pos: number, len: number): bigint {
  const n = BigInt(len);
  if (len > 8) {
    const a = s.fetch64(pos);
    const b = s.fetch64(pos + len - 8);
    return hashLen16(a, rotate(add(b, n), len)) ^ b;
  }
  if (len >= 4) {
    const a = s.fetch32(pos);
    return hashLen16(add(a << 3n, n), s.fetch32(pos + len - 4));
  }
  if (len > 0) {
    const y = s.byte(pos) + (s.byte(pos + (len >> 1)) << 8n);
    const z = n + (s.byte(pos + len - 1) << 2n);
    return mul(shiftMix(mul(y, k2) ^ mul(z, k3)), k2);
  }
  return k2;
}

function weakHashLen32WithSeeds(s: Bytes, pos: number, seedA: bigint, seedB: bigint): [bigint, bigint] {
  const w = s.fetch64(pos);
  const x = s.fetch64(pos + 8);
  const y = s.fetch64(pos + 16);
  const z = s.fetch64(pos + 24);
  let a = add(seedA, w);
  let b = rotate(add(seedB, a, z), 21);
  const c = a;
  a = add(a, x, y);
  b = add(b, rotate(a, 44));
  return [add(a, z), add(b, c)];
}

function cityMurmur(s: Bytes, start: number, len: number, seed0: bigint, seed1: bigint): [bigint, bigint] {
  let a = seed0;
  let b = seed1;
  let c: bigint;
  let d: bigint;
  let pos = start;
  let l = len - 16;
  if (l <= 0) {
    a = mul(shiftMix(mul(a, k1)), k1);
    c = add(mul(b, k1), hashLen0to16(s, pos, len));
    d = shiftMix(add(a, len >= 8 ? s.fetch64(pos) : c));
  } else {
    c = hashLen16(add(s.fetch64(pos + len - 8), k1), a);
    d = hashLen16(add(b, BigInt(len)), add(c, s.fetch64(pos + len - 16)));
    a = add(a, d);
    do {
      a ^= mul(shiftMix(mul(s.fetch64(pos), k1)), k1);
      a = mul(a, k1);
      b ^= a;
      c ^= mul(shiftMix(mul(s.fetch64(pos + 8), k1)), k1);
      c = mul(c, k1);
      d ^= c;
      pos += 16;
      l -= 16;
    } while (l > 0);
  }
  a = hashLen16(a, c);
  b = hashLen16(d, b);
  return [a ^ b, hashLen16(b, a)];
}

function cityHash128WithSeed(
  s: Bytes,
  start: number,
  length: number,
  seed0: bigint,
  seed1: bigint,
): [bigint, bigint] {
  if (length < 128) return cityMurmur(s, start, length, seed0, seed1);
  let pos = start;
  let len = length;
  let x = seed0;
  let y = seed1;
  let z = mul(k1, BigInt(len));
  const v: [bigint, bigint] = [0n, 0n];
  const w: [bigint, bigint] = [0n, 0n];
  v[0] = add(mul(rotate(y ^ k1, 49), k1), s.fetch64(pos));
  v[1] = add(mul(rotate(v[0], 42), k1), s.fetch64(pos + 8));
  w[0] = add(mul(rotate(add(y, z), 35), k1), x);
  w[1] = mul(rotate(add(x, s.fetch64(pos + 88)), 53), k1);
  const round = () => {
    x = mul(rotate(add(x, y, v[0], s.fetch64(pos + 16)), 37), k1);
    y = mul(rotate(add(y, v[1], s.fetch64(pos + 48)), 42), k1);
    x ^= w[1];
    y ^= v[0];
    z = rotate(z ^ w[0], 33);
    [v[0], v[1]] = weakHashLen32WithSeeds(s, pos, mul(v[1], k1), add(x, w[0]));
    [w[0], w[1]] = weakHashLen32WithSeeds(s, pos + 32, add(z, w[1]), y);
    [z, x] = [x, z];
    pos += 64;
  };
  do {
    round();
    round();
    len -= 128;
  } while (len >= 128);
  y = add(y, mul(rotate(w[0], 37), k0), z);
  x = add(x, mul(rotate(add(v[0], z), 49), k0));
  for (let tailDone = 0; tailDone < len; ) {
    tailDone += 32;
    y = add(mul(rotate(u64(y - x), 42), k0), v[1]);
    w[0] = add(w[0], s.fetch64(pos + len - tailDone + 16));
    x = add(mul(rotate(x, 49), k0), w[0]);
    w[0] = add(w[0], v[0]);
    [v[0], v[1]] = weakHashLen32WithSeeds(s, pos + len - tailDone, v[0], v[1]);
  }
  x = hashLen16(x, v[0]);
  y = hashLen16(y, w[0]);
  return [add(hashLen16(add(x, v[1]), w[1]), y), hashLen16(add(x, w[1]), add(y, v[1]))];
}

/** [low 64 bits, high 64 bits] of ClickHouse's CityHash128 of `data`. */
export function cityHash128(data: Buffer): [bigint, bigint] {
  const s = new Bytes(data);
  const len = data.length;
  if (len >= 16) return cityHash128WithSeed(s, 16, len - 16, s.fetch64(0) ^ k3, s.fetch64(8));
  if (len >= 8) {
    return cityHash128WithSeed(s, 0, 0, s.fetch64(0) ^ mul(BigInt(len), k0), s.fetch64(len - 8) ^ k1);
  }
  return cityHash128WithSeed(s, 0, len, k0, k1);
}
