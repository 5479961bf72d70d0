/** Mocha root hooks (registered by .mocharc.json): the shared PostgreSQL stops after the last test. */
import { stopTestCluster } from './postgres';

export const mochaHooks = {
  async afterAll(this: Mocha.Context): Promise<void> {
    this.timeout(30_000);
    await stopTestCluster();
  },
};
