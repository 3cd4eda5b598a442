import { stringify } from 'csv-stringify/sync';
import type { AdapterSkill } from '../types';
import { DescriptionFormat, type MoodleScaleValue } from './functions';
import { toMoodleName } from './text';

/**
 * Header of Moodle's competency framework import (admin tool tool_lpimportcsv). The tool reads columns
 * by position, so the order is fixed; names with spaces are quoted as in the tool's documented header.
 */
export const FRAMEWORK_CSV_HEADER =
  '"Parent id number","Id number",Shortname,Description,"Description format","Scale values","Scale configuration",' +
  '"Rule type (optional)","Rule outcome (optional)","Rule config (optional)","Cross referenced competency id numbers",' +
  '"Exported id (optional)","Is framework",Taxonomy';

export interface FrameworkCsvOptions {
  idnumber: string;
  shortname: string;
  description?: string;
  scaleValues: readonly MoodleScaleValue[];
  /** The `scaleconfiguration` JSON the adapter would send. */
  scaleConfiguration: string;
}

type Row = [string, string, string, string, number | '', string, string, string, string, string, string, string, string, string];

/**
 * Writes the catalog as a tool_lpimportcsv file: one framework row, then one top-level competency per
 * skill with the skill UUID as its idnumber. A deprecated skill keeps its row, cross-referenced to its
 * successor so the two are related in Moodle. Returns the number of competency rows.
 */
export async function writeFrameworkCsv(
  skills: AsyncIterable<AdapterSkill>,
  options: FrameworkCsvOptions,
  write: (chunk: string) => Promise<void> | void,
): Promise<number> {
  await write(`${FRAMEWORK_CSV_HEADER}\n`);

  const frameworkRow: Row = [
    '',
    toMoodleName(options.idnumber),
    toMoodleName(options.shortname),
    options.description ?? '',
    DescriptionFormat.PLAIN,
    options.scaleValues.map((value) => value.name).join(','),
    options.scaleConfiguration,
    '',
    '',
    '',
    '',
    '',
    '1',
    'skill',
  ];
  await write(stringify([frameworkRow]));

  let count = 0;
  for await (const skill of skills) {
    const crossReference = skill.status === 'deprecated' && skill.superseded_by ? skill.superseded_by : '';
    const row: Row = [
      '',
      skill.skill_id,
      toMoodleName(skill.name),
      skill.description ?? '',
      DescriptionFormat.PLAIN,
      '',
      '',
      '',
      '',
      '',
      crossReference,
      '',
      '',
      '',
    ];
    await write(stringify([row]));
    count += 1;
  }
  return count;
}
