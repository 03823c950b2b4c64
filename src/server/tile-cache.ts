/**
 * Full tiles and entry bundles never change once the tree has grown past them (the log is
 * append-only), so the server keeps the recently served ones in memory instead of rebuilding them
 * from the store on every request. Bounded by bytes; least recently used go first.
 */
export class ImmutableTileCache {
  private readonly items = new Map<string, Uint8Array>();
  private bytes = 0;

  constructor(private readonly maxBytes = 64 * 1024 * 1024) {}

  get(key: string): Uint8Array | undefined {
    const hit = this.items.get(key);
    if (hit) {
      // Re-insert: a Map iterates in insertion order, so the first key is the least recently used.
      this.items.delete(key);
      this.items.set(key, hit);
    }
    return hit;
  }

  set(key: string, value: Uint8Array): void {
    if (value.length > this.maxBytes) return;
    const old = this.items.get(key);
    if (old) {
      this.items.delete(key);
      this.bytes -= old.length;
    }
    this.items.set(key, value);
    this.bytes += value.length;
    for (const [k, v] of this.items) {
      if (this.bytes <= this.maxBytes) break;
      this.items.delete(k);
      this.bytes -= v.length;
    }
  }

  get byteSize(): number {
    return this.bytes;
  }
}

/** A full tile's bytes from the cache, or built once and kept. Partial tiles are never cached. */
export async function fullTileOnce(cache: ImmutableTileCache, key: string, build: () => Promise<Uint8Array>): Promise<Uint8Array> {
  const hit = cache.get(key);
  if (hit) return hit;
  const bytes = await build();
  cache.set(key, bytes);
  return bytes;
}
