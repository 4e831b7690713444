// The pool lives in @borda/simulator; re-exported for callers that imported it from here.
export { type PoolOptions, type SimulationTask, defaultWorkerCount, runSimulationTasks } from '@borda/simulator';
export * from './chart';
export * from './report';
export * from './simulate-command';
export { main, buildProgram, EXIT_OK, EXIT_FAILURE, EXIT_USAGE } from './main';
export { ApiClient, ApiError } from './api-client';
export {
  type CampaignIo,
  registerCampaignCommands,
  EXPORT_FORMATS as CAMPAIGN_EXPORT_FORMATS,
  IMPORT_FORMATS as CAMPAIGN_IMPORT_FORMATS,
} from './campaign-command';
