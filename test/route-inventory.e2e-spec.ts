import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';
import { ROLES, ROLE_ORGANIZATION_KIND, type Role } from '../src/auth/actor.js';
import { PERMISSIONS, type Permission } from '../src/auth/access-policy.js';
import { PERMISSION_KEY, PUBLIC_KEY } from '../src/auth/allow.decorator.js';
import { startTestApp, type TestApp } from './helpers/app.js';
import { anOrganization, aUser, bearer, type TestUser } from './helpers/factories.js';

/**
 * Every route Nest serves must carry an explicit access declaration (@Allow(permission) or @Public()); a route
 * added without one fails here. The declarations are read from the controllers Nest registered, and checked
 * against the routes Fastify actually serves, so nothing escapes the inventory.
 */
interface Route {
  method: string;
  path: string;
  access: Permission | 'public' | undefined;
  where: string;
}

/** The routes anyone may call without a token (issue #4: login, refresh, health; docs are not Nest routes). */
const PUBLIC_ROUTES = ['POST /api/v1/auth/login', 'POST /api/v1/auth/refresh', 'GET /health/live', 'GET /health/ready', 'GET /metrics'];

/** Who may call the auth, user and audit routes: a change here must be a reviewed change. */
const EXPECTED: Record<string, Permission | 'public'> = {
  'POST /api/v1/auth/login': 'public',
  'POST /api/v1/auth/refresh': 'public',
  'POST /api/v1/auth/logout': 'self:update',
  'GET /api/v1/me': 'self:read',
  'POST /api/v1/me/password': 'self:update',
  'GET /api/v1/users': 'user:read',
  'POST /api/v1/users': 'user:write',
  'GET /api/v1/users/:id': 'user:read',
  'PATCH /api/v1/users/:id': 'user:write',
  'GET /api/v1/audit-events': 'audit:read',
  'GET /api/v1/organizations': 'organization:read',
  'POST /api/v1/organizations': 'organization:write',
  'GET /api/v1/organizations/:id': 'organization:read',
  'PATCH /api/v1/organizations/:id': 'organization:write',
  'GET /health/live': 'public',
  'GET /health/ready': 'public',
  'GET /metrics': 'public',
};

const join = (...parts: string[]) => '/' + parts.flatMap((p) => p.split('/')).filter(Boolean).join('/');

/** Parse Fastify's printRoutes() tree into "METHOD /path" lines (HEAD is Fastify's automatic twin of GET). */
function servedRoutes(tree: string): string[] {
  const out: string[] = [];
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const m = /^((?:│ {3}| {4})*)(?:├── |└── )(.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!m) continue;
    stack.length = m[1].length / 4;
    stack.push(m[2]);
    for (const method of m[3]?.split(', ') ?? []) if (method !== 'HEAD') out.push(`${method} ${stack.join('')}`);
  }
  return out;
}

describe('route inventory: deny by default', () => {
  let t: TestApp;
  let routes: Route[];
  let served: string[];

  beforeAll(async () => {
    t = await startTestApp();
    const fastify = t.app.getHttpAdapter().getInstance();
    const scanner = new MetadataScanner();
    routes = [];
    for (const module of t.app.get(ModulesContainer).values()) {
      for (const wrapper of module.controllers.values()) {
        const controller = wrapper.metatype as (new (...args: unknown[]) => object) | undefined;
        if (!controller) continue;
        const base: string = Reflect.getMetadata(PATH_METADATA, controller) ?? '';
        for (const name of scanner.getAllMethodNames(controller.prototype)) {
          const handler = (controller.prototype as Record<string, unknown>)[name] as object;
          const sub: string | string[] | undefined = Reflect.getMetadata(PATH_METADATA, handler);
          if (sub === undefined) continue;
          const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
          const permission: Permission | undefined =
            Reflect.getMetadata(PERMISSION_KEY, handler) ?? Reflect.getMetadata(PERMISSION_KEY, controller);
          const isPublic = Reflect.getMetadata(PUBLIC_KEY, handler) ?? Reflect.getMetadata(PUBLIC_KEY, controller);
          for (const s of Array.isArray(sub) ? sub : [sub]) {
            const bare = join(base, s);
            const prefixed = join('api/v1', base, s);
            const path = fastify.hasRoute({ method, url: prefixed }) ? prefixed : bare;
            routes.push({ method, path, access: isPublic ? 'public' : permission, where: `${controller.name}.${name}` });
          }
        }
      }
    }
    served = servedRoutes(fastify.printRoutes({ commonPrefix: false }));
  });
  afterAll(() => t.close());

  const key = (r: Route) => `${r.method} ${r.path}`;

  it('finds the routes Nest registered, and Fastify serves exactly those (besides the Swagger UI)', () => {
    expect(routes.length).toBeGreaterThanOrEqual(Object.keys(EXPECTED).length);
    const fastify = t.app.getHttpAdapter().getInstance();
    for (const r of routes) expect({ route: key(r), served: fastify.hasRoute({ method: r.method, url: r.path }) }).toEqual({ route: key(r), served: true });
    const outsideNest = served.filter((s) => !s.split(' ')[1].startsWith('/docs')).filter((s) => !routes.some((r) => key(r) === s));
    expect(outsideNest).toEqual([]);
  });

  it('has an access declaration on every route', () => {
    const undeclared = routes.filter((r) => r.access === undefined).map((r) => `${key(r)} (${r.where})`);
    expect(undeclared).toEqual([]);
  });

  it('declares only permissions the access policy knows', () => {
    const unknown = routes.filter((r) => r.access !== undefined && r.access !== 'public' && !(r.access in PERMISSIONS)).map(key);
    expect(unknown).toEqual([]);
  });

  it('makes public only login, refresh, health and metrics', () => {
    expect(routes.filter((r) => r.access === 'public').map(key).sort()).toEqual([...PUBLIC_ROUTES].sort());
  });

  it('gives the auth, user, audit and organization routes the reviewed permissions', () => {
    const actual = Object.fromEntries(routes.map((r) => [key(r), r.access]));
    const mine = Object.fromEntries(Object.keys(EXPECTED).map((k) => [k, actual[k]]));
    expect(mine).toEqual(EXPECTED);
  });

  describe('at run time', () => {
    const users = new Map<Role, TestUser>();
    beforeAll(async () => {
      for (const role of ROLES) {
        const kind = ROLE_ORGANIZATION_KIND[role];
        const org = kind ? await anOrganization(t, { kind }) : null;
        users.set(role, await aUser(t, role, org?.id ?? null));
      }
    });

    const concrete = (path: string) => path.replace(/:[A-Za-z]+/g, '00000000-0000-4000-8000-000000000000');
    const call = (r: Route, headers: Record<string, string> = {}) => {
      const agent = t.http();
      const req = (agent as unknown as Record<string, (url: string) => ReturnType<typeof agent.get>>)[r.method.toLowerCase()](concrete(r.path));
      req.set(headers);
      return ['POST', 'PUT', 'PATCH'].includes(r.method) ? req.send({}) : req;
    };

    it('answers 401 problem+json to every non-public route without a token', async () => {
      const wrong: string[] = [];
      for (const r of routes.filter((x) => x.access !== 'public')) {
        const res = await call(r);
        if (res.status !== 401 || !/application\/problem\+json/.test(res.headers['content-type'] ?? '')) wrong.push(`${key(r)} → ${res.status}`);
      }
      expect(wrong).toEqual([]);
    });

    it('answers 403 to every role the route’s permission does not include', async () => {
      const wrong: string[] = [];
      let checked = 0;
      for (const r of routes.filter((x) => x.access !== 'public' && x.access !== undefined)) {
        const allowed = PERMISSIONS[r.access as Permission] as readonly Role[];
        for (const role of ROLES.filter((x) => !allowed.includes(x))) {
          const res = await call(r, bearer(users.get(role) as TestUser));
          checked++;
          if (res.status !== 403) wrong.push(`${key(r)} as ${role} → ${res.status}`);
        }
      }
      expect(wrong).toEqual([]);
      expect(checked).toBeGreaterThan(0);
    });
  });
});
