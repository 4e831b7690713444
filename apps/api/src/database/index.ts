/** What non-repository code may import from the database layer: types and enums, never the client. */
export type { CampaignScoped } from './scoped';
export { isUuid } from './ids';
export { isUniqueViolation } from './unique-violation';
export {
  Role,
  CampaignStatus,
  ComparisonState,
  AssignmentState,
  Choice,
  JobState,
  SimulationState,
} from '../generated/prisma/enums';
export type {
  User,
  ApiToken,
  Session,
  Campaign,
  Prompt,
  Response,
  Comparison,
  Assignment,
  Label,
  ModelVersion,
  PolicyVersion,
  PolicyEntry,
  JobRun,
  Simulation,
  AuditLog,
} from '../generated/prisma/client';
