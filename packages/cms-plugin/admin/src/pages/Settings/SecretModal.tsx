import { Box, Button, Flex, Modal, Typography } from '@strapi/design-system';
import { useClipboard, useNotification } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

import { Monospace } from '../../components/Monospace';
import { getTranslation } from '../../utils/getTranslation';

interface SecretModalProps {
  secret: string;
  /** Set after a rotation: until then the old secret signs next to the new one. */
  previousExpiresAt?: string;
  onClose: () => void;
}

/** Shows a signing secret once, because the server never returns it again. */
export const SecretModal = ({ secret, previousExpiresAt, onClose }: SecretModalProps) => {
  const { formatMessage, formatDate } = useIntl();
  const { copy } = useClipboard();
  const { toggleNotification } = useNotification();
  const t = (id: string, defaultMessage: string) => formatMessage({ id: getTranslation(id), defaultMessage });

  return (
    <Modal.Root open onOpenChange={(open) => !open && onClose()}>
      <Modal.Content>
        <Modal.Header>
          <Modal.Title>{t('secret.title', 'Signing secret')}</Modal.Title>
        </Modal.Header>
        <Modal.Body>
          <Flex direction="column" alignItems="stretch" gap={3}>
            <Typography>{t('secret.once', 'Copy this secret into the receiver now: it is shown only once.')}</Typography>
            <Box background="neutral100" padding={3} hasRadius>
              <Monospace data-testid="endpoint-secret">{secret}</Monospace>
            </Box>
            {previousExpiresAt ? (
              <Typography textColor="neutral600">
                {formatMessage(
                  { id: getTranslation('secret.rotationWindow'), defaultMessage: 'Events are signed with both the old and the new secret until {date}.' },
                  { date: formatDate(previousExpiresAt, { dateStyle: 'medium', timeStyle: 'short' }) }
                )}
              </Typography>
            ) : null}
          </Flex>
        </Modal.Body>
        <Modal.Footer>
          <Button
            variant="secondary"
            onClick={async () => {
              const copied = await copy(secret);
              toggleNotification({
                type: copied ? 'success' : 'warning',
                message: copied ? t('secret.copied', 'Secret copied') : t('secret.copyFailed', 'Copy failed: select the text and copy it by hand.'),
              });
            }}
          >
            {t('secret.copy', 'Copy')}
          </Button>
          <Button onClick={onClose}>{t('secret.done', 'I stored it')}</Button>
        </Modal.Footer>
      </Modal.Content>
    </Modal.Root>
  );
};
