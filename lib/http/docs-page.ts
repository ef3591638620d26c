/**
 * A readable reference page rendered from the OpenAPI document: operations
 * grouped by tag (method, path, summary, roles, parameters, request and
 * response bodies), the error shape and the schemas. One self-contained HTML
 * file: inline CSS, no scripts, nothing loaded from elsewhere.
 */
type Json = { [key: string]: unknown };
type Schema = Json;

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

export function escapeHtml(text: unknown): string {
  return String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** The little Markdown the document uses: `code`, **bold**, paragraphs and `- ` lists. */
export function markdown(text: string | undefined): string {
  if (!text) return '';
  const inline = (s: string) =>
    escapeHtml(s)
      .replace(/`([^`]+)`/g, '<code>$1</code>')
      .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>');
  return text
    .split(/\n\s*\n/)
    .map((block) => {
      const lines = block.split('\n');
      if (lines.every((l) => l.startsWith('- '))) return `<ul>${lines.map((l) => `<li>${inline(l.slice(2))}</li>`).join('')}</ul>`;
      return `<p>${inline(lines.join(' '))}</p>`;
    })
    .join('');
}

const anchor = (kind: string, name: string) => `${kind}-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`;
const refName = (ref: string) => ref.split('/').pop()!;

class Renderer {
  constructor(private readonly doc: Json) {}

  private get components(): Record<string, Record<string, Json>> {
    return (this.doc.components ?? {}) as Record<string, Record<string, Json>>;
  }

  /** Follows a local `$ref` (`#/components/<group>/<name>`). */
  resolve<T extends Json>(value: T | { $ref: string }): T {
    let current: Json = value;
    for (let i = 0; typeof current.$ref === 'string' && i < 10; i++) {
      const [, , group, name] = (current.$ref as string).split('/');
      current = this.components[group]?.[name] ?? {};
    }
    return current as T;
  }

  /** A schema in a line: links for references, `a | b` for choices, `T[]` for lists. */
  type(schema: Schema | undefined): string {
    if (!schema || Object.keys(schema).filter((k) => k !== 'description').length === 0) return '<span class="t">any</span>';
    if (typeof schema.$ref === 'string') {
      const name = refName(schema.$ref);
      return `<a class="ref" href="#${anchor('schema', name)}">${escapeHtml(name)}</a>`;
    }
    if (Array.isArray(schema.enum)) return schema.enum.map((v) => `<code>${escapeHtml(JSON.stringify(v))}</code>`).join(' | ');
    if ('const' in schema) return `<code>${escapeHtml(JSON.stringify(schema.const))}</code>`;
    const choices = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
    if (choices) return choices.map((c) => this.type(c)).join(' | ');
    if (Array.isArray(schema.type)) return schema.type.map((t) => this.type({ ...schema, type: t })).join(' | ');
    switch (schema.type) {
      case 'array': {
        const items = this.type(schema.items as Schema | undefined);
        return items.includes(' | ') ? `(${items})[]` : `${items}[]`;
      }
      case 'object': {
        if (schema.properties) return '<span class="t">object</span>';
        if (schema.additionalProperties && typeof schema.additionalProperties === 'object' && Object.keys(schema.additionalProperties).length) {
          return `<span class="t">map</span> of ${this.type(schema.additionalProperties as Schema)}`;
        }
        return '<span class="t">object</span>';
      }
      case undefined:
        return '<span class="t">any</span>';
      default:
        return `<span class="t">${escapeHtml(schema.type)}</span>`;
    }
  }

  /** Constraints and description of a schema, in words. */
  notes(schema: Schema | undefined): string {
    if (!schema) return '';
    const notes: string[] = [];
    const range = (min: unknown, max: unknown, unit: string) => {
      if (min !== undefined && max !== undefined) notes.push(min === max ? `exactly ${min} ${unit}` : `${min}–${max} ${unit}`);
      else if (min !== undefined) notes.push(`at least ${min} ${unit}`);
      else if (max !== undefined) notes.push(`at most ${max} ${unit}`);
    };
    range(schema.minLength, schema.maxLength, 'chars');
    range(schema.minItems, schema.maxItems, 'items');
    range(schema.minimum, schema.maximum, '');
    if (schema.format) notes.push(`format ${escapeHtml(schema.format)}`);
    if (schema.pattern) notes.push(`pattern <code>${escapeHtml(schema.pattern)}</code>`);
    const keys = schema.propertyNames ? this.notes(schema.propertyNames as Schema) : '';
    if (keys) notes.push(`keys: ${keys}`);
    if (schema.default !== undefined) notes.push(`default <code>${escapeHtml(JSON.stringify(schema.default))}</code>`);
    for (const choice of ((schema.anyOf ?? schema.oneOf) as Schema[] | undefined) ?? []) {
      if (!choice.$ref) notes.push(this.notes({ ...choice, description: undefined }).replace(/^<span class="c">|<\/span>$/g, ''));
    }
    const text = notes.map((n) => n.trim()).filter(Boolean).join('; ');
    const description = schema.description ? markdown(String(schema.description)).replace(/^<p>|<\/p>$/g, '') : '';
    return [description, text && `<span class="c">${text}</span>`].filter(Boolean).join(' ');
  }

  /** The fields of an object schema, nested objects inline. */
  fields(schema: Schema, depth = 0): string {
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    const required = new Set((schema.required as string[] | undefined) ?? []);
    const rows = Object.entries(properties).map(([name, property]) => {
      const inner = this.innerObject(property);
      return (
        `<li><code class="f">${escapeHtml(name)}</code>${required.has(name) ? '' : '<span class="opt">?</span>'}: ${this.type(property)}` +
        `${this.notes(property) ? ` — ${this.notes(property)}` : ''}${inner && depth < 6 ? this.fields(inner, depth + 1) : ''}</li>`
      );
    });
    const extra =
      schema.additionalProperties === false
        ? '<li class="x">no other fields</li>'
        : schema.properties && schema.additionalProperties !== undefined
          ? '<li class="x">may carry other members</li>'
          : '';
    return rows.length || extra ? `<ul class="fields">${rows.join('')}${extra}</ul>` : '';
  }

  /** An object written out inside a field (not a reference), also as the items of a list or one of a choice. */
  private innerObject(schema: Schema): Schema | undefined {
    if (schema.type === 'object' && schema.properties) return schema;
    if (schema.type === 'array' && schema.items) return this.innerObject(schema.items as Schema);
    const choices = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
    return choices?.map((c) => this.innerObject(c)).find(Boolean);
  }

  /** A schema as a block: its type line and, for an object written out, its fields. */
  block(schema: Schema | undefined): string {
    if (!schema) return '';
    const inner = this.innerObject(schema);
    if (inner && schema.type === 'object') return `${this.notes(schema) ? `<p>${this.notes(schema)}</p>` : ''}${this.fields(schema)}`;
    return `<p>${this.type(schema)}${this.notes(schema) ? ` — ${this.notes(schema)}` : ''}</p>${inner ? this.fields(inner) : ''}`;
  }

  /** Bodies by media type; `expand` writes out the fields of a referenced schema too (request bodies). */
  content(content: Record<string, { schema?: Schema }> | undefined, expand = false): string {
    if (!content) return '';
    return Object.entries(content)
      .map(([mediaType, { schema }]) => {
        const target = expand && schema?.$ref ? this.resolve(schema) : undefined;
        const fields = target?.type === 'object' && target.properties ? this.fields(target) : '';
        return `<div class="body"><span class="mt">${escapeHtml(mediaType)}</span> ${this.block(schema)}${fields}</div>`;
      })
      .join('');
  }

  parameters(parameters: Json[]): string {
    if (!parameters.length) return '';
    const rows = parameters.map((p) => {
      const param = this.resolve(p);
      const schema = param.schema as Schema | undefined;
      return (
        `<tr><td><code class="f">${escapeHtml(param.name)}</code>${param.required ? '' : '<span class="opt">?</span>'}</td><td>${escapeHtml(param.in)}</td>` +
        `<td>${this.type(schema)}</td><td>${[markdown(param.description as string | undefined).replace(/^<p>|<\/p>$/g, ''), this.notes(schema)].filter(Boolean).join(' ')}</td></tr>`
      );
    });
    return `<h4>Parameters</h4><table><thead><tr><th>name</th><th>in</th><th>type</th><th>notes</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
  }

  responses(responses: Record<string, Json>): string {
    const rows = Object.entries(responses).map(([status, r]) => {
      const response = this.resolve(r);
      const headers = Object.keys((response.headers ?? {}) as Json);
      const kind = status.startsWith('2') ? 'ok' : 'err';
      return (
        `<tr><td><span class="s ${kind}">${escapeHtml(status)}</span></td><td>${markdown(response.description as string)}` +
        `${headers.length ? `<p class="c">headers: ${headers.map((h) => `<code>${escapeHtml(h)}</code>`).join(', ')}</p>` : ''}</td>` +
        `<td>${this.content(response.content as Record<string, { schema?: Schema }> | undefined)}</td></tr>`
      );
    });
    return `<h4>Responses</h4><table class="responses"><tbody>${rows.join('')}</tbody></table>`;
  }

  operation(method: string, path: string, op: Json): string {
    const roles = op['x-roles'] as string[] | undefined;
    const access = roles
      ? `<p class="roles">Roles: ${roles.map((r) => `<span class="role">${escapeHtml(r)}</span>`).join(' ')} <span class="c">(bearer token)</span></p>`
      : '<p class="roles"><span class="role public">public</span> <span class="c">no token needed</span></p>';
    const description = String(op.description ?? '')
      .split('\n\n')
      .filter((p) => !p.startsWith('**Roles:**') && !p.startsWith('**Public:**'))
      .join('\n\n');
    const body = op.requestBody ? this.resolve(op.requestBody as Json) : undefined;
    return (
      `<article class="op" id="${anchor('op', String(op.operationId))}">` +
      `<h3><span class="m ${method}">${method.toUpperCase()}</span> <code class="path">${escapeHtml(path)}</code></h3>` +
      `<p class="summary">${escapeHtml(op.summary)}</p>${access}${markdown(description)}` +
      this.parameters((op.parameters ?? []) as Json[]) +
      (body ? `<h4>Request body${body.required ? '' : ' <span class="c">(optional)</span>'}</h4>${this.content(body.content as Record<string, { schema?: Schema }>, true)}` : '') +
      this.responses((op.responses ?? {}) as Record<string, Json>) +
      '</article>'
    );
  }

  page(): string {
    const info = (this.doc.info ?? {}) as Json;
    const paths = (this.doc.paths ?? {}) as Record<string, Record<string, Json>>;
    const tags = (this.doc.tags ?? []) as { name: string; description?: string }[];
    const operations = Object.entries(paths).flatMap(([path, item]) =>
      METHODS.filter((m) => item[m]).map((method) => ({ method, path, op: item[method] })),
    );
    const tagNames = [...tags.map((t) => t.name), ...operations.flatMap(({ op }) => (op.tags as string[]) ?? [])].filter((t, i, all) => all.indexOf(t) === i);
    const byTag = tagNames.map((name) => ({
      name,
      description: tags.find((t) => t.name === name)?.description,
      operations: operations.filter(({ op }) => ((op.tags as string[]) ?? []).includes(name)),
    }));
    const toc = byTag
      .map(
        (tag) =>
          `<li><a href="#${anchor('tag', tag.name)}">${escapeHtml(tag.name)}</a><ul>${tag.operations
            .map(({ method, path, op }) => `<li><a href="#${anchor('op', String(op.operationId))}"><span class="m ${method}">${method.toUpperCase()}</span> ${escapeHtml(path)}</a></li>`)
            .join('')}</ul></li>`,
      )
      .join('');
    const security = Object.entries((this.components.securitySchemes ?? {}) as Record<string, Json>)
      .map(([name, scheme]) => `<p><code>${escapeHtml(name)}</code>: ${escapeHtml(scheme.scheme ?? scheme.type)} ${escapeHtml(scheme.bearerFormat ?? '')}</p>${markdown(scheme.description as string)}`)
      .join('');
    const commonResponses = Object.entries(this.components.responses ?? {})
      .map(([name, r]) => `<tr><td><code>${escapeHtml(name)}</code></td><td>${markdown(r.description as string)}</td></tr>`)
      .join('');
    const schemas = Object.entries((this.components.schemas ?? {}) as Record<string, Schema>)
      .map(([name, schema]) => `<article class="schema" id="${anchor('schema', name)}"><h3>${escapeHtml(name)}</h3>${this.block(schema)}</article>`)
      .join('');
    const title = `${String(info.title ?? 'API')} API reference`;
    return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<nav class="toc"><p class="brand">${escapeHtml(info.title ?? '')} <span class="c">${escapeHtml(info.version ?? '')}</span></p><ul><li><a href="#overview">Overview</a></li><li><a href="#authentication">Authentication</a></li><li><a href="#errors">Errors</a></li>${toc}<li><a href="#schemas">Schemas</a></li></ul></nav>
<main>
<header id="overview"><h1>${escapeHtml(title)}</h1><p class="c">Version ${escapeHtml(info.version ?? '')} · OpenAPI ${escapeHtml(this.doc.openapi ?? '')} · machine-readable: <a href="openapi.json">openapi.json</a></p>
${info.summary ? `<p class="summary">${escapeHtml(info.summary)}</p>` : ''}${markdown(info.description as string | undefined)}</header>
<section id="authentication"><h2>Authentication</h2>${security}</section>
<section id="errors"><h2>Errors</h2><p>Every error is <code>application/problem+json</code>:</p>${this.block(this.components.schemas?.Problem as Schema | undefined)}
<table><tbody>${commonResponses}</tbody></table></section>
${byTag
  .map(
    (tag) =>
      `<section class="tag" id="${anchor('tag', tag.name)}"><h2>${escapeHtml(tag.name)}</h2>${markdown(tag.description)}${tag.operations
        .map(({ method, path, op }) => this.operation(method, path, op))
        .join('')}</section>`,
  )
  .join('\n')}
<section id="schemas"><h2>Schemas</h2>${schemas}</section>
</main>
</body>
</html>
`;
  }
}

/** The HTML reference of an OpenAPI 3.1 document. */
export function renderDocsPage(document: Json): string {
  return new Renderer(document).page();
}

const STYLE = `
:root{--fg:#1d2330;--muted:#5b6475;--line:#dde2ea;--bg:#fff;--soft:#f5f7fa;--accent:#2456c9}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg);display:flex}
code{font:13px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:var(--soft);padding:0 3px;border-radius:3px}
a{color:var(--accent);text-decoration:none}a:hover{text-decoration:underline}
nav.toc{position:sticky;top:0;height:100vh;overflow:auto;width:300px;flex:none;padding:16px;border-right:1px solid var(--line);background:var(--soft);font-size:13px}
nav.toc ul{list-style:none;margin:0;padding:0 0 0 8px}nav.toc li{margin:2px 0}nav.toc>ul{padding:0}
nav.toc .brand{font-weight:700;font-size:15px;margin:0 0 12px}
main{flex:1;min-width:0;padding:24px 40px;max-width:1100px}
h1{margin:0 0 4px}h2{border-bottom:2px solid var(--line);padding-bottom:4px;margin-top:48px}
h3{margin:0 0 4px;font-size:17px}h4{margin:16px 0 6px;font-size:14px;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}
.c{color:var(--muted);font-size:13px}.summary{font-weight:600;margin:4px 0}
.op,.schema{border:1px solid var(--line);border-radius:8px;padding:16px 20px;margin:20px 0}
.schema{padding:12px 20px}
.m{display:inline-block;min-width:58px;text-align:center;border-radius:4px;color:#fff;font:700 12px/20px ui-monospace,monospace;padding:0 6px}
nav .m{min-width:46px;font-size:10px;line-height:16px}
.m.get{background:#2f7d32}.m.post{background:#1f5fbf}.m.put{background:#8a5a00}.m.patch{background:#6c3fb5}.m.delete{background:#b3261e}
.path{font-size:15px;background:none}
.role{display:inline-block;background:#e8eefb;color:#173c8a;border-radius:10px;padding:0 8px;font-size:12px;margin-right:4px}.role.public{background:#e6f4e7;color:#1e5b22}
table{border-collapse:collapse;width:100%;font-size:14px}th,td{border-top:1px solid var(--line);padding:6px 8px;text-align:left;vertical-align:top}th{color:var(--muted);font-weight:600}
.s{display:inline-block;font:700 13px ui-monospace,monospace;border-radius:4px;padding:0 6px}.s.ok{background:#e6f4e7;color:#1e5b22}.s.err{background:#fdecea;color:#8c1d18}
.responses td:first-child{width:60px}.responses td:nth-child(2){width:35%}
.responses td p,.body p{margin:0 0 4px}
.mt{font:12px ui-monospace,monospace;color:var(--muted)}
ul.fields{list-style:none;margin:4px 0;padding-left:14px;border-left:2px solid var(--line);font-size:14px}ul.fields li{margin:2px 0}
.f{background:none;font-weight:600;padding:0}.opt{color:var(--muted);font-weight:700}.t{font-style:italic;color:#6a4c00}.x{color:var(--muted);font-size:12px;font-style:italic}
@media (max-width:800px){body{display:block}nav.toc{position:static;width:auto;height:auto}main{padding:16px}}
`;
