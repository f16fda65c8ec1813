// Sets of class slots that stay small in memory whatever the workspace's size: a sorted list of
// members, or a bitset once the members are many (more than one class in 32).
import { Bitset } from './bitset';

export class ClassSet {
  private constructor(
    private readonly list: Int32Array | null,
    private readonly bits: Bitset | null,
    readonly size: number,
  ) {}

  static readonly EMPTY = new ClassSet(new Int32Array(0), null, 0);

  /** The set of `members` (any order, repeats allowed) among `capacity` slots. */
  static of(members: ArrayLike<number>, capacity: number): ClassSet {
    if (members.length === 0) return ClassSet.EMPTY;
    const sorted = Int32Array.from(members).sort();
    let n = 0;
    for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[n++] = sorted[i];
    if (n * 32 > capacity) {
      const bits = new Bitset(Math.max(capacity, sorted[n - 1] + 1));
      for (let i = 0; i < n; i++) bits.add(sorted[i]);
      return new ClassSet(null, bits, n);
    }
    return new ClassSet(n === sorted.length ? sorted : sorted.slice(0, n), null, n);
  }

  has(c: number): boolean {
    if (this.bits) return c < this.bits.size && this.bits.has(c);
    const l = this.list!;
    let lo = 0;
    let hi = l.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = l[mid];
      if (v === c) return true;
      if (v < c) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  }

  /** Calls `f` with each member, in increasing order. */
  forEach(f: (c: number) => void): void {
    if (this.bits) this.bits.forEach(f);
    else for (let i = 0; i < this.list!.length; i++) f(this.list![i]);
  }

  values(): IterableIterator<number> {
    return this.bits ? this.bits.values() : this.list!.values();
  }

  /**
   * This set with the `changed` slots set as `want` says, among `capacity` slots: the same object
   * when none differs.
   */
  patched(changed: readonly number[], want: (c: number) => boolean, capacity: number): ClassSet {
    let add: number[] | undefined;
    let drop: Set<number> | undefined;
    for (const c of changed) {
      const w = want(c);
      if (w === this.has(c)) continue;
      if (w) (add ??= []).push(c);
      else (drop ??= new Set()).add(c);
    }
    if (!add && !drop) return this;
    const members: number[] = add ?? [];
    this.forEach((c) => {
      if (!drop?.has(c)) members.push(c);
    });
    return ClassSet.of(members, capacity);
  }
}
