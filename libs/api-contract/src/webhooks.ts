/**
 * Webhooks: a researcher registers URLs per campaign for events; each delivery is a signed JSON POST
 * (see apps/api/README.md, "Webhooks", for verifying the signature).
 */
import { z } from 'zod';

/** The events a webhook may subscribe to. `ping` is sent by the test route and needs no subscription. */
export const WEBHOOK_EVENTS = [
  'model_version.published',
  'campaign.budget_reached',
  'campaign.completed',
  'labeler.flagged',
] as const;
export const webhookEventSchema = z.enum(WEBHOOK_EVENTS);
export type WebhookEvent = z.infer<typeof webhookEventSchema>;
export type WebhookDeliveryEvent = WebhookEvent | 'ping';

/**
 * Whether a host (an address, or a name) is link-local: 169.254.0.0/16 (also IPv4-mapped) and
 * fe80::/10, where cloud metadata services answer, or the GCP metadata name. The API checks the URL
 * as written; the worker checks again every address a name resolves to before it connects.
 */
export function isLinkLocalHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(host);
  const dotted = /^(?:::ffff:)?(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(host)?.slice(1).map(Number);
  const ipv4 = mapped ? [parseInt(mapped[1], 16) >> 8, parseInt(mapped[1], 16) & 255] : dotted;
  if (ipv4 && ipv4[0] === 169 && ipv4[1] === 254) return true;
  return /^fe[89ab][0-9a-f]:/.test(host) || host === 'metadata.google.internal';
}

/**
 * Why a URL may not be a webhook target, or null when it may. http(s) only; link-local hosts are
 * refused so that a webhook cannot read instance credentials. Loopback and private addresses are
 * allowed on purpose: local and on-premises receivers are the common case.
 */
export function webhookUrlProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute http or https URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return `must use http or https, not ${url.protocol.replace(/:$/, '')}`;
  }
  if (url.username || url.password) return 'must not carry credentials';
  if (isLinkLocalHost(url.hostname)) return 'must not point at a link-local (metadata) address';
  return null;
}

export const webhookUrlSchema = z
  .string()
  .max(2048)
  .superRefine((value, ctx) => {
    const problem = webhookUrlProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

export const createWebhookSchema = z.strictObject({
  url: webhookUrlSchema,
  events: z
    .array(webhookEventSchema)
    .min(1)
    .refine((events) => new Set(events).size === events.length, 'events must not repeat'),
});
export type CreateWebhookRequest = z.infer<typeof createWebhookSchema>;

export const webhookViewSchema = z.object({
  id: z.uuid(),
  campaignId: z.uuid(),
  url: z.string(),
  events: z.array(webhookEventSchema),
  active: z.boolean(),
  createdAt: z.string(),
});
export type WebhookView = z.infer<typeof webhookViewSchema>;

/** The creation answer: the only time the signing secret is shown. */
export const webhookCreatedSchema = webhookViewSchema.extend({
  secret: z.string().describe('HMAC-SHA256 key of the Borda-Signature header; shown only once'),
});
export type WebhookCreated = z.infer<typeof webhookCreatedSchema>;

export const webhookListSchema = z.object({ items: z.array(webhookViewSchema) });
export type WebhookList = z.infer<typeof webhookListSchema>;

export const webhookDeliveryStateSchema = z.enum(['pending', 'delivered', 'failed']);

export const webhookAttemptSchema = z.object({
  attempt: z.number().int(),
  statusCode: z.number().int().nullable(),
  error: z.string().nullable(),
  durationMs: z.number().int(),
  attemptedAt: z.string(),
});
export type WebhookAttemptView = z.infer<typeof webhookAttemptSchema>;

export const webhookDeliverySchema = z.object({
  id: z.uuid(),
  webhookId: z.uuid(),
  event: z.string(),
  state: webhookDeliveryStateSchema,
  attempts: z.number().int(),
  statusCode: z.number().int().nullable(),
  error: z.string().nullable(),
  durationMs: z.number().int().nullable(),
  createdAt: z.string(),
  nextAttemptAt: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  payload: z.record(z.string(), z.unknown()),
  /** The delivery log: one entry per HTTP attempt, oldest first. */
  attemptLog: z.array(webhookAttemptSchema),
});
export type WebhookDeliveryView = z.infer<typeof webhookDeliverySchema>;

export const webhookDeliveryListSchema = z.object({ items: z.array(webhookDeliverySchema) });
export type WebhookDeliveryList = z.infer<typeof webhookDeliveryListSchema>;

/** The JSON body of every delivery. */
export const webhookEnvelopeSchema = z.object({
  /** The event's id: the same for every webhook the event goes to, and on every retry (a hash, not a v4 UUID). */
  id: z.guid(),
  event: z.union([webhookEventSchema, z.literal('ping')]),
  campaignId: z.uuid(),
  createdAt: z.string(),
  data: z.record(z.string(), z.unknown()),
});
export type WebhookEnvelope = z.infer<typeof webhookEnvelopeSchema>;
