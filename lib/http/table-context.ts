/** The table behind an API function: its repositories (only the classes it brings), made on first use from the environment. */
import { storeFromEnv } from '../store/store.js';
import { repositoriesOf, type Repositories, type RepositoryClasses } from '../usecases/context.js';

export interface TableContext {
  repos: Repositories;
}

export const tableContext = (classes: RepositoryClasses) => (): TableContext => ({ repos: repositoriesOf(storeFromEnv(), classes) });
