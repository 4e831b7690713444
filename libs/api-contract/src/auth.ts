import { z } from 'zod';

export const ROLES = ['admin', 'researcher', 'labeler'] as const;
export type Role = (typeof ROLES)[number];

export const loginSchema = z.object({
  email: z.email().max(320),
  password: z.string().min(1).max(1024),
});
export type LoginRequest = z.infer<typeof loginSchema>;

export const createUserSchema = z.object({
  email: z.email().max(320),
  name: z.string().trim().min(1).max(200),
  role: z.enum(ROLES),
  password: z.string().min(8, 'password must have at least 8 characters').max(1024),
});
export type CreateUserRequest = z.infer<typeof createUserSchema>;

export const createTokenSchema = z.object({
  name: z.string().trim().min(1).max(200),
  /** Days until the token expires; omit for a token that does not expire. */
  expiresInDays: z.int().min(1).max(3650).optional(),
});
export type CreateTokenRequest = z.infer<typeof createTokenSchema>;

/** Response schemas are the source of their types (and of the OpenAPI document: libs/api-contract/src/responses.ts). */
export const userViewSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    name: z.string(),
    role: z.enum(ROLES),
    createdAt: z.string(),
    /** When an admin disabled the account (its sessions and API tokens are refused); null when enabled. */
    disabledAt: z.string().nullable().optional(),
  })
  .readonly();
export type UserView = z.infer<typeof userViewSchema>;

/** A live login session (one per sign-in); `current` marks the one the request came with. */
export interface SessionView {
  readonly id: string;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly client: string | null;
  readonly current: boolean;
}

export const loginResponseSchema = z
  .object({ accessToken: z.string(), expiresIn: z.number(), user: userViewSchema })
  .readonly();
export type LoginResponse = z.infer<typeof loginResponseSchema>;
