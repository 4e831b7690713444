/** The HTTP process: `node apps/api/dist/main.js` (npm start runs it beside the workers). */
import { loadConfig } from './config/env';
import { createHttpApp } from './bootstrap';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createHttpApp(config);
  await app.listen(config.port, config.host);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
