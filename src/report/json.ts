// The Report as JSON, for scripts and dashboards. The object is the Report
// model of src/model/report.ts as is, so its TypeScript types are the schema.
//
// schemaVersion (always the first key) is SCHEMA_VERSION from that model:
// it changes only when a field is renamed, removed or changes meaning; new
// optional fields do not bump it. Values are raw profile numbers in the
// profile's unit (`profile.unit`); shares are fractions 0..1, not percent.
import type { Report } from '../model/report.js';
import { jsonText } from './sanitize.js';

export function renderJson(report: Report): string {
  const { schemaVersion, ...rest } = report;
  return `${jsonText({ schemaVersion, ...rest })}\n`;
}
