import type { Core } from '@strapi/strapi';
import { resolveConfig, type PluginConfig } from '../config';

let cached: { strapi: Core.Strapi; config: PluginConfig } | null = null;

/** Returns the plugin config with environment overrides applied, resolved once per Strapi instance. */
export function getPluginConfig(strapi: Core.Strapi): PluginConfig {
  if (cached?.strapi !== strapi) {
    cached = { strapi, config: resolveConfig(strapi.config.get('plugin::skill-mapping') ?? {}) };
  }
  return cached.config;
}
