import {
  DEFAULT_PROFICIENCY_BANDS,
  DEFAULT_PROFICIENCY_BANDS_TEXT,
  deriveProficiency,
  parseProficiencyBands,
  ProficiencyBandsError,
} from '../src';

describe('deriveProficiency with the default bands', () => {
  test.each([
    [0, null],
    [0.4999, null],
    [0.5, 'beginner'],
    [0.6999, 'beginner'],
    [0.7, 'intermediate'],
    [0.8499, 'intermediate'],
    [0.85, 'advanced'],
    [0.9499, 'advanced'],
    [0.95, 'expert'],
    [1, 'expert'],
  ])('confidence %s -> %s', (confidence, expected) => {
    expect(deriveProficiency(confidence)).toBe(expected);
    expect(deriveProficiency(confidence, DEFAULT_PROFICIENCY_BANDS)).toBe(expected);
  });

  test.each([-0.01, 1.01, Number.NaN])('rejects confidence %s', (confidence) => {
    expect(() => deriveProficiency(confidence)).toThrow(RangeError);
  });
});

describe('parseProficiencyBands', () => {
  test('default text gives the default bands', () => {
    expect(parseProficiencyBands(DEFAULT_PROFICIENCY_BANDS_TEXT)).toEqual(DEFAULT_PROFICIENCY_BANDS);
  });

  test('allows spaces and a subset of levels', () => {
    const bands = parseProficiencyBands(' beginner : 0.3 , expert:0.9 ');
    expect(bands).toEqual([
      { proficiency: 'beginner', min: 0.3 },
      { proficiency: 'expert', min: 0.9 },
    ]);
    expect(deriveProficiency(0.89, bands)).toBe('beginner');
  });

  test.each([
    ['', ''],
    ['beginner', 'beginner'],
    ['beginner:0.5,novice:0.6', 'novice:0.6'],
    ['beginner:0.5,intermediate:high', 'intermediate:high'],
    ['beginner:1.5', 'beginner:1.5'],
    ['beginner:0.5,intermediate:0.5', 'intermediate:0.5'],
    ['beginner:0.7,intermediate:0.6', 'intermediate:0.6'],
    ['intermediate:0.5,beginner:0.7', 'beginner:0.7'],
    ['beginner:0.5,beginner:0.7', 'beginner:0.7'],
    ['beginner:0.5:1', 'beginner:0.5:1'],
  ])('rejects %j naming %j', (text, entry) => {
    let caught: unknown;
    try {
      parseProficiencyBands(text);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ProficiencyBandsError);
    expect((caught as ProficiencyBandsError).entry).toBe(entry);
    if (entry !== '') expect((caught as ProficiencyBandsError).message).toContain(entry);
  });
});
