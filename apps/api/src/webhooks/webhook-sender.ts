/**
 * Signing and sending one webhook delivery. The signature follows Stripe's scheme so existing
 * verification code ports easily: `Borda-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`
 * with the webhook's secret as the key. The timestamp is inside the signed text, so a receiver that
 * rejects old timestamps (say over 5 minutes) also rejects replays.
 *
 * Sent with node:http(s) rather than fetch: it never follows redirects, and its `lookup` hook lets
 * the worker refuse a name that resolves to a link-local (cloud metadata) address at connect time,
 * which the URL check at registration cannot see.
 */
import { createHmac, randomBytes } from 'node:crypto';
import dns, { type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { isLinkLocalHost, webhookUrlProblem } from '@borda/api-contract';

/** How long a receiver may take to answer one attempt. */
export const WEBHOOK_TIMEOUT_MS = 10_000;

export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

export function webhookSignature(secret: string, timestamp: number, body: string): string {
  const v1 = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${v1}`;
}

/** Thrown (as a connection error) when a name resolves to a link-local address. */
export const LINK_LOCAL_REFUSED = 'ELINKLOCAL';

/** dns.lookup that fails when any address of the name is link-local. `resolve` is dns.lookup outside tests. */
export function guardedLookup(resolve: typeof dns.lookup = dns.lookup): LookupFunction {
  return (hostname, options, callback) => {
    resolve(
      hostname,
      options,
      (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => {
        if (error) return callback(error, address as string, family);
        const addresses = Array.isArray(address) ? address.map((a) => a.address) : [address];
        const bad = addresses.find((a) => isLinkLocalHost(a));
        if (bad) {
          const refused = Object.assign(new Error(`${hostname} resolves to the link-local address ${bad}`), {
            code: LINK_LOCAL_REFUSED,
          });
          return callback(refused, address as string, family);
        }
        callback(null, address as string, family);
      },
    );
  };
}

export interface SendOutcome {
  /** The receiver's status; null when no answer came (refused, timed out, DNS). */
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  delivered: boolean;
  /** Retrying cannot help (the URL points at a link-local address). */
  permanent: boolean;
}

export function sendWebhook(
  delivery: { id: string; event: string; url: string; secret: string; body: string },
  options: { timeoutMs?: number; lookup?: LookupFunction } = {},
): Promise<SendOutcome> {
  const timeoutMs = options.timeoutMs ?? WEBHOOK_TIMEOUT_MS;
  const started = Date.now();
  const outcome = (o: Omit<SendOutcome, 'durationMs' | 'delivered' | 'permanent'> & { permanent?: boolean }) => ({
    ...o,
    durationMs: Date.now() - started,
    delivered: o.statusCode !== null && o.statusCode >= 200 && o.statusCode < 300,
    permanent: o.permanent ?? false,
  });
  // Rows written before the URL rule, or by hand: the same rule as at registration, before any connection.
  const problem = webhookUrlProblem(delivery.url);
  if (problem) return Promise.resolve(outcome({ statusCode: null, error: `url ${problem}`, permanent: true }));
  const url = new URL(delivery.url);
  const body = Buffer.from(delivery.body, 'utf8');
  const timestamp = Math.floor(Date.now() / 1000);
  return new Promise((resolve) => {
    const request = (url.protocol === 'https:' ? https : http).request(url, {
      method: 'POST',
      lookup: options.lookup ?? guardedLookup(),
      agent: false,
      signal: AbortSignal.timeout(timeoutMs),
      headers: {
        'content-type': 'application/json',
        'content-length': body.length,
        'user-agent': 'Borda-Webhooks/0.1',
        'borda-event': delivery.event,
        'borda-delivery': delivery.id,
        'borda-signature': webhookSignature(delivery.secret, timestamp, delivery.body),
      },
    });
    request.on('response', (res) => {
      res.resume(); // the answer's body is not read, only drained
      const statusCode = res.statusCode ?? null;
      const ok = statusCode !== null && statusCode >= 200 && statusCode < 300;
      resolve(outcome({ statusCode, error: ok ? null : `the receiver answered ${statusCode}` }));
    });
    request.on('error', (error: NodeJS.ErrnoException) => {
      const timedOut = error.name === 'AbortError' || error.name === 'TimeoutError';
      const permanent = error.code === LINK_LOCAL_REFUSED;
      const message = timedOut
        ? `no answer within ${timeoutMs} ms`
        : permanent
          ? error.message
          : `${error.code ?? 'error'}: ${error.message}`;
      resolve(outcome({ statusCode: null, error: message, permanent }));
    });
    request.end(body);
  });
}
