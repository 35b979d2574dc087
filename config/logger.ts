import { pino, type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { Config } from './env.ts';

export type { Logger };

/**
 * The logger of a process, for every log line it writes: pino's JSON lines, one object per event with its facts as
 * fields (`caseReference` wherever a case is concerned), for a log collector. On a terminal (`npm start` at a
 * console) the same events are printed as readable lines. The web app's request logs are its children.
 */
export function createLogger(level: Config['logLevel'], destination: NodeJS.WriteStream = process.stdout): Logger {
  if (!destination.isTTY) return pino({ level }, destination);
  return pino(
    { level },
    pretty({ destination, sync: true, singleLine: true, ignore: 'pid,hostname', translateTime: 'SYS:HH:MM:ss' }),
  );
}

/** For tests and tools that want no log output. */
export const silentLogger: Logger = pino({ level: 'silent' });
