import * as React from 'react';

import { useFetchClient } from '@strapi/strapi/admin';

import { PROFICIENCY_LEVELS, type GetConfig } from '../../../shared/contracts';
import { readApiError } from '../utils/errors';

const FALLBACK_CONFIG: GetConfig.Response = {
  defaultProficiency: 'intermediate',
  proficiencyLevels: PROFICIENCY_LEVELS,
  canTag: false,
};

/**
 * Loads the field input settings. Until they arrive, and when the request fails, `canTag` is false so
 * the input never offers a write the server would reject.
 */
export const usePluginConfig = () => {
  const { get } = useFetchClient();
  const [config, setConfig] = React.useState<GetConfig.Response>(FALLBACK_CONFIG);
  const [isLoading, setIsLoading] = React.useState(true);
  const [error, setError] = React.useState<string | null>(null);

  React.useEffect(() => {
    const controller = new AbortController();

    get<GetConfig.Response>('/skill-mapping/config', { signal: controller.signal })
      .then(({ data }) => setConfig(data))
      .catch((err: unknown) => {
        if (!controller.signal.aborted) setError(readApiError(err).message);
      })
      .finally(() => {
        if (!controller.signal.aborted) setIsLoading(false);
      });

    return () => controller.abort();
  }, [get]);

  return { config, isLoading, error };
};
