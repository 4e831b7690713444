/**
 * Signing and sending one webhook delivery. The signature follows Stripe's scheme so existing
 * verification code ports easily: `Borda-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`
 * with the webhook's secret as the key. The timestamp is inside the signed text, so a receiver that
 * rejects old timestamps (say over 5 minutes) also rejects replays.
 */
import { createHmac, randomBytes } from 'node:crypto';

/** How long a receiver may take to answer one attempt. */
export const WEBHOOK_TIMEOUT_MS = 10_000;

export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

export function webhookSignature(secret: string, timestamp: number, body: string): string {
  const v1 = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${v1}`;
}

export interface SendOutcome {
  /** The receiver's status; null when no answer came (refused, timed out, DNS). */
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  delivered: boolean;
}

export async function sendWebhook(
  delivery: { id: string; event: string; url: string; secret: string; body: string },
  timeoutMs = WEBHOOK_TIMEOUT_MS,
): Promise<SendOutcome> {
  const timestamp = Math.floor(Date.now() / 1000);
  const started = Date.now();
  try {
    const res = await fetch(delivery.url, {
      method: 'POST',
      body: delivery.body,
      // A redirect is an answer, not a delivery: following it could send the signed body to a host the
      // researcher never registered.
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Borda-Webhooks/0.1',
        'borda-event': delivery.event,
        'borda-delivery': delivery.id,
        'borda-signature': webhookSignature(delivery.secret, timestamp, delivery.body),
      },
    });
    await res.body?.cancel().catch(() => undefined);
    const delivered = res.status >= 200 && res.status < 300;
    return {
      statusCode: res.status,
      error: delivered ? null : `the receiver answered ${res.status}`,
      durationMs: Date.now() - started,
      delivered,
    };
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
    const message = timedOut
      ? `no answer within ${timeoutMs} ms`
      : (cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error)));
    return { statusCode: null, error: message, durationMs: Date.now() - started, delivered: false };
  }
}
