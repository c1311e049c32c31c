/*
 * One small HTTP helper for both pages: JSON in, JSON out, and every failure turned into an ApiError that carries
 * the RFC 9457 problem's stable code (docs/openapi.yaml). Callers decide what a person is told; no page shows a
 * raw code or an operator's detail to a candidate.
 */
export class ApiError extends Error {
  constructor(status, code, detail, requestId) {
    super(detail || code || ('HTTP ' + status));
    this.status = status;
    this.code = code || (status === 0 ? 'network.unreachable' : 'http.' + status);
    this.requestId = requestId || null;
  }
}

export async function api(method, path, { body, token, signal } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = 'Bearer ' + token;
  let reply;
  try {
    reply = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      signal, cache: 'no-store', credentials: 'omit' });
  } catch (e) {
    throw new ApiError(0, 'network.unreachable', e.message);
  }
  const text = await reply.text();
  let parsed = null;
  try { parsed = text ? JSON.parse(text) : null; } catch (e) { parsed = null; }
  if (!reply.ok) {
    throw new ApiError(reply.status, parsed && parsed.code, parsed && (parsed.detail || parsed.title),
      (parsed && parsed.request_id) || reply.headers.get('X-Request-Id'));
  }
  return parsed;
}

/** Shortcut for document.getElementById. */
export const $ = (id) => document.getElementById(id);

/** Creates an element with text content and attributes (never innerHTML: every value is text). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** Shows exactly one of the given sections (by id) and hides the rest. */
export function showOnly(ids, visible) {
  ids.forEach(id => { $(id).hidden = id !== visible; });
}
