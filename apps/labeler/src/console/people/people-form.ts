/**
 * The "Add a person" form's values, their validation by the API's own schema (so client and server
 * never disagree), the server's refusals placed on the fields they concern, and strong passwords.
 */
import { createUserSchema, type CreateUserRequest, type Role } from '@borda/api-contract';
import type { z } from 'zod';
import { ApiError } from '../../api/client';

export interface PersonFormValues {
  readonly name: string;
  readonly email: string;
  readonly role: Role;
  readonly password: string;
}

export type PersonField = keyof PersonFormValues;
export type PersonErrors = Partial<Record<PersonField, string>>;

export const EMPTY_PERSON: PersonFormValues = { name: '', email: '', role: 'labeler', password: '' };

/** In form order: the error summary lists fields this way, and focus goes to the first. */
export const PERSON_FIELD_LABELS: Record<PersonField, string> = {
  name: 'Name',
  email: 'Email',
  role: 'Role',
  password: 'Password',
};

export const personFieldId = (field: PersonField) => `person-${field}`;

function asField(path: string): PersonField | undefined {
  const head = path.split('.')[0];
  return head in PERSON_FIELD_LABELS ? (head as PersonField) : undefined;
}

/** zod's generic wording, rewritten for a person filling in a form. */
function humanMessage(field: PersonField | undefined, issue: z.core.$ZodIssue): string {
  if (issue.code === 'too_big') return `Use at most ${issue.maximum} characters.`;
  if (field === 'name' && issue.code === 'too_small') return 'Enter the person’s name.';
  if (field === 'email') return 'Enter an email address like name@example.com.';
  if (field === 'role') return 'Choose a role.';
  if (field === 'password' && issue.code === 'too_small') return 'Use at least 8 characters (or press Generate).';
  return issue.message;
}

export interface PersonValidation {
  readonly request?: CreateUserRequest;
  readonly fieldErrors: PersonErrors;
}

export function validatePerson(values: PersonFormValues): PersonValidation {
  // Pasted addresses often carry a stray space; the name is trimmed by the schema itself.
  const parsed = createUserSchema.safeParse({ ...values, email: values.email.trim() });
  if (parsed.success) return { request: parsed.data, fieldErrors: {} };
  const fieldErrors: PersonErrors = {};
  for (const issue of parsed.error.issues) {
    const field = asField(issue.path.map(String).join('.')) ?? 'name';
    fieldErrors[field] ??= humanMessage(field, issue);
  }
  return { fieldErrors };
}

export interface ServerRefusal {
  readonly fieldErrors: PersonErrors;
  /** A problem with no field to sit next to (shown in the form's alert). */
  readonly formError?: string;
}

/** The API's refusals that the person at the form can act on, or null for any other failure. */
export function serverRefusal(error: unknown, email: string): ServerRefusal | null {
  if (!(error instanceof ApiError)) return null;
  if (error.code === 'CONFLICT') {
    return { fieldErrors: { email: `${email.trim()} already has an account. Use another address.` } };
  }
  if (error.code === 'FORBIDDEN') return { fieldErrors: {}, formError: 'Only admins can add people.' };
  if (error.code !== 'VALIDATION_FAILED') return null;
  const details = error.details as { issues?: { path?: unknown; message?: unknown }[] } | undefined;
  const fieldErrors: PersonErrors = {};
  const others: string[] = [];
  for (const issue of details?.issues ?? []) {
    const field = typeof issue.path === 'string' ? asField(issue.path) : undefined;
    if (field) fieldErrors[field] ??= String(issue.message ?? '');
    else others.push(String(issue.message ?? ''));
  }
  const formError = others.length > 0 ? others.join(' ') : Object.keys(fieldErrors).length ? undefined : error.message;
  return { fieldErrors, formError };
}

/** No look-alikes (0/O, 1/l/I), so a password read aloud or copied by hand survives. */
const PASSWORD_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
export const GENERATED_PASSWORD_LENGTH = 20;

/** A random password (about 116 bits) from the browser's CSPRNG, without modulo bias. */
export function generatePassword(length = GENERATED_PASSWORD_LENGTH): string {
  const limit = 256 - (256 % PASSWORD_ALPHABET.length);
  let password = '';
  while (password.length < length) {
    for (const byte of crypto.getRandomValues(new Uint8Array(length * 2))) {
      if (byte < limit && password.length < length) password += PASSWORD_ALPHABET[byte % PASSWORD_ALPHABET.length];
    }
  }
  return password;
}
