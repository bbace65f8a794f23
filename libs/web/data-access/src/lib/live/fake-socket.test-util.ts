/** A socket.io-client stand-in for console unit tests: records emits, lets the test fire server events. */
type Handler = (...args: unknown[]) => void;

class Emitter {
  private readonly handlers = new Map<string, Handler[]>();
  on(event: string, h: Handler): this {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), h]);
    return this;
  }
  removeAllListeners(): this {
    this.handlers.clear();
    return this;
  }
  fire(event: string, ...args: unknown[]): void {
    for (const h of this.handlers.get(event) ?? []) h(...args);
  }
}

export class FakeSocket extends Emitter {
  connected = false;
  active = false;
  readonly io = Object.assign(new Emitter(), { engine: { close: jest.fn() } });
  readonly emitted: { event: string; payload: unknown; ack?: (a?: unknown) => void }[] = [];
  connectCalls = 0;
  auth: ((cb: (data: object) => void) => void) | undefined;

  constructor(
    readonly url: string,
    readonly opts: Record<string, unknown>,
  ) {
    super();
    this.auth = opts['auth'] as typeof this.auth;
  }

  connect(): this {
    this.connectCalls++;
    this.active = true;
    return this;
  }
  disconnect(): this {
    const was = this.connected;
    this.connected = false;
    this.active = false;
    if (was) this.fire('disconnect', 'io client disconnect');
    return this;
  }
  emit(event: string, payload: unknown, ack?: (a?: unknown) => void): this {
    this.emitted.push({ event, payload, ack });
    return this;
  }

  /** The server accepted the handshake: returns the token the client sent. */
  serverConnect(): string {
    let sent = '';
    this.auth?.((d) => (sent = (d as { token: string }).token));
    this.connected = true;
    this.active = true;
    this.fire('connect');
    return sent;
  }
  /** Acknowledges every pending emit (oldest first) with `ack`. */
  ackAll(ack: unknown = { ok: true }): void {
    for (const e of this.emitted.splice(0)) e.ack?.(ack);
  }
  names(): string[] {
    return this.emitted.map((e) => `${e.event}:${JSON.stringify(e.payload)}`);
  }
}
