import { reportPage, scriptJson } from '../report';

describe('Export HTML', () => {
  const template = '<html><body><!--HUNTVIZ-DATA--><script>app()</script></body></html>';

  it('puts the payload in as JSON that cannot leave its script element', () => {
    const payload = { view: 'table', data: '</script><script>alert(1)</script><!-- & -->' };
    const page = reportPage(template, '<b>t</b>', payload);
    expect(page.match(/<script/g)).toHaveLength(2);
    expect(page.match(/<\/script>/g)).toHaveLength(2);
    expect(page).not.toContain('<b>');
    const json = page.slice(page.indexOf('id="huntviz-data">') + 18, page.indexOf('</script>'));
    expect(JSON.parse(json)).toEqual({ title: '<b>t</b>', outputs: [{ title: '<b>t</b>', payload }] });
    expect(scriptJson('<>&')).toBe('"\\u003c\\u003e\\u0026"');
  });

  it('refuses a template without exactly one data marker', () => {
    expect(() => reportPage('<html></html>', 't', {})).toThrow('the report template is damaged');
    expect(() => reportPage('<!--HUNTVIZ-DATA--><!--HUNTVIZ-DATA-->', 't', {})).toThrow('damaged');
  });
});
