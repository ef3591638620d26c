/** Powertools singletons shared by every handler. */
import { Logger } from '@aws-lambda-powertools/logger';

export const logger = new Logger({ serviceName: 'alert-to-case', logLevel: (process.env.LOG_LEVEL as 'INFO' | undefined) ?? 'INFO' });
