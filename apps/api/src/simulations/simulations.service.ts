import { Injectable } from '@nestjs/common';
import type { CreateSimulationRequest, Page, SimulationListQuery, SimulationView } from '@borda/api-contract';
import {
  ConfigError,
  ENVIRONMENT_NAMES,
  STRATEGY_NAMES,
  isEnvironmentName,
  validateSimulationConfig,
} from '@borda/simulator';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../auth/decorators';
import type { Simulation } from '../database';
import { AppError } from '../errors/app-error';
import { JobDispatcher } from '../jobs/job-dispatcher.service';
import { JobName } from '../jobs/job-names';
import { SimulationsRepository } from './simulations.repository';

type SimulationSummaryRow = Omit<Simulation, 'result'> & { result?: unknown };

function view(row: SimulationSummaryRow, withResult: boolean): SimulationView {
  return {
    id: row.id,
    ownerId: row.ownerId,
    state: row.state,
    progress: row.progress,
    config: row.config as unknown as CreateSimulationRequest,
    error: row.error,
    createdAt: row.createdAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
    ...(withResult ? { result: (row.result ?? null) as SimulationView['result'] } : {}),
  };
}

const invalid = (path: string, message: string) =>
  new AppError('VALIDATION_FAILED', `${path}: ${message}`, { issues: [{ path, message }] });

@Injectable()
export class SimulationsService {
  constructor(
    private readonly repository: SimulationsRepository,
    private readonly jobs: JobDispatcher,
    private readonly audit: AuditService,
  ) {}

  /** Checks names against the simulator's registries (built-in environments only: never a server file path). */
  private validate(body: CreateSimulationRequest): void {
    if (!isEnvironmentName(body.environment)) {
      throw invalid('environment', `unknown environment '${body.environment}'; valid: ${ENVIRONMENT_NAMES.join(', ')}`);
    }
    body.strategies.forEach((s, i) => {
      if (!(STRATEGY_NAMES as readonly string[]).includes(s)) {
        throw invalid(`strategies.${i}`, `unknown strategy '${s}'; valid: ${STRATEGY_NAMES.join(', ')}`);
      }
    });
    try {
      // The simulator's own cross-field checks (duplicates, budget ≥ batch size…).
      validateSimulationConfig({ ...body, lowRank: body.model?.lowRank });
    } catch (e) {
      if (e instanceof ConfigError)
        throw new AppError('VALIDATION_FAILED', e.message, { issues: [{ path: '(body)', message: e.message }] });
      throw e;
    }
  }

  async create(user: AuthUser, body: CreateSimulationRequest): Promise<SimulationView> {
    this.validate(body);
    const row = await this.repository.create(user.id, body as object);
    await this.jobs.enqueue(JobName.SimulationRun, { simulationId: row.id });
    await this.audit.record(user.id, null, 'simulation.create', {
      simulationId: row.id,
      environment: body.environment,
    });
    return view(row, false);
  }

  async list(user: AuthUser, query: SimulationListQuery): Promise<Page<SimulationView>> {
    const ownerId = user.role === 'admin' ? undefined : user.id;
    const rows = await this.repository.list({ ownerId, limit: query.limit + 1, cursor: query.cursor });
    const page = rows.slice(0, query.limit);
    return {
      items: page.map((r) => view(r, false)),
      nextCursor: rows.length > query.limit ? page[page.length - 1].id : null,
    };
  }

  async get(user: AuthUser, id: string): Promise<SimulationView> {
    const row = await this.repository.find(id);
    // Someone else's simulation answers 404, like a campaign: ids are not confirmed.
    if (!row || (user.role !== 'admin' && row.ownerId !== user.id)) throw AppError.notFound('simulation', id);
    return view(row, true);
  }
}
