/**
 * JSONL imports: stream the body line by line, validate every line (reporting all bad ones, not
 * just the first) and write the file in one transaction: all of it, or nothing when any line is bad.
 */
import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  IMPORT_BINARY_CONTENT_TYPES,
  IMPORT_CONTENT_TYPES,
  type ImportFormat,
  type ImportReport,
  type ImportResult,
} from '@borda/api-contract';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../auth/decorators';
import { APP_CONFIG, type AppConfig } from '../config/env';
import type { Campaign } from '../database';
import { AppError } from '../errors/app-error';
import { JobChain } from '../jobs/job-chain.service';
import { CampaignAccessService } from './campaign-access.service';
import { decodeBody } from './import-body';
import { scanImport } from './import-scan';
import { ImportRepository, notImportable } from './import.repository';

/** Prompts may be added while a campaign is being set up or is running, not once it is finished. */
const IMPORTABLE = ['draft', 'active', 'paused'] as const;

export interface ImportBody extends AsyncIterable<Buffer | string> {
  readonly headers: Record<string, string | string[] | undefined>;
  /** Node's IncomingMessage: false when the client went away before the body ended. */
  readonly complete?: boolean;
}

export interface ImportOptions {
  readonly dryRun: boolean;
  /** The row format (default auto: detected from the first row). */
  readonly format: ImportFormat | 'auto';
  /** Import the judgments rows carry as labels (default true). */
  readonly judgments: boolean;
  /** Also mark those judgments' comparisons as gold for the crowd-quality checks. */
  readonly asGold: boolean;
}

@Injectable()
export class ImportService {
  constructor(
    private readonly repository: ImportRepository,
    private readonly access: CampaignAccessService,
    private readonly audit: AuditService,
    private readonly jobChain: JobChain,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async import(
    user: AuthUser,
    campaignId: string,
    body: ImportBody,
    { dryRun, format, judgments, asGold }: ImportOptions,
  ): Promise<ImportReport | ImportResult> {
    const campaign = await this.access.manage(user, campaignId);
    checkContentType(body.headers['content-type']);
    checkImportable(campaign);
    const declared = Number(body.headers['content-length']);
    if (Number.isFinite(declared) && declared > this.config.importMaxBytes) throw tooLarge(this.config.importMaxBytes);

    const options = {
      rules: { featureSource: campaign.featureSource, featureDim: campaign.featureDim },
      limits: { maxBytes: this.config.importMaxBytes, maxLineBytes: this.config.importMaxLineBytes },
      format,
      judgments,
    };
    // Gzip is decompressed as it streams, Parquet spooled to a temporary file first (import-body.ts).
    const decoded = await decodeBody(body, this.config.importMaxBytes);
    if (dryRun) {
      return scanImport(decoded.lines, { ...options, listRows: true, lookup: this.repository.lookup({ campaignId }) });
    }

    const importId = randomUUID();
    const { report, totalPrompts } = await this.repository.inTransaction(
      { campaignId, importId, allowed: IMPORTABLE, asGold },
      async (writer) => {
        const scanned = await scanImport(decoded.lines, { ...options, lookup: writer, writer });
        // A cut-off upload can end on a line boundary and look valid: never commit a partial file.
        if (body.complete === false) {
          throw new AppError('VALIDATION_FAILED', 'the upload ended before the request body did; nothing was imported');
        }
        // Throwing inside the transaction rolls back every chunk already written.
        if (!scanned.valid) throw invalidImport(scanned);
        if (scanned.promptCount === 0) {
          throw new AppError('IMPORT_INVALID', 'the import holds no prompts', {
            errors: [],
            errorCount: 0,
            linesRead: scanned.linesRead,
          });
        }
        const total = await writer.finish(user.id, scanned.promptCount, scanned.responseCount, IMPORTABLE);
        return { report: scanned, totalPrompts: total };
      },
    );
    const result: ImportResult = {
      importId,
      promptCount: report.promptCount,
      responseCount: report.responseCount,
      totalPrompts,
      format: report.format,
      judgmentCount: report.judgmentCount,
    };
    await this.audit.record(user.id, campaignId, 'campaign.imported', {
      ...result,
      linesRead: report.linesRead,
      container: decoded.container,
      asGold,
    });
    await this.jobChain.afterImport(campaignId);
    return result;
  }
}

function checkContentType(header: string | string[] | undefined): void {
  const type = (Array.isArray(header) ? header[0] : (header ?? '')).split(';')[0].trim().toLowerCase();
  const accepted = [...IMPORT_CONTENT_TYPES, ...IMPORT_BINARY_CONTENT_TYPES];
  if (!(accepted as readonly string[]).includes(type)) {
    throw new AppError(
      'UNSUPPORTED_MEDIA_TYPE',
      `imports are JSONL, gzipped JSONL or Parquet: send Content-Type ${accepted.join(', ')} (got '${type || 'none'}')`,
      { contentType: type || null, accepted },
    );
  }
}

function checkImportable(campaign: Campaign): void {
  if (!(IMPORTABLE as readonly string[]).includes(campaign.status)) throw notImportable(campaign.status, IMPORTABLE);
}

function tooLarge(limit: number): AppError {
  return new AppError('PAYLOAD_TOO_LARGE', `the import exceeds the limit of ${limit} bytes`, { limit });
}

function invalidImport(report: ImportReport): AppError {
  const lines = [...new Set(report.errors.map((e) => e.line))];
  const shown = lines.slice(0, 10).join(', ');
  return new AppError(
    'IMPORT_INVALID',
    `${report.errorCount} problem(s) on line(s) ${shown}${lines.length > 10 ? ', …' : ''}; nothing was imported`,
    { errors: report.errors, errorCount: report.errorCount, linesRead: report.linesRead },
  );
}
