/**
 * ComparisonSelect: tops the campaign's buffer up to its target of available slots (sized from the
 * labeling rate, jobs/buffer-target.ts) with one hallucinated greedy batch (at least batch_size), never
 * past what the label budget can still absorb. The model is the newest published
 * version (or, before the first fit, the factory's prior), conditioned on the pending comparisons
 * (GP-BUCB across rounds, see learning/selection.ts); the Rng of a round is seeded by the campaign
 * seed and the number of comparisons created so far, so identical state gives identical picks.
 * Whatever this worker ran before: every job loads the version afresh from its cached parameters and
 * conditions it on exactly the comparisons open now, in id order (a model kept conditioned from earlier
 * jobs would still carry comparisons labeled since, and a fresh worker would pick differently).
 * Open picks of an older model that nobody has started are retired once the new picks are in, so the new
 * model's picks are served next and labelers never wait on the retirement; a share of each refill
 * (campaigns.yardstick_share) is drawn uniformly (learning/yardstick.ts).
 */
import { Processor } from '@nestjs/bullmq';
import { createStrategy } from '@borda/dueling-bandit';
import { Rng } from '@borda/numeric';
import { type PreferenceModel, type SerializedModel, loadModel } from '@borda/reward-model';
import type { Job } from 'bullmq';
import { JOB_CONCURRENCY, JobName, type JobPayload } from '../jobs/job-names';
import { CampaignJobsRepository } from '../jobs/campaign-jobs.repository';
import { JobRunsRepository } from '../jobs/job-runs.repository';
import { bufferTarget } from '../jobs/buffer-target';
import { CandidateStore } from '../learning/candidate-store.service';
import type { CampaignCandidates } from '../learning/candidates';
import { createModel, prepareToLoad, resolveModelKind, strategyOf, strategyOptionsOf } from '../learning/model-factory';
import {
  type PendingPair,
  comparisonsAllowed,
  distinctQueries,
  hallucinatePending,
  pairKey,
  selectionSeed,
} from '../learning/selection';
import { yardstickCount, yardstickPicks } from '../learning/yardstick';
import { LearningRepository, type OpenComparison } from './learning.repository';
import { type ProgressReporter, TrackedProcessor } from './tracked-processor';

/** Would retireStalePicks cancel it: an older model's strategy pick that nobody has started. */
function retirable(c: OpenComparison, modelVersionId: string | null): boolean {
  return (
    modelVersionId !== null &&
    c.modelVersionId !== modelVersionId &&
    !c.yardstick &&
    c.labelsReceived === 0 &&
    c.available === c.outstanding
  );
}

/** A campaign's newest model version in this worker, as published (parsed once, never conditioned). */
interface SelectionState {
  readonly key: string;
  /** The version's parameters, or before the first fit the factory's prior's. */
  readonly parameters: SerializedModel;
  readonly modelVersionId: string | null;
}

const MAX_CACHED_MODELS = 8;
/** The Rng stream of the yardstick's uniform draws within a selection round. */
const YARDSTICK_STREAM = 0x7a7d;
/** The deepest batch a round asks the strategy for when the top of its ranking is already open. */
const MAX_QUERIES_PER_ROUND = 1024;
/** Strategy calls one refill may make (each deeper than the last) before it settles for what it has. */
const MAX_ATTEMPTS = 4;

/**
 * How long the job's lock in Redis lasts (renewed every half of it while the job runs) and how often
 * this worker looks for jobs whose lock lapsed. A job whose worker was killed stays active, and
 * blocks the campaign's next refill (job_runs_active_key), until its lock lapses and a check puts it
 * back on the queue: about lockDuration + stalledInterval. BullMQ's 30 s + 30 s held refills for up
 * to a minute after a worker crash; a selection round is short, so 15 s + 5 s. The fits keep the
 * defaults: training can hold the event loop for seconds, and a lapsed lock would hand a fit that
 * still runs to a second worker.
 */
const SELECTION_LOCK = { lockDuration: 15_000, stalledInterval: 5_000 };

@Processor(JobName.ComparisonSelect, { concurrency: JOB_CONCURRENCY[JobName.ComparisonSelect], ...SELECTION_LOCK })
export class ComparisonSelectProcessor extends TrackedProcessor<JobName.ComparisonSelect> {
  private readonly states = new Map<string, SelectionState>();

  constructor(
    runs: JobRunsRepository,
    private readonly repo: LearningRepository,
    private readonly candidateStore: CandidateStore,
    private readonly buffers: CampaignJobsRepository,
  ) {
    super(JobName.ComparisonSelect, runs);
  }

  protected async run(
    payload: JobPayload<JobName.ComparisonSelect>,
    progress: ProgressReporter,
    job: Job,
  ): Promise<object> {
    const { campaignId } = payload;
    const campaign = await this.repo.campaign({ campaignId });
    if (!campaign || campaign.status !== 'active') return { skipped: 'campaign not active', created: 0 };
    const candidates = await this.candidateStore.load(campaignId, campaign.featureDim);
    if (candidates.promptIds.length === 0) return { skipped: 'no selectable prompts', created: 0 };
    const state = await this.selectionState(campaign, candidates);
    const model = await this.modelOf(state);

    // Picks of an older model that nobody has started are retired once this job's picks are in (below),
    // not before: until then labelers keep taking them, instead of finding an empty buffer while the
    // selection runs (with hundreds of labelers a new version arrives every few seconds). They are not
    // conditioned on nor counted as available, but no new pick repeats one while it is open.
    const open = await this.repo.openComparisons({ campaignId });
    const taken = new Set<string>();
    const pending: PendingPair[] = [];
    let outstanding = 0;
    let available = 0;
    let stale = 0;
    for (const c of [...open].sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0))) {
      outstanding += c.outstanding;
      const p = candidates.indexOfPrompt.get(c.promptId);
      const a = candidates.rowOfResponse.get(c.firstResponseId);
      const b = candidates.rowOfResponse.get(c.secondResponseId);
      if (p !== undefined && a !== undefined && b !== undefined) taken.add(pairKey(p, a, b));
      if (retirable(c, state.modelVersionId)) {
        stale++;
        continue;
      }
      available += c.available;
      if (p === undefined || a === undefined || b === undefined) continue;
      pending.push({ promptIndex: p, firstRow: a, secondRow: b });
    }
    hallucinatePending(model, candidates, pending);

    const allowed = comparisonsAllowed(campaign.budget, campaign.labelCount, outstanding, campaign.redundancy);
    // The buffer is sized in available slots from the labeling rate (jobs/buffer-target.ts), and
    // the target is kept for the API's refill checks; each new comparison adds `redundancy` slots.
    const bufferSlots = bufferTarget({
      bufferSize: campaign.bufferSize,
      redundancy: campaign.redundancy,
      ...(await this.buffers.bufferDemand({ campaignId })),
    });
    await this.buffers.setBufferTarget({ campaignId, target: bufferSlots });
    // One refill is one greedy batch of everything the buffer needs (at least batchSize): each pick is
    // hallucinated into the posterior before the next (GP-BUCB), as rounds of batchSize with
    // hallucination between them would be, but the strategy scores the arms once per refill instead of
    // once per round (at 80,000 responses a scoring pass is most of the cost).
    const short = Math.ceil((bufferSlots - available) / campaign.redundancy);
    let need = short > 0 ? Math.min(Math.max(short, campaign.batchSize), allowed) : 0;
    const target = need;
    const strategy = createStrategy(strategyOf(campaign), strategyOptionsOf(campaign));
    let round = await this.repo.comparisonCount({ campaignId });
    // The share is kept over the comparisons that stand (retired picks do not count): yardsticks are never
    // retired, so counting retired picks too would serve ever more uniform comparisons as the buffer grows.
    let { yardsticks, standing } =
      campaign.yardstickShare > 0 ? await this.repo.yardstickTally({ campaignId }) : { yardsticks: 0, standing: 0 };
    standing -= stale; // about to be retired
    let created = 0;
    let attempts = 0;
    // How deep into the strategy's batch an attempt reads: twice what it needs, so queries repeating an
    // open comparison can be replaced by the next ones; four times deeper after an attempt that still came
    // up short. With a buffer that is large against the campaign (200 labelers on 150 prompts), the top
    // of the ranking is all open comparisons, and reading only 2× the batch created a few pairs per job.
    let depth = 2;
    while (need > 0 && attempts < MAX_ATTEMPTS) {
      attempts++;
      const rng = new Rng(selectionSeed(campaign.seed, round));
      // The yardstick's uniform draws first, from their own stream, so the strategy's picks do not
      // depend on how many there were.
      const uniform = yardstickPicks(
        candidates,
        yardstickCount(campaign.yardstickShare, yardsticks, standing, need),
        rng.fork(YARDSTICK_STREAM),
        taken,
      );
      const active = need - uniform.length;
      const requested = Math.min(depth * active, Math.max(2 * active, MAX_QUERIES_PER_ROUND));
      const queries = active > 0 ? strategy.select({ candidates, model, batchSize: requested, rng }) : [];
      const chosen = distinctQueries(queries, candidates, taken, active);
      if (chosen.length < active) depth *= 4;
      const picks = [
        ...uniform.map((u) => ({ ...u, score: 0, yardstick: true })),
        ...chosen.map((q) => ({ ...q, yardstick: false })),
      ];
      if (picks.length === 0) {
        round++; // every query repeated an open one: try again deeper, on the next round's Rng
        continue;
      }
      await this.repo.insertComparisons({
        campaignId,
        strategy: campaign.strategy,
        modelVersionId: state.modelVersionId,
        selectionRunId: (job.data as { jobRunId?: string }).jobRunId ?? null,
        labelsRequired: campaign.redundancy,
        rows: picks.map((q) => ({
          promptId: candidates.promptIds[q.prompt],
          firstResponseId: candidates.responseIds[q.firstRow],
          secondResponseId: candidates.responseIds[q.secondRow],
          score: q.score,
          yardstick: q.yardstick,
        })),
      });
      hallucinatePending(
        model,
        candidates,
        picks.map((q) => ({ promptIndex: q.prompt, firstRow: q.firstRow, secondRow: q.secondRow })),
      );
      created += picks.length;
      yardsticks += uniform.length;
      standing += picks.length;
      round += picks.length;
      need -= picks.length;
      await progress(created / Math.max(1, target));
    }
    const retired = state.modelVersionId
      ? await this.repo.retireStalePicks({ campaignId, modelVersionId: state.modelVersionId })
      : 0;
    return {
      created,
      open: open.length + created,
      availableSlots: available + created * campaign.redundancy,
      bufferSlots,
      budgetAllows: allowed,
      modelVersionId: state.modelVersionId,
      modelKind: model.kind,
      retiredStalePicks: retired,
    };
  }

  /** The newest version's parameters, cached until a version or the candidates change. */
  private async selectionState(
    campaign: Parameters<typeof resolveModelKind>[0] & { id: string },
    candidates: CampaignCandidates,
  ): Promise<SelectionState> {
    const latest = await this.repo.latestModelVersionId({ campaignId: campaign.id });
    const key = `${latest?.id ?? 'prior'}|${candidates.revision}|${campaign.strategy}|${campaign.modelKind}`;
    const cached = this.states.get(campaign.id);
    if (cached && cached.key === key) return cached;
    const row = latest ? await this.repo.modelVersion({ campaignId: campaign.id, modelVersionId: latest.id }) : null;
    const parameters = row
      ? (row.parameters as unknown as SerializedModel)
      : await this.priorParameters(campaign, candidates);
    const state: SelectionState = { key, parameters, modelVersionId: latest?.id ?? null };
    this.states.delete(campaign.id);
    this.states.set(campaign.id, state);
    while (this.states.size > MAX_CACHED_MODELS) this.states.delete(this.states.keys().next().value as string);
    return state;
  }

  /**
   * The factory's prior, built once per campaign and kept as parameters like a version: building it
   * (a feature map of every arm, a model choice) is most of a refill before the first fit, and loading
   * its parameters gives the chosen model itself, whose update absorbs the open comparisons in O(d²)
   * each instead of re-running a feature-map choice on hallucinated outcomes.
   */
  private async priorParameters(
    campaign: Parameters<typeof resolveModelKind>[0],
    candidates: CampaignCandidates,
  ): Promise<SerializedModel> {
    const kind = resolveModelKind(campaign, candidates.features.rows, 0);
    return (await createModel(kind, campaign, candidates.features)).model.toJSON();
  }

  /** A fresh model for one job, restored from the version's (or the prior's) parameters. */
  private async modelOf(state: SelectionState): Promise<PreferenceModel> {
    await prepareToLoad(state.parameters);
    return loadModel(state.parameters);
  }
}
