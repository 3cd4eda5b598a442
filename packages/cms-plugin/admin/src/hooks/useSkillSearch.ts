import * as React from 'react';

import { useDebounce, useFetchClient } from '@strapi/strapi/admin';

import type { SearchSkills, Skill } from '../../../shared/contracts';
import { readApiError } from '../utils/errors';

/** Delay after the last keystroke before the search request leaves, in milliseconds. */
export const SEARCH_DEBOUNCE_MS = 250;
const SEARCH_LIMIT = 20;

/**
 * Server-side type-ahead over the catalog. Each new query aborts the request still in flight, so a
 * slow response for "pyt" never overwrites the response for "python".
 */
export const useSkillSearch = (query: string, { includeDeprecated = false } = {}) => {
  const { get } = useFetchClient();
  const debouncedQuery = useDebounce(query.trim(), SEARCH_DEBOUNCE_MS);
  const [results, setResults] = React.useState<Skill[]>([]);
  const [isLoading, setIsLoading] = React.useState(false);
  const [error, setError] = React.useState<string | null>(null);

  React.useEffect(() => {
    if (!debouncedQuery) {
      setResults([]);
      setIsLoading(false);
      return;
    }

    const controller = new AbortController();
    const params: SearchSkills.Query = { q: debouncedQuery, limit: SEARCH_LIMIT, includeDeprecated };
    setIsLoading(true);
    setError(null);

    get<SearchSkills.Response>('/skill-mapping/skills/search', { params, signal: controller.signal })
      .then(({ data }) => setResults(data.results))
      .catch((err: unknown) => {
        if (!controller.signal.aborted) setError(readApiError(err).message);
      })
      .finally(() => {
        if (!controller.signal.aborted) setIsLoading(false);
      });

    return () => controller.abort();
  }, [debouncedQuery, includeDeprecated, get]);

  // While the debounce runs, the shown results belong to an older query.
  const isPending = query.trim() !== debouncedQuery;

  return { results, isLoading: isLoading || isPending, error, debouncedQuery };
};
