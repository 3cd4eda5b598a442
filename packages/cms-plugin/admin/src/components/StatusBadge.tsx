import { Status, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';

import type { DeliveryStatus } from '../../../shared/contracts';
import { getTranslation } from '../utils/getTranslation';

const VARIANTS = {
  pending: 'secondary',
  retrying: 'warning',
  delivered: 'success',
  dead: 'danger',
} as const;

export const DeliveryStatusBadge = ({ status }: { status: DeliveryStatus }) => {
  const { formatMessage } = useIntl();

  return (
    <Status variant={VARIANTS[status]} size="S" data-status={status}>
      <Typography fontWeight="bold" textColor={`${VARIANTS[status]}700`}>
        {formatMessage({ id: getTranslation(`delivery.status.${status}`), defaultMessage: status })}
      </Typography>
    </Status>
  );
};
