/** Every deployed function and its entry file: the CDK stack and the local runtime read this list. */
import { FUNCTION_GROUPS } from './http/routes.js';

export interface FunctionSpec {
  name: string;
  entry: string;
  trigger: 'http' | 'stream' | 'event';
}

export const FUNCTIONS: FunctionSpec[] = [
  ...FUNCTION_GROUPS.map((name) => ({ name, entry: `functions/http/${name}.ts`, trigger: 'http' as const })),
  { name: 'history', entry: 'functions/streams/history.ts', trigger: 'stream' },
  { name: 'alert-raised', entry: 'functions/events/alert-raised.ts', trigger: 'event' },
];
