import { Box, Flex, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';

import type { TestEndpoint } from '../../../../shared/contracts';
import { Monospace } from '../../components/Monospace';
import { getTranslation } from '../../utils/getTranslation';

/** Shows the receiver's response to an `endpoint.test` event: status code, latency and the start of the body. */
export const TestResult = ({ result }: { result: TestEndpoint.Response }) => {
  const { formatMessage } = useIntl();
  const ok = result.status !== null && result.status >= 200 && result.status < 300;

  return (
    <Box background={ok ? 'success100' : 'danger100'} hasRadius padding={3} data-testid="endpoint-test-result" role="status">
      <Flex direction="column" alignItems="flex-start" gap={1}>
        <Typography fontWeight="bold" textColor={ok ? 'success700' : 'danger700'}>
          {formatMessage(
            { id: getTranslation('endpoint.testResult'), defaultMessage: 'Test event: HTTP {status} in {latency} ms' },
            { status: result.status ?? '–', latency: result.latency_ms }
          )}
        </Typography>
        {result.error ? <Typography textColor="danger700">{result.error}</Typography> : null}
        {result.response_excerpt ? (
          <Monospace>{result.response_excerpt}</Monospace>
        ) : null}
      </Flex>
    </Box>
  );
};
