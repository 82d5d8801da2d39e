import type { ApiConfig } from '@prod-e/api-config';
import { Injectable } from '@nestjs/common';

import { InjectApiConfig } from '../config/api-config.module';
import { ReadCache } from './read-cache';

/**
 * The request log's reads, reused for REQUEST_LOG_READ_CACHE_TTL_MS per query string. Rows reach
 * the table only when the writer flushes (every REQUEST_LOG_FLUSH_INTERVAL_MS), so the log is
 * already that stale; this task's own flushes and retention deletes clear the cache, so a read
 * after a flush sees the new rows. Dashboards polling the newest page then cost the database
 * one query per task and period, not one per poll (docs/performance.md, "One task's capacity").
 */
@Injectable()
export class RequestLogReadCache {
  private readonly cache: ReadCache<unknown>;

  constructor(@InjectApiConfig() config: ApiConfig) {
    this.cache = new ReadCache(config.requestLog.readCacheTtlMs);
  }

  get<T>(key: string, load: () => Promise<T>): Promise<T> {
    return this.cache.get(key, load) as Promise<T>;
  }

  /** The table changed: the next read of every query goes to the database. */
  invalidate(): void {
    this.cache.clear();
  }
}
