/**
 * Export HTML: the output as a one-file interactive report (the page `huntviz.save`
 * writes), from the report template the labextension ships as an asset.
 */

/** Where the template takes the data. */
const MARKER = '<!--HUNTVIZ-DATA-->';

/** JSON that cannot end or comment out the script element holding it. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/&/g, '\\u0026').replace(/</g, '\\u003c').replace(/>/g, '\\u003e');
}

/** The report page of one output: its payload as saved, under `title`. */
export function reportPage(template: string, title: string, payload: unknown): string {
  const at = template.indexOf(MARKER);
  if (at < 0 || template.indexOf(MARKER, at + 1) >= 0) {
    throw new Error('the report template is damaged (its data marker is missing): rebuild huntviz');
  }
  const data = scriptJson({ title, outputs: [{ title, payload }] });
  return (
    template.slice(0, at) +
    `<script type="application/json" id="huntviz-data">${data}</script>` +
    template.slice(at + MARKER.length)
  );
}
