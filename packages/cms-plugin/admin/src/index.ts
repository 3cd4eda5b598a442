import { PluginIcon } from './components/PluginIcon';
import { MENU_PERMISSIONS, PERMISSIONS } from './permissions';
import { PLUGIN_ID, SKILL_TAGS_FIELD } from './pluginId';
import { getTranslation } from './utils/getTranslation';
import { prefixPluginTranslations } from './utils/prefixPluginTranslations';

import type { StrapiApp } from '@strapi/strapi/admin';
import type { ComponentType } from 'react';

export default {
  register(app: StrapiApp) {
    app.registerPlugin({ id: PLUGIN_ID, name: PLUGIN_ID });

    app.customFields.register({
      name: SKILL_TAGS_FIELD,
      pluginId: PLUGIN_ID,
      type: 'json',
      icon: PluginIcon,
      intlLabel: { id: getTranslation('field.label'), defaultMessage: 'Skill tags' },
      intlDescription: {
        id: getTranslation('field.description'),
        defaultMessage: 'Tag this content with skills from the catalog',
      },
      components: {
        Input: () =>
          import('./components/SkillTagsInput/SkillTagsInput').then((module) => ({
            // The content manager renders custom field inputs with InputProps, but the registry types them as ComponentType<{}>.
            default: module.SkillTagsInput as unknown as ComponentType,
          })),
      },
      options: {
        advanced: [
          {
            sectionTitle: { id: 'global.settings', defaultMessage: 'Settings' },
            items: [
              {
                name: 'required',
                type: 'checkbox',
                intlLabel: { id: getTranslation('field.options.required'), defaultMessage: 'Required field' },
                description: {
                  id: getTranslation('field.options.required.description'),
                  defaultMessage: 'An entry cannot be saved while no skill is tagged',
                },
              },
              {
                name: 'private',
                type: 'checkbox',
                intlLabel: { id: getTranslation('field.options.private'), defaultMessage: 'Private field' },
                description: {
                  id: getTranslation('field.options.private.description'),
                  defaultMessage: 'The field is left out of the content API responses',
                },
              },
            ],
          },
        ],
      },
    });

    app.addMenuLink({
      to: `plugins/${PLUGIN_ID}`,
      icon: PluginIcon,
      intlLabel: { id: getTranslation('plugin.name'), defaultMessage: 'Skill mapping' },
      permissions: MENU_PERMISSIONS,
      Component: () => import('./pages/App').then((module) => ({ default: module.App })),
    });

    app.addSettingsLink(
      {
        id: PLUGIN_ID,
        intlLabel: { id: getTranslation('plugin.name'), defaultMessage: 'Skill mapping' },
      },
      {
        id: 'endpoints',
        to: `${PLUGIN_ID}/endpoints`,
        intlLabel: {
          id: getTranslation('settings.endpoints.link'),
          defaultMessage: 'Webhook endpoints',
        },
        permissions: PERMISSIONS.manageEndpoints,
        Component: () =>
          import('./pages/Settings/EndpointsPage').then((module) => ({
            default: module.ProtectedEndpointsPage,
          })),
      }
    );
  },

  async registerTrads({ locales }: { locales: string[] }) {
    return Promise.all(
      locales.map(async (locale) => {
        try {
          const { default: data } = await import(`./translations/${locale}.json`);
          return { data: prefixPluginTranslations(data, PLUGIN_ID), locale };
        } catch {
          // Only English ships, so other locales fall back to each message's defaultMessage.
          return { data: {}, locale };
        }
      })
    );
  },
};
