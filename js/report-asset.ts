/**
 * The report template, a static asset of the labextension (webpack emits the file this
 * URL names; kept apart from report.ts, which the tests load as CommonJS).
 */
export async function reportTemplate(): Promise<string> {
  const response = await fetch(new URL('./report-template.html', import.meta.url));
  if (!response.ok) {
    throw new Error(`the report template could not be loaded (${response.status})`);
  }
  return response.text();
}
