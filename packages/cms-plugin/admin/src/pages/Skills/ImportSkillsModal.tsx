import * as React from 'react';

import { Box, Button, Field, Flex, Modal, ProgressBar, Typography } from '@strapi/design-system';
import { useFetchClient } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';

import type { ImportSkills } from '../../../../shared/contracts';
import { formatApiError } from '../../utils/errors';
import { getTranslation } from '../../utils/getTranslation';
import { buildImportChunks, formatFromFileName, ImportFileError } from '../../utils/importChunks';

interface Summary extends ImportSkills.Response {
  /** Rows the server never saw because a request failed; the import stopped there. */
  failedFromRow?: number;
  failure?: string;
}

const emptySummary = (): Summary => ({ created: 0, updated: 0, unchanged: 0, rejected: [] });

/**
 * Imports a skill file in chunks so the progress bar moves with the server's work. Chunks run one
 * after another; a failed request stops the import, and the summary shows the row to resume from.
 */
export const ImportSkillsModal = ({ onClose }: { onClose: () => void }) => {
  const { formatMessage } = useIntl();
  const { post } = useFetchClient();
  const [file, setFile] = React.useState<File | null>(null);
  const [fileError, setFileError] = React.useState<string | null>(null);
  const [progress, setProgress] = React.useState<{ done: number; total: number } | null>(null);
  const [summary, setSummary] = React.useState<Summary | null>(null);
  const t = (id: string, defaultMessage: string) => formatMessage({ id: getTranslation(id), defaultMessage });

  const running = progress !== null && summary === null;

  const start = async () => {
    if (!file) return;
    const format = formatFromFileName(file.name);
    if (!format) {
      setFileError(
        formatMessage(
          { id: getTranslation('import.error.extension'), defaultMessage: '"{name}" is neither .csv nor .json. Choose a CSV or JSON skill file.' },
          { name: file.name }
        )
      );
      return;
    }

    let chunks;
    try {
      chunks = buildImportChunks(format, await file.text());
    } catch (error) {
      setFileError(error instanceof ImportFileError ? `${error.message} [${error.code}]` : String(error));
      return;
    }

    const totalRows = chunks.reduce((sum, chunk) => sum + chunk.rowCount, 0);
    const result = emptySummary();
    setFileError(null);
    setProgress({ done: 0, total: totalRows });

    for (const chunk of chunks) {
      try {
        const { data } = await post<ImportSkills.Response>('/skill-mapping/skills/import', chunk.request);
        result.created += data.created;
        result.updated += data.updated;
        result.unchanged += data.unchanged;
        result.rejected.push(...data.rejected.map((row) => ({ ...row, row: row.row + chunk.rowOffset })));
      } catch (error) {
        result.failedFromRow = chunk.rowOffset + 1;
        result.failure = formatApiError(error);
        break;
      }
      setProgress({ done: chunk.rowOffset + chunk.rowCount, total: totalRows });
    }

    setSummary(result);
  };

  return (
    <Modal.Root open onOpenChange={(open) => !open && !running && onClose()}>
      <Modal.Content>
        <Modal.Header>
          <Modal.Title>{t('import.title', 'Import skills')}</Modal.Title>
        </Modal.Header>
        <Modal.Body>
          <Flex direction="column" alignItems="stretch" gap={4}>
            <Field.Root
              name="skill-file"
              error={fileError ?? undefined}
              hint={t('import.hint', 'CSV with the header id,uri,name,alt_names,description,group (alternative labels separated by |), or a JSON array of skills.')}
            >
              <Field.Label>{t('import.file', 'Skill file')}</Field.Label>
              <input
                type="file"
                accept=".csv,.json,text/csv,application/json"
                disabled={running}
                data-testid="skill-import-file"
                onChange={(event) => {
                  setFile(event.target.files?.[0] ?? null);
                  setSummary(null);
                  setProgress(null);
                  setFileError(null);
                }}
              />
              <Field.Hint />
              <Field.Error />
            </Field.Root>

            {progress ? (
              <Flex direction="column" alignItems="stretch" gap={1}>
                <ProgressBar
                  value={progress.total === 0 ? 100 : Math.round((progress.done / progress.total) * 100)}
                  aria-label={t('import.progress', 'Import progress')}
                />
                <Typography variant="pi" textColor="neutral600">
                  {formatMessage(
                    { id: getTranslation('import.progressRows'), defaultMessage: '{done} of {total} rows processed' },
                    progress
                  )}
                </Typography>
              </Flex>
            ) : null}

            {summary ? <ImportSummary summary={summary} /> : null}
          </Flex>
        </Modal.Body>
        <Modal.Footer>
          <Button variant="tertiary" onClick={onClose} disabled={running}>
            {t('action.close', 'Close')}
          </Button>
          <Button onClick={start} disabled={!file || running} loading={running}>
            {t('import.start', 'Import')}
          </Button>
        </Modal.Footer>
      </Modal.Content>
    </Modal.Root>
  );
};

const ImportSummary = ({ summary }: { summary: Summary }) => {
  const { formatMessage } = useIntl();

  return (
    <Box background="neutral100" hasRadius padding={4} data-testid="import-summary" role="status">
      <Typography tag="p">
        {formatMessage(
          {
            id: getTranslation('import.summary'),
            defaultMessage: '{created} created, {updated} updated, {unchanged} unchanged, {rejected} rejected',
          },
          { ...summary, rejected: summary.rejected.length }
        )}
      </Typography>
      {summary.failure ? (
        <Typography tag="p" textColor="danger600">
          {formatMessage(
            {
              id: getTranslation('import.failedFrom'),
              defaultMessage: 'Import stopped at row {row}: {message}. Fix the cause and import the file again; rows already imported stay unchanged.',
            },
            { row: summary.failedFromRow, message: summary.failure }
          )}
        </Typography>
      ) : null}
      {summary.rejected.length > 0 ? (
        <Box tag="ul" paddingTop={2} maxHeight="200px" overflow="auto">
          {summary.rejected.map((row) => (
            <li key={`${row.row}-${row.reason}`}>
              <Typography variant="pi">
                {formatMessage(
                  { id: getTranslation('import.rejectedRow'), defaultMessage: 'Row {row}: {reason}' },
                  row
                )}
              </Typography>
            </li>
          ))}
        </Box>
      ) : null}
    </Box>
  );
};
