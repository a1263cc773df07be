/** The store process's settings: the Store section of @sextant/config, loaded and validated once at boot. */
import { loadConfig, storeSection, type StoreSettings } from '@sextant/config';

export { DEFAULT_STORE_PATH, DEFAULT_STORE_PORT, type StoreSettings } from '@sextant/config';

export function loadStoreSettings(env: Record<string, string | undefined> = process.env): StoreSettings {
  return loadConfig({ store: storeSection }, env).store;
}
