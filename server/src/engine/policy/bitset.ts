// A fixed-size set of small integers (workload class indexes).
export class Bitset {
  readonly words: Uint32Array;

  constructor(readonly size: number) {
    this.words = new Uint32Array((size + 31) >>> 5);
  }

  add(i: number): void {
    this.words[i >>> 5] |= 1 << (i & 31);
  }

  delete(i: number): void {
    if (i < this.size) this.words[i >>> 5] &= ~(1 << (i & 31));
  }

  /** False past the end: a set sized for fewer classes holds none of the later ones. */
  has(i: number): boolean {
    return (this.words[i >>> 5] & (1 << (i & 31))) !== 0;
  }

  /** A copy with room for `size` members. */
  resized(size: number): Bitset {
    const b = new Bitset(Math.max(size, this.size));
    b.words.set(this.words);
    return b;
  }

  count(): number {
    let n = 0;
    for (let w of this.words) {
      w -= (w >>> 1) & 0x55555555;
      w = (w & 0x33333333) + ((w >>> 2) & 0x33333333);
      n += (((w + (w >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
    }
    return n;
  }

  /** Calls `f` with each member, in increasing order (hot loops: no iterator objects). */
  forEach(f: (i: number) => void): void {
    const words = this.words;
    for (let wi = 0; wi < words.length; wi++) {
      let w = words[wi];
      while (w !== 0) {
        const bit = w & -w;
        f((wi << 5) + (31 - Math.clz32(bit)));
        w ^= bit;
      }
    }
  }

  *values(): IterableIterator<number> {
    for (let wi = 0; wi < this.words.length; wi++) {
      let w = this.words[wi];
      while (w !== 0) {
        const bit = w & -w;
        yield (wi << 5) + (31 - Math.clz32(bit));
        w ^= bit;
      }
    }
  }
}
