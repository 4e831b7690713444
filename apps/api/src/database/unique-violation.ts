/**
 * Recognises Postgres' unique_violation (SQLSTATE 23505) by code, whichever layer reports it: Prisma's
 * own P2002, a raw query's P2010 with the SQLSTATE in `meta.code`, the pg driver adapter's cause
 * (`originalCode`, `kind`), or a plain pg error. Never by matching message text.
 */
import { Prisma } from '../generated/prisma/client';

interface AdapterMeta {
  readonly code?: unknown;
  readonly driverAdapterError?: { readonly cause?: { readonly originalCode?: unknown; readonly kind?: unknown } };
}

export function isUniqueViolation(error: unknown): boolean {
  if (error instanceof Prisma.PrismaClientKnownRequestError) {
    if (error.code === 'P2002') return true;
    const meta = (error.meta ?? {}) as AdapterMeta;
    const cause = meta.driverAdapterError?.cause;
    return meta.code === '23505' || cause?.originalCode === '23505' || cause?.kind === 'UniqueConstraintViolation';
  }
  return (error as { code?: unknown } | null)?.code === '23505';
}
