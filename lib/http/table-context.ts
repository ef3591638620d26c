/** The table behind an API function: its store and repositories, made on first use from the environment. */
import { storeFromEnv, type Store } from '../store/store.js';
import { repositoriesFor, type Repositories } from '../usecases/context.js';

export interface TableContext {
  store: Store;
  repos: Repositories;
}

export function tableContext(): TableContext {
  const store = storeFromEnv();
  return { store, repos: repositoriesFor(store) };
}
