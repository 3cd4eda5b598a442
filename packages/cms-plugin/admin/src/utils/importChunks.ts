import type { ImportSkills } from '../../../shared/contracts';

/** Rows per import request; each finished request advances the progress bar. */
export const IMPORT_CHUNK_ROWS = 250;

export interface ImportChunk {
  request: ImportSkills.Request;
  /** Number of rows before this chunk, so a rejected row number can be shown file-wide. */
  rowOffset: number;
  rowCount: number;
}

export class ImportFileError extends Error {
  readonly code = 'IMPORT_FILE_INVALID';
}

/**
 * Splits CSV text into records at line breaks outside double quotes, so a quoted description that
 * spans lines stays one record. Line endings inside a record are kept as they are.
 */
export const splitCsvRecords = (text: string): string[] => {
  const records: string[] = [];
  let inQuotes = false;
  let start = 0;

  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    if (char === '"') {
      inQuotes = !inQuotes;
    } else if (char === '\n' && !inQuotes) {
      const end = i > start && text[i - 1] === '\r' ? i - 1 : i;
      records.push(text.slice(start, end));
      start = i + 1;
    }
  }
  if (start < text.length) records.push(text.slice(start));

  return records.filter((record) => record.trim() !== '');
};

/**
 * Cuts an import file into requests of at most `chunkRows` rows. Each CSV chunk repeats the header
 * line, so the server parses every chunk as a complete file.
 */
export const buildImportChunks = (
  format: ImportSkills.Request['format'],
  content: string,
  chunkRows = IMPORT_CHUNK_ROWS
): ImportChunk[] => {
  if (format === 'json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(content);
    } catch (error) {
      throw new ImportFileError(`The file is not valid JSON (${(error as Error).message}). Export it again as a JSON array of skills.`);
    }
    if (!Array.isArray(parsed)) {
      throw new ImportFileError('The JSON file must contain an array of skills, e.g. [{"id": "...", "name": "..."}].');
    }

    const chunks: ImportChunk[] = [];
    for (let offset = 0; offset < parsed.length; offset += chunkRows) {
      const rows = parsed.slice(offset, offset + chunkRows);
      chunks.push({ request: { format, content: JSON.stringify(rows) }, rowOffset: offset, rowCount: rows.length });
    }
    return chunks;
  }

  const [header, ...rows] = splitCsvRecords(content.replace(/^\uFEFF/, ''));
  if (!header) {
    throw new ImportFileError('The CSV file is empty. It needs the header id,uri,name,alt_names,description,group and one row per skill.');
  }

  const chunks: ImportChunk[] = [];
  for (let offset = 0; offset < rows.length; offset += chunkRows) {
    const slice = rows.slice(offset, offset + chunkRows);
    chunks.push({
      request: { format, content: [header, ...slice].join('\n') },
      rowOffset: offset,
      rowCount: slice.length,
    });
  }
  return chunks;
};

export const formatFromFileName = (fileName: string): ImportSkills.Request['format'] | null => {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.json')) return 'json';
  return null;
};
