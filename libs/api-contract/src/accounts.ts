/**
 * Account administration (issue 14 item 5): an admin resets a password (a generated one, shown once)
 * and invites many people at once from a CSV of `email,role[,name]` lines, dry run first.
 */
import { z } from 'zod';
import { ROLES, type Role } from './auth';

/** The CSV as text (the console reads the file in the browser); at most 1,000 people per request. */
export const inviteRequestSchema = z.strictObject({
  csv: z.string().max(1_000_000, 'the CSV must be under 1 MB'),
});
export type InviteRequest = z.infer<typeof inviteRequestSchema>;

export const INVITE_MAX_ROWS = 1000;
export const INVITE_ROLES = ROLES;

export interface InviteRow {
  /** 1-based line of the CSV. */
  readonly line: number;
  readonly email: string;
  readonly role: Role;
  readonly name: string;
}

/** POST /users/invitations?dryRun=true: what would be created (a CSV with problems answers 422 with each line's). */
export interface InviteDryRun {
  readonly dryRun: true;
  readonly rows: InviteRow[];
}

/** POST /users/invitations: the accounts made, each with its generated password (shown this once). */
export interface InviteResult {
  readonly dryRun: false;
  readonly created: (InviteRow & { readonly id: string; readonly password: string })[];
}

/** POST /users/:id/password: the new generated password, shown this once; the user's sessions are revoked. */
export interface PasswordResetResponse {
  readonly userId: string;
  readonly password: string;
  readonly sessionsRevoked: number;
}

/*
 * Per-campaign labeler instructions with a version (issue 14 item 5). Changing a started campaign's
 * guidelines raises the version; from version 2 on, a labeler must acknowledge the current one before
 * `next` gives them work: until then `next` answers `{assignment: null, reason: GUIDELINES_NOT_ACKNOWLEDGED}`.
 */
export const GUIDELINES_NOT_ACKNOWLEDGED = 'guidelines_not_acknowledged';

export interface GuidelinesGate {
  readonly assignment: null;
  readonly reason: typeof GUIDELINES_NOT_ACKNOWLEDGED;
  readonly guidelinesVersion: number;
}

/** GET /campaigns/:id/guidelines */
export interface GuidelinesView {
  readonly guidelines: string;
  readonly version: number;
  /** The version the caller acknowledged last (null: none). */
  readonly acknowledgedVersion: number | null;
  /** True when `next` waits for the caller to acknowledge `version`. */
  readonly mustAcknowledge: boolean;
}

/** POST /campaigns/:id/guidelines/ack: the version read; a stale one answers 409 with the current version. */
export const guidelinesAckSchema = z.strictObject({ version: z.int().min(1) });
export type GuidelinesAckRequest = z.infer<typeof guidelinesAckSchema>;
