/**
 * The baseline the app is measured against (ARCHITECTURE.md: "same-run baseline"): bare Fastify + pg on the same
 * database with the same pool size, verifying the same HS256 access token on every request (no Nest, no
 * validation pipes, no audit, no idempotency bookkeeping).
 *
 * Reads replay the SQL the app itself ran for the same request (recorded once, see run.ts), so both sides run
 * the same queries with the same parameters. Writes are hand-written: the same rows the app inserts.
 */
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { JwtService } from '@nestjs/jwt';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';

export interface RecordedQuery {
  text: string;
  values: unknown[];
  /** Statements of one wave ran concurrently in the app, and run concurrently here. */
  wave: number;
}

export interface BaselineServer {
  url: string;
  server: import('node:http').Server;
  /** Reads: the statements `GET /replay/:name` runs, in order; the last one's rows are the response. */
  plans: Map<string, RecordedQuery[]>;
  pool: pg.Pool;
  close(): Promise<void>;
}

interface Claims {
  sub: string;
  role: string;
  org: string | null;
}

export async function startBaseline(databaseUrl: string, poolSize: number, secret: string): Promise<BaselineServer> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: poolSize });
  pool.on('error', () => undefined); // an idle connection cut by the server is replaced on the next query
  const plans = new Map<string, RecordedQuery[]>();
  const app: FastifyInstance = Fastify({ logger: false, bodyLimit: 1024 * 1024 });

  // The same HS256 verification the app does (@nestjs/jwt wraps jsonwebtoken), so the comparison is fair.
  const jwt = new JwtService();
  const auth = (req: FastifyRequest, reply: FastifyReply): Claims | null => {
    const h = req.headers.authorization;
    try {
      if (!h?.startsWith('Bearer ')) throw new Error('no token');
      const c = jwt.verify<Claims & { typ?: string }>(h.slice(7), { secret, algorithms: ['HS256'] });
      if (c.typ !== 'access') throw new Error('not an access token');
      return c;
    } catch {
      void reply.code(401).send({ status: 401 });
      return null;
    }
  };

  app.get<{ Params: { name: string } }>('/replay/:name', async (req, reply) => {
    if (!auth(req, reply)) return reply;
    const plan = plans.get(req.params.name);
    if (!plan) return reply.code(404).send({ status: 404 });
    let rows: unknown[] = [];
    for (let w = 0, i = 0; i < plan.length; w++) {
      const wave: RecordedQuery[] = [];
      while (i < plan.length && plan[i].wave === w) wave.push(plan[i++]);
      const results = await Promise.all(wave.map((q) => pool.query(q.text, q.values)));
      if (results.length) rows = results[results.length - 1].rows;
    }
    // A page (≤ 200 rows) goes out as the app's does; raw rows a report aggregates in JavaScript (e.g. one per
    // discharge for the medians) are not serialised: the app does not send them either.
    return rows.length <= 200 ? rows : { rows: rows.length };
  });

  // The same contact the app writes: visibility check, the contact row and its first revision, one transaction.
  app.post<{ Params: { id: string }; Body: Record<string, unknown> }>('/contact/:id', async (req, reply) => {
    const c = auth(req, reply);
    if (!c) return reply;
    const b = req.body;
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const e = await client.query('SELECT id FROM enrollments WHERE id = $1 AND support_office_id = $2 AND is_active', [req.params.id, c.org]);
      if (!e.rowCount) {
        await client.query('ROLLBACK');
        return reply.code(404).send({ status: 404 });
      }
      const id = randomUUID();
      await client.query(
        `INSERT INTO contacts (id, enrollment_id, kind, occurred_on, minutes, place, staff_ids, created_by_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [id, req.params.id, b.kind, b.occurredOn, b.minutes ?? null, b.place, [c.sub], c.sub],
      );
      await client.query(
        `INSERT INTO contact_revisions (contact_id, revision, kind, occurred_on, minutes, place, staff_ids, summary, recorded_by_id) VALUES ($1, 1, $2, $3, $4, $5, $6, $7, $8)`,
        [id, b.kind, b.occurredOn, b.minutes ?? null, b.place, [c.sub], b.summary ?? null, c.sub],
      );
      await client.query('COMMIT');
      return reply.code(201).send({ id, enrollmentId: req.params.id, revision: 1 });
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  });

  // The same step transition: lock, compare-and-set on version, append the history row, one transaction.
  app.post<{ Params: { id: string }; Body: { to: string; occurredOn: string; note?: string } }>('/transition/:id', async (req, reply) => {
    const c = auth(req, reply);
    if (!c) return reply;
    const expected = Number(String(req.headers['if-match'] ?? '').replace(/\D/g, ''));
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const e = await client.query('SELECT step, version FROM enrollments WHERE id = $1 AND support_office_id = $2 FOR UPDATE', [req.params.id, c.org]);
      if (!e.rowCount) {
        await client.query('ROLLBACK');
        return reply.code(404).send({ status: 404 });
      }
      const u = await client.query(
        `UPDATE enrollments SET step = $2, step_entered_on = $3, version = version + 1, updated_at = now() WHERE id = $1 AND version = $4 RETURNING version`,
        [req.params.id, req.body.to, req.body.occurredOn, expected],
      );
      if (!u.rowCount) {
        await client.query('ROLLBACK');
        return reply.code(412).send({ status: 412 });
      }
      await client.query(
        `INSERT INTO enrollment_steps (enrollment_id, from_step, to_step, occurred_on, actor_id, actor_role, note) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [req.params.id, e.rows[0].step, req.body.to, req.body.occurredOn, c.sub, c.role, req.body.note ?? null],
      );
      await client.query('COMMIT');
      return reply.header('etag', `"${u.rows[0].version}"`).send({ id: req.params.id, step: req.body.to, version: u.rows[0].version });
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  });

  // CSV straight from PostgreSQL: COPY … TO STDOUT streamed to the socket (the upper bound for any export).
  app.get<{ Querystring: { limit?: string } }>('/contacts.csv', async (req, reply) => {
    if (!auth(req, reply)) return reply;
    const limit = Math.min(Number(req.query.limit ?? 1_000_000), 20_000_000);
    const client = await pool.connect();
    const stream = client.query(copyTo(
      `COPY (SELECT id, enrollment_id, kind, occurred_on, ends_on, start_time, minutes, place, staff_ids, peer_supporter_ids, created_by_id, created_at
             FROM contacts ORDER BY occurred_on DESC, id DESC LIMIT ${limit}) TO STDOUT WITH (FORMAT csv, HEADER)`,
    ));
    const done = () => client.release();
    stream.on('end', done);
    stream.on('error', done);
    return reply.header('content-type', 'text/csv; charset=utf-8').send(stream);
  });

  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    server: app.server,
    plans,
    pool,
    close: async () => {
      await app.close();
      await pool.end();
    },
  };
}
