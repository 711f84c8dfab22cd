/**
 * A stored answer sent again verbatim (the idempotency interceptor throws it for a replayed key); the
 * exception filter writes it out. It lives here, beside the filter, so that errors never import idempotency.
 */
export class ReplayedResponse {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {}
}
