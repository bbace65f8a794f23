import type { AddressInfo } from 'node:net';
import type { SMTPServer as SMTPServerType } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  /** The whole RFC 5322 message as received. */
  raw: Buffer;
  /** Date.now() when the server accepted the message (replied 250 to DATA). */
  acceptedAt: number;
}

export interface SmtpSink {
  port: number;
  /** smtp://127.0.0.1:<port> (SMTP_URL). */
  url: string;
  mails: ReceivedMail[];
  /** Messages refused so far (failFirst). */
  refused: number;
  waitFor(predicate: (m: ReceivedMail) => boolean, timeoutMs?: number): Promise<ReceivedMail>;
  close(): Promise<void>;
}

export interface SmtpSinkOptions {
  /** Refuse the first N messages with `failCode` (default 451, transient). */
  failFirst?: number;
  failCode?: number;
  /** Require this user/password (AUTH PLAIN/LOGIN over the plain connection). */
  auth?: { user: string; pass: string };
  /** Largest message accepted (default 20 MB). */
  maxBytes?: number;
}

/**
 * A real SMTP server (smtp-server) on 127.0.0.1 that keeps what it receives: for medium tests and for benchmarks
 * of trigger → SMTP accepted latency (see measureTriggerToSmtpAccepted). smtp-server is a devDependency: this is
 * loaded only when called.
 */
export async function startSmtpSink(opts: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const { SMTPServer } = (await import('smtp-server')) as typeof import('smtp-server');
  const mails: ReceivedMail[] = [];
  const waiters = new Set<{ pred: (m: ReceivedMail) => boolean; resolve: (m: ReceivedMail) => void }>();
  const maxBytes = opts.maxBytes ?? 20 * 1024 * 1024;
  const sink = { refused: 0 } as SmtpSink;
  const server: SMTPServerType = new SMTPServer({
    secure: false,
    disabledCommands: opts.auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    allowInsecureAuth: true,
    authOptional: !opts.auth,
    logger: false,
    size: maxBytes,
    onAuth(auth, _session, cb) {
      if (opts.auth && auth.username === opts.auth.user && auth.password === opts.auth.pass) cb(null, { user: auth.username });
      else cb(new Error('Invalid username or password'));
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (c: Buffer) => {
        size += c.length;
        if (size <= maxBytes) chunks.push(c);
      });
      stream.on('end', () => {
        if (sink.refused < (opts.failFirst ?? 0)) {
          sink.refused += 1;
          const err = Object.assign(new Error('Try again later'), { responseCode: opts.failCode ?? 451 });
          cb(err);
          return;
        }
        const mail: ReceivedMail = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks),
          acceptedAt: Date.now(),
        };
        mails.push(mail);
        for (const w of [...waiters]) {
          if (w.pred(mail)) {
            waiters.delete(w);
            w.resolve(mail);
          }
        }
        cb(null);
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  server.on('error', () => undefined);
  const port = ((server as unknown as { server: { address(): AddressInfo } }).server.address() as AddressInfo).port;
  return Object.assign(sink, {
    port,
    url: `smtp://127.0.0.1:${port}`,
    mails,
    waitFor(pred: (m: ReceivedMail) => boolean, timeoutMs = 30000): Promise<ReceivedMail> {
      const found = mails.find(pred);
      if (found) return Promise.resolve(found);
      return new Promise<ReceivedMail>((resolve, reject) => {
        const w = {
          pred,
          resolve: (m: ReceivedMail) => {
            clearTimeout(timer);
            resolve(m);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(w);
          reject(new Error(`no matching mail within ${timeoutMs} ms (${mails.length} received)`));
        }, timeoutMs);
        waiters.add(w);
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

/**
 * Milliseconds from calling `trigger` (e.g. AlertNotifier.notify, or whatever makes an alert fire) until the SMTP
 * sink accepted a mail matching `match` (e.g. m => m.raw.includes(alertId)).
 */
export async function measureTriggerToSmtpAccepted(
  trigger: () => Promise<unknown>,
  sink: Pick<SmtpSink, 'waitFor'>,
  match: (m: ReceivedMail) => boolean,
  timeoutMs = 30000,
): Promise<number> {
  const t0 = Date.now();
  const received = sink.waitFor(match, timeoutMs);
  await trigger();
  const mail = await received;
  return mail.acceptedAt - t0;
}
