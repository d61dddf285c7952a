/** Timesheet periods by the connector's setting, and hours as qbXML durations (exact, rounded to the minute). */
import { expect, test } from 'vitest';
import { durationMinutes, hoursToDuration } from '../../plugins/sdk/index.js';
import { TimesheetPeriod } from '../../src/modules/connector/connector-settings.js';
import { periodContaining } from '../../src/modules/timesheets/periods.js';

test('weekly and bi-weekly periods repeat from the anchor, before and after it; semi-monthly ones split the month at the 15th', () => {
  expect(periodContaining(TimesheetPeriod.WEEKLY, '2026-11-02', '2026-11-08')).toEqual({ start: '2026-11-02', end: '2026-11-08' });
  expect(periodContaining(TimesheetPeriod.WEEKLY, '2026-11-02', '2026-11-09')).toEqual({ start: '2026-11-09', end: '2026-11-15' });
  expect(periodContaining(TimesheetPeriod.BI_WEEKLY, '2026-11-02', '2026-11-15')).toEqual({ start: '2026-11-02', end: '2026-11-15' });
  expect(periodContaining(TimesheetPeriod.BI_WEEKLY, '2026-11-02', '2026-10-31')).toEqual({ start: '2026-10-19', end: '2026-11-01' });
  // Across a year end and a DST change nothing shifts (calendar days, not local times).
  expect(periodContaining(TimesheetPeriod.BI_WEEKLY, '2026-11-02', '2027-01-01')).toEqual({ start: '2026-12-28', end: '2027-01-10' });
  expect(periodContaining(TimesheetPeriod.SEMI_MONTHLY, '2026-11-02', '2026-11-15')).toEqual({ start: '2026-11-01', end: '2026-11-15' });
  expect(periodContaining(TimesheetPeriod.SEMI_MONTHLY, '2026-11-02', '2028-02-16')).toEqual({ start: '2028-02-16', end: '2028-02-29' });
  expect(periodContaining(TimesheetPeriod.SEMI_MONTHLY, '2026-11-02', '2026-12-31')).toEqual({ start: '2026-12-16', end: '2026-12-31' });
});

test('hours become ISO 8601 durations rounded to the minute, and back', () => {
  expect(['1.75', '8', '0.3333', '0.0083', '24.0000'].map(hoursToDuration)).toEqual(['PT1H45M', 'PT8H0M', 'PT0H20M', 'PT0H0M', 'PT24H0M']);
  expect(['PT1H45M', 'PT2H0M0S', 'PT30M', '+PT1H', 'P1D', undefined].map(durationMinutes)).toEqual([105, 120, 30, 60, undefined, undefined]);
  expect(() => hoursToDuration('-1')).toThrow();
});
