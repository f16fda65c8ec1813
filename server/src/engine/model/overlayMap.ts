// A read-only map that is an earlier map with a few entries replaced, without copying the earlier one:
// what one snapshot's texts and index by file are after an edit of a few files. The earlier map is never
// changed (snapshots share it); once the replaced entries are many, they are folded into a new flat map.

/** Replaced entries beyond this many (or a tenth of the map) are folded into a flat map. */
const MAX_OVER = 64;

export class OverlayMap<K, V> implements ReadonlyMap<K, V> {
  private constructor(
    private readonly base: ReadonlyMap<K, V>,
    /** replaced or added entries; `undefined` values are deletions */
    private readonly over: ReadonlyMap<K, V | undefined>,
    readonly size: number,
  ) {}

  /**
   * `base` with `changes` applied (`undefined`: delete). The result never changes, and neither does `base`;
   * when `base` is an OverlayMap its own changes come first.
   */
  static of<K, V>(base: ReadonlyMap<K, V>, changes: ReadonlyMap<K, V | undefined>): ReadonlyMap<K, V> {
    let flat = base;
    let over: Map<K, V | undefined>;
    if (base instanceof OverlayMap) {
      flat = base.base;
      over = new Map(base.over);
      for (const [k, v] of changes) over.set(k, v);
    } else over = new Map(changes);
    if (over.size > Math.max(MAX_OVER, flat.size / 10)) {
      const m = new Map(flat);
      for (const [k, v] of over) {
        if (v === undefined) m.delete(k);
        else m.set(k, v);
      }
      return m;
    }
    let size = flat.size;
    for (const [k, v] of over) {
      const had = flat.has(k);
      if (v === undefined && had) size--;
      else if (v !== undefined && !had) size++;
    }
    return new OverlayMap(flat, over, size);
  }

  get(key: K): V | undefined {
    return this.over.has(key) ? this.over.get(key) : this.base.get(key);
  }

  has(key: K): boolean {
    return this.over.has(key) ? this.over.get(key) !== undefined : this.base.has(key);
  }

  *entries(): IterableIterator<[K, V]> {
    for (const [k, v] of this.base) {
      if (!this.over.has(k)) yield [k, v];
      else {
        const o = this.over.get(k);
        if (o !== undefined) yield [k, o];
      }
    }
    for (const [k, v] of this.over) if (v !== undefined && !this.base.has(k)) yield [k, v];
  }

  *keys(): IterableIterator<K> {
    for (const [k] of this.entries()) yield k;
  }

  *values(): IterableIterator<V> {
    for (const [, v] of this.entries()) yield v;
  }

  [Symbol.iterator](): IterableIterator<[K, V]> {
    return this.entries();
  }

  // without the generator of entries(): the patches after an edit walk large maps with it
  forEach(f: (value: V, key: K, map: ReadonlyMap<K, V>) => void): void {
    const over = this.over;
    this.base.forEach((v, k) => {
      if (!over.has(k)) f(v, k, this);
      else {
        const o = over.get(k);
        if (o !== undefined) f(o, k, this);
      }
    });
    over.forEach((v, k) => {
      if (v !== undefined && !this.base.has(k)) f(v, k, this);
    });
  }
}
