import { isIPv6 } from 'node:net';
import type { DataSource } from 'typeorm';

/**
 * The client a rate limit counts: an IPv4 address, or the /64 network of an IPv6 address (one host usually
 * owns a whole /64, so counting single IPv6 addresses would let it rotate around the limit).
 */
export function rateLimitClient(ip: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped) return mapped[1];
  if (!isIPv6(ip)) return ip;
  const [head, tail = ''] = ip.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = ip.includes('::') ? (tail ? tail.split(':') : []) : [];
  const groups = [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

/**
 * Fixed-window request counters in PostgreSQL (table `rate_limits`), shared by every app instance
 * (ARCHITECTURE.md: no in-process state). One upsert per counted request.
 */
export class RateLimitCounter {
  constructor(private readonly db: DataSource) {}

  /** Count one request for `key`; returns the hits in the current window and the seconds until it ends. */
  async hit(key: string, windowMs: number): Promise<{ hits: number; secondsLeft: number }> {
    const [row] = (await this.db.query(
      `INSERT INTO rate_limits AS r (key, hits, window_ends_at) VALUES ($1, 1, now() + make_interval(secs => $2 / 1000.0))
       ON CONFLICT (key) DO UPDATE SET
         hits = CASE WHEN r.window_ends_at <= now() THEN 1 ELSE r.hits + 1 END,
         window_ends_at = CASE WHEN r.window_ends_at <= now() THEN EXCLUDED.window_ends_at ELSE r.window_ends_at END
       RETURNING hits, greatest(1, ceil(extract(epoch FROM r.window_ends_at - now())))::int AS seconds_left`,
      [key, windowMs],
    )) as { hits: number; seconds_left: number }[];
    // Housekeeping now and then: windows that ended long ago.
    if (Math.random() < 0.02) {
      void this.db.query(`DELETE FROM rate_limits WHERE window_ends_at < now() - interval '1 hour'`).catch(() => undefined);
    }
    return { hits: row.hits, secondsLeft: row.seconds_left };
  }
}
