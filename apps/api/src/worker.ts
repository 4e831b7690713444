/** The worker process: `node apps/api/dist/worker.js`; start as many as the machine can feed. */
import { loadConfig } from './config/env';
import { createWorkerApp } from './bootstrap';

async function main(): Promise<void> {
  const config = loadConfig();
  await createWorkerApp(config);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
