/** Worker-thread side of pool.ts: keeps the environments it was sent and runs one task at a time. */
import { parentPort } from 'node:worker_threads';
import { runSimulation } from '../simulate';
import type { Environment } from '../types';
import type { WorkerReply, WorkerRequest } from './messages';

const port = parentPort;
if (!port) throw new Error('pool/worker must run in a worker thread');
const environments = new Map<string, Environment>();
const post = (reply: WorkerReply) => port.postMessage(reply);

port.on('message', (request: WorkerRequest) => {
  if (request.type === 'environment') {
    environments.set(request.key, request.environment);
    return;
  }
  const { index } = request;
  const environment = environments.get(request.environment);
  if (!environment) {
    post({ type: 'error', index, message: `environment '${request.environment}' was never sent to this worker` });
    return;
  }
  runSimulation({
    ...request.run,
    environment,
    onProgress: (labels) => post({ type: 'progress', index, labels }),
  }).then(
    (result) => post({ type: 'result', index, result }),
    (e: unknown) => post({ type: 'error', index, message: e instanceof Error ? e.message : String(e) }),
  );
});
