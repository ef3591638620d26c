/** What the console's case picker takes for a case number (web/src/pickers.tsx). */
import { caseNumberOf } from '../../web/src/pickers.js';

it('reads a case number as people say it: the digits, with or without CS and leading zeros', () => {
  expect(['1001', 'cs1001', 'CS0001001', ' 1001 ', '0001001'].map(caseNumberOf)).toEqual(Array(5).fill('CS0001001'));
  expect(caseNumberOf('9999999')).toBe('CS9999999');
});

it('takes nothing else for a number: words, more than seven digits, an empty box', () => {
  expect(['database down', '12345678', '', 'CS', '10a'].map(caseNumberOf)).toEqual(Array(5).fill(undefined));
});
