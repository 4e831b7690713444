/**
 * WebhookDelivery: one signed POST of a stored delivery. 2xx is delivered; anything else (another
 * status, a redirect, no answer within 10 s) is logged as an attempt and thrown, so BullMQ retries
 * with JOB_RETRY's backoff; the last attempt marks the delivery failed. Every attempt sends the same
 * body (the stored payload) under a fresh timestamp and signature.
 */
import { Processor } from '@nestjs/bullmq';
import { type Job, UnrecoverableError } from 'bullmq';
import { JOB_CONCURRENCY, JOB_RETRY, JobName, type JobPayload } from '../jobs/job-names';
import { JobRunsRepository } from '../jobs/job-runs.repository';
import { type ProgressReporter, TrackedProcessor } from './tracked-processor';
import { sendWebhook } from '../webhooks/webhook-sender';
import { WebhookRepository } from '../webhooks/webhook.repository';

@Processor(JobName.WebhookDelivery, { concurrency: JOB_CONCURRENCY[JobName.WebhookDelivery] })
export class WebhookDeliveryProcessor extends TrackedProcessor<JobName.WebhookDelivery> {
  constructor(
    runs: JobRunsRepository,
    private readonly repository: WebhookRepository,
  ) {
    super(JobName.WebhookDelivery, runs);
  }

  protected async run(
    payload: JobPayload<JobName.WebhookDelivery>,
    _progress: ProgressReporter,
    job: Job,
  ): Promise<object> {
    const delivery = await this.repository.forSending(payload.deliveryId);
    if (!delivery) return { skipped: 'delivery not found (its webhook was deleted)' };
    if (delivery.state !== 'pending') return { skipped: `already ${delivery.state}` };
    if (!delivery.active) {
      await this.repository.fail(delivery.id, 'the webhook is disabled');
      return { skipped: 'webhook disabled' };
    }
    const attempt = job.attemptsMade + 1;
    const sent = await sendWebhook({
      id: delivery.id,
      event: delivery.event,
      url: delivery.url,
      secret: delivery.secret,
      body: JSON.stringify(delivery.payload),
    });
    // A link-local target is refused for good: retrying would only be refused again.
    const final = attempt >= (job.opts.attempts ?? 1) || sent.permanent;
    await this.repository.recordAttempt(delivery.id, {
      attempt,
      statusCode: sent.statusCode,
      error: sent.error,
      durationMs: sent.durationMs,
      state: sent.delivered ? 'delivered' : final ? 'failed' : 'pending',
      // BullMQ's exponential backoff: delay · 2^(attempts made − 1).
      nextAttemptInMs:
        sent.delivered || final ? null : JOB_RETRY[JobName.WebhookDelivery].backoffMs * 2 ** (attempt - 1),
    });
    const failure = `webhook delivery ${delivery.id} attempt ${attempt}: ${sent.error}`;
    if (!sent.delivered) throw sent.permanent ? new UnrecoverableError(failure) : new Error(failure);
    return { delivered: true, statusCode: sent.statusCode, attempt, durationMs: sent.durationMs };
  }
}
