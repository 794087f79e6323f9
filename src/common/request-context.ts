import { AsyncLocalStorage } from 'node:async_hooks';

/** Per-request facts the audit trail needs, without threading the request through every service. */
export interface RequestContext {
  requestId: string;
  ip: string;
}

export const requestContext = new AsyncLocalStorage<RequestContext>();

export function currentRequest(): RequestContext | undefined {
  return requestContext.getStore();
}
