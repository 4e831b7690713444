/**
 * Every queued job, declared once: its name (one BullMQ queue per name, so a long fit never
 * delays a buffer refill), its payload schema, its deduplication key and its retry policy.
 */
import { z } from 'zod';

export enum JobName {
  /** Embeds new prompts and responses (text featuriser or supplied embeddings). */
  Featurize = 'Featurize',
  /** Refills a campaign's buffer of open comparisons with its strategy on the current model. */
  ComparisonSelect = 'ComparisonSelect',
  /** Fits the reward model on every judgment, evaluates it held-out, publishes a version. */
  RewardModelFit = 'RewardModelFit',
  /** Greedy, pessimistic, KL-soft (and DPO) policies from the newest reward model. */
  PolicyFit = 'PolicyFit',
  /** A regret simulation (libs/simulator) launched from the API. */
  SimulationRun = 'SimulationRun',
  /** One signed POST of a webhook event to a researcher's URL (apps/api/src/webhooks). */
  WebhookDelivery = 'WebhookDelivery',
}

export const JOB_NAMES: readonly JobName[] = Object.values(JobName);

const campaignPayload = z.object({ campaignId: z.uuid() });

export const JOB_PAYLOADS = {
  [JobName.Featurize]: campaignPayload,
  [JobName.ComparisonSelect]: campaignPayload,
  [JobName.RewardModelFit]: campaignPayload,
  [JobName.PolicyFit]: campaignPayload.extend({ modelVersionId: z.uuid() }),
  [JobName.SimulationRun]: z.object({ simulationId: z.uuid() }),
  [JobName.WebhookDelivery]: campaignPayload.extend({ deliveryId: z.uuid() }),
} satisfies Record<JobName, z.ZodType>;

export type JobPayload<N extends JobName> = z.infer<(typeof JOB_PAYLOADS)[N]>;

/** What travels in Redis: the payload plus the JobRun row that mirrors the job in Postgres. */
export type JobData<N extends JobName> = JobPayload<N> & { jobRunId: string };

/**
 * Deterministic job keys: while a job with the same key is queued, enqueueing it again is a no-op
 * (Postgres' partial unique index job_runs_queued_key); while one is running, one successor may
 * queue behind it (job_runs_active_key keeps them from running at once). BullMQ forbids ':' in
 * custom ids, hence '.'.
 */
export function jobKey<N extends JobName>(name: N, payload: JobPayload<N>): string {
  switch (name) {
    case JobName.PolicyFit: {
      const p = payload as JobPayload<JobName.PolicyFit>;
      return `${name}.${p.campaignId}.${p.modelVersionId}`;
    }
    case JobName.SimulationRun:
      return `${name}.${(payload as JobPayload<JobName.SimulationRun>).simulationId}`;
    case JobName.WebhookDelivery:
      return `${name}.${(payload as JobPayload<JobName.WebhookDelivery>).deliveryId}`;
    default:
      return `${name}.${(payload as { campaignId: string }).campaignId}`;
  }
}

/**
 * The BullMQ id of a run: its key and its job_runs id, so a successor is a different BullMQ job from
 * the run it follows, and re-adding the same run (reconciliation) is a no-op.
 */
export function bullJobId(key: string, jobRunId: string): string {
  return `${key}.${jobRunId}`;
}

/** Retries in one place: attempts and exponential backoff per job. */
export const JOB_RETRY: Record<JobName, { attempts: number; backoffMs: number }> = {
  [JobName.Featurize]: { attempts: 5, backoffMs: 2_000 },
  [JobName.ComparisonSelect]: { attempts: 5, backoffMs: 1_000 },
  [JobName.RewardModelFit]: { attempts: 3, backoffMs: 5_000 },
  [JobName.PolicyFit]: { attempts: 3, backoffMs: 5_000 },
  [JobName.SimulationRun]: { attempts: 2, backoffMs: 5_000 },
  // 1 s, 2 s, 4 s … doubling: 16 attempts span about 9 hours of a receiver being down.
  [JobName.WebhookDelivery]: { attempts: 16, backoffMs: 1_000 },
};

/** How many jobs of a kind one worker process runs at once (CPU-bound fits: one). */
export const JOB_CONCURRENCY: Record<JobName, number> = {
  [JobName.Featurize]: 1,
  [JobName.ComparisonSelect]: 2,
  [JobName.RewardModelFit]: 1,
  [JobName.PolicyFit]: 1,
  [JobName.SimulationRun]: 1,
  // Waiting on receivers, not the CPU.
  [JobName.WebhookDelivery]: 4,
};
