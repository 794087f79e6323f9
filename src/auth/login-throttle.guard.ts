import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { DataSource } from 'typeorm';
import { rateLimitClient, RateLimitCounter } from './rate-limit.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { TooManyRequests } from '../common/errors.js';

const WINDOW_MS = 60_000;

/**
 * Per-IP throttle on sign-in and refresh: LOGIN_RATE_LIMIT requests per minute per route (default 30). The
 * client IP is Fastify's `req.ip` (X-Forwarded-For is trusted from loopback proxies only). Over the limit →
 * 429 problem+json with Retry-After. The per-account lockout (AuthService) is separate and holds across IPs.
 */
@Injectable()
export class LoginThrottleGuard implements CanActivate {
  private readonly counter: RateLimitCounter;

  constructor(
    @InjectDataSource() db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.counter = new RateLimitCounter(db);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const req = http.getRequest<FastifyRequest>();
    const limit = this.config.loginRateLimitPerMinute ?? 30;
    const key = `${context.getClass().name}.${context.getHandler().name}:${rateLimitClient(req.ip)}`;
    const { hits, secondsLeft } = await this.counter.hit(key, WINDOW_MS);
    const reply = http.getResponse<FastifyReply>();
    reply.header('x-ratelimit-limit', String(limit));
    reply.header('x-ratelimit-remaining', String(Math.max(0, limit - hits)));
    reply.header('x-ratelimit-reset', String(secondsLeft));
    if (hits > limit) throw new TooManyRequests(secondsLeft);
    return true;
  }
}
