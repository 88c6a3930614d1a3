/** What the cache keeps of a successful completion. */
export interface CachedCompletion {
  text: string;
  usage: { promptTokens: number; completionTokens: number; estimated: boolean };
  model: string;
  id?: string;
  finishReason?: string;
  /** ISO time it was first answered. */
  createdAt: string;
}

/** Successful completions by cache key (see `chatCacheKey`). Errors are never stored. */
export interface ResponseCache {
  get(key: string): Promise<CachedCompletion | undefined>;
  set(key: string, value: CachedCompletion): Promise<void>;
}

/** An in-process cache, least recently used entries dropped past `maxEntries` (@defaultValue 10000). */
export function createMemoryResponseCache(options: { maxEntries?: number } = {}): ResponseCache {
  const maxEntries = options.maxEntries ?? 10_000;
  const entries = new Map<string, CachedCompletion>();
  return {
    async get(key) {
      const value = entries.get(key);
      if (value) {
        entries.delete(key);
        entries.set(key, value);
      }
      return value;
    },
    async set(key, value) {
      entries.delete(key);
      entries.set(key, value);
      while (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
    },
  };
}
