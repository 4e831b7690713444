/**
 * Account administration (issue 14 item 5): an admin resets a password (a generated one, shown once)
 * and invites many people at once from a CSV of `email,role[,name]` lines, dry run first.
 */
import { z } from 'zod';
import { ROLES } from './auth';

/** The CSV as text (the console reads the file in the browser); at most 1,000 people per request. */
export const inviteRequestSchema = z.strictObject({
  csv: z.string().max(1_000_000, 'the CSV must be under 1 MB'),
});
export type InviteRequest = z.infer<typeof inviteRequestSchema>;

export const INVITE_MAX_ROWS = 1000;
export const INVITE_ROLES = ROLES;

export const inviteRowSchema = z
  .object({
    /** 1-based line of the CSV. */
    line: z.int(),
    email: z.string(),
    role: z.enum(ROLES),
    name: z.string(),
  })
  .readonly();
export type InviteRow = z.infer<typeof inviteRowSchema>;

/** POST /users/invitations?dryRun=true: what would be created (a CSV with problems answers 422 with each line's). */
export const inviteDryRunSchema = z.object({ dryRun: z.literal(true), rows: z.array(inviteRowSchema) }).readonly();
export type InviteDryRun = z.infer<typeof inviteDryRunSchema>;

/** POST /users/invitations: the accounts made, each with its generated password (shown this once). */
export const inviteResultSchema = z
  .object({
    dryRun: z.literal(false),
    created: z.array(inviteRowSchema.unwrap().extend({ id: z.uuid(), password: z.string() }).readonly()),
  })
  .readonly();
export type InviteResult = z.infer<typeof inviteResultSchema>;

/** POST /users/:id/password: the new generated password, shown this once; the user's sessions are revoked. */
export const passwordResetResponseSchema = z
  .object({ userId: z.uuid(), password: z.string(), sessionsRevoked: z.int() })
  .readonly();
export type PasswordResetResponse = z.infer<typeof passwordResetResponseSchema>;

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
export const guidelinesViewSchema = z
  .object({
    guidelines: z.string(),
    version: z.int(),
    /** The version the caller acknowledged last (null: none). */
    acknowledgedVersion: z.int().nullable(),
    /** True when `next` waits for the caller to acknowledge `version`. */
    mustAcknowledge: z.boolean(),
  })
  .readonly();
export type GuidelinesView = z.infer<typeof guidelinesViewSchema>;

/** POST /campaigns/:id/guidelines/ack: the version read; a stale one answers 409 with the current version. */
export const guidelinesAckSchema = z.strictObject({ version: z.int().min(1) });
export type GuidelinesAckRequest = z.infer<typeof guidelinesAckSchema>;
