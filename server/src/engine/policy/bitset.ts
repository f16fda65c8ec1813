// A fixed-size set of small integers (workload class indexes).
export class Bitset {
  readonly words: Uint32Array;

  constructor(readonly size: number) {
    this.words = new Uint32Array((size + 31) >>> 5);
  }

  add(i: number): void {
    this.words[i >>> 5] |= 1 << (i & 31);
  }

  has(i: number): boolean {
    return (this.words[i >>> 5] & (1 << (i & 31))) !== 0;
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
