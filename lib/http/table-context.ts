/** The table behind an API function: its repositories, made on first use from the environment. */
import { storeFromEnv } from '../store/store.js';
import { repositoriesFor, type Repositories } from '../usecases/context.js';

export interface TableContext {
  repos: Repositories;
}

export function tableContext(): TableContext {
  return { repos: repositoriesFor(storeFromEnv()) };
}
