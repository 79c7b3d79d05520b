import { pino, type Logger } from "pino";

export type { Logger };

/** One root logger; modules take children. Authorization and cookies are never logged. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: {
      paths: ["req.headers.authorization", "req.headers.cookie", "res.headers['set-cookie']", "password", "*.password"],
      censor: "[redacted]",
    },
  });
}
