/** The little the kernel needs from a logger; pino's and Nest-pino's loggers fit. */
export interface KernelLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export const silentLogger: KernelLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };
