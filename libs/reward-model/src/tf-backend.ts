/**
 * Picks the fastest TensorFlow.js backend that loads on this machine, once per process:
 * tfjs-node-gpu → tfjs-node → wasm → cpu. The native packages are optional peer dependencies
 * (their installers download libtensorflow, which many machines cannot), so their absence is
 * expected and only recorded.
 */
import * as tf from '@tensorflow/tfjs';

export type TensorflowBackendName = 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';

export interface BackendReport {
  /** The backend now active. */
  readonly backend: TensorflowBackendName;
  /** Every backend tried before it, with why it was passed over. */
  readonly skipped: readonly { backend: TensorflowBackendName; reason: string }[];
}

export interface BackendOptions {
  /** Try only these, in this order (default: all, fastest first). */
  readonly preference?: readonly TensorflowBackendName[];
}

const DEFAULT_ORDER: readonly TensorflowBackendName[] = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];

let current: Promise<BackendReport> | null = null;

function errorText(e: unknown): string {
  return e instanceof Error ? e.message.split('\n')[0] : String(e);
}

/**
 * Loads a backend package for its side effect (registering the backend). A plain `require` at run
 * time, not an import: the native packages are optional and their absence must not break loading
 * this module.
 */
function registerBackendPackage(name: string): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require(name);
}

async function activate(name: TensorflowBackendName): Promise<void> {
  switch (name) {
    case 'tensorflow-gpu':
      // Registers the 'tensorflow' backend bound to CUDA when libtensorflow with GPU support is present.
      registerBackendPackage('@tensorflow/tfjs-node-gpu');
      if (!(await tf.setBackend('tensorflow'))) throw new Error('tfjs-node-gpu loaded but its backend did not start');
      return;
    case 'tensorflow':
      registerBackendPackage('@tensorflow/tfjs-node');
      if (!(await tf.setBackend('tensorflow'))) throw new Error('tfjs-node loaded but its backend did not start');
      return;
    case 'wasm':
      registerBackendPackage('@tensorflow/tfjs-backend-wasm');
      if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend did not start');
      return;
    case 'cpu':
      if (!(await tf.setBackend('cpu'))) throw new Error('the cpu backend did not start');
      return;
  }
}

async function choose(order: readonly TensorflowBackendName[]): Promise<BackendReport> {
  const skipped: { backend: TensorflowBackendName; reason: string }[] = [];
  for (const backend of order) {
    try {
      await activate(backend);
      await tf.ready();
      return { backend, skipped };
    } catch (e) {
      skipped.push({ backend, reason: errorText(e) });
    }
  }
  throw new Error(
    `no TensorFlow.js backend could start: ${skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ')}`,
  );
}

/**
 * Starts the fastest available backend (memoised: later calls return the first report unless
 * `preference` differs from the default, which re-selects).
 */
export function initTensorflow(options: BackendOptions = {}): Promise<BackendReport> {
  if (options.preference) {
    current = choose(options.preference);
    return current;
  }
  current ??= choose(DEFAULT_ORDER);
  return current;
}

/** The backend tfjs is running on right now (tfjs starts on 'cpu' until initTensorflow is awaited). */
export function activeBackend(): string {
  return tf.getBackend();
}

/** True when tensor maths is faster than plain JavaScript loops (any backend but 'cpu'). */
export function hasFastTensorBackend(): boolean {
  const name = tf.getBackend();
  return name === 'wasm' || name === 'tensorflow' || name === 'webgl' || name === 'webgpu';
}

export { tf };
