/**
 * Campaign scoping, enforced by the type checker (after novu's EnforceEnvOrOrgIds): repository
 * methods over campaign data take `CampaignScoped<Where>`, so a query without a campaignId does not
 * compile. Users, tokens and simulations are not campaign data and have their own repositories.
 */
export type CampaignScoped<W> = W & { readonly campaignId: string };

/** Rows per createMany statement: large inserts go in chunks to stay under Postgres' 65535 bind parameters. */
export const INSERT_CHUNK = 2000;

export function chunks<T>(items: readonly T[], size = INSERT_CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
