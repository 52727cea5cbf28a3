/**
 * The one bounded cache of the code base: a Map that holds at most `max`
 * entries. Setting a new key when it is full drops the least recently used
 * entry (a get or a set counts as a use). Everything else is Map's own.
 * Pure: no I/O.
 */
export class BoundedMap<K, V> extends Map<K, V> {
  constructor(readonly max: number) {
    super();
    if (!(max >= 0)) throw new RangeError(`BoundedMap: max must be 0 or more, got ${max}`);
  }

  override get(key: K): V | undefined {
    if (!super.has(key)) return undefined;
    const value = super.get(key) as V;
    // most recently used last
    super.delete(key);
    super.set(key, value);
    return value;
  }

  override set(key: K, value: V): this {
    super.delete(key);
    if (this.max === 0) return this;
    while (this.size >= this.max) {
      const oldest = this.keys().next();
      if (oldest.done) break;
      super.delete(oldest.value);
    }
    return super.set(key, value);
  }
}
