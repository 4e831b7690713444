/**
 * A refused input: bad options, an unknown name, a malformed environment. Front ends (the CLI) turn
 * it into a one-line message and a usage exit code instead of a stack trace.
 */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}
