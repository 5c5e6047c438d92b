/** Options of {@link offlineFallbackHtml}. */
export interface OfflineFallbackOptions {
  /** The GraphQL URL as the server bound it, e.g. `http://127.0.0.1:4000/graphql`. */
  readonly url: string;
  /** The dev token the page carries (dev mode), or none. */
  readonly token: string | undefined;
  /** The query the form opens with. */
  readonly query: string;
  /** The page's CSP nonce: its `script-src` allows only nonced inline scripts. */
  readonly nonce: string;
}

/**
 * A plain query page for when Apollo Sandbox cannot load (offline: its code comes from a CDN):
 * a ready `curl` and a form that posts the query to `/graphql` as JSON with the dev token. It
 * stays hidden while Sandbox loads, and needs no network beyond the API itself.
 */
export function offlineFallbackHtml({ url, token, query, nonce }: OfflineFallbackOptions): string {
  const auth = token ? ` -H "authorization: Bearer ${token}"` : '';
  const curl = `curl -s ${url} -H 'content-type: application/json'${auth} \\\n  -d '{"query":"{ viewer { subject scopes roles } }"}'`;
  return `
<style nonce="${nonce}">
  body.gatepass-offline { overflow-y: auto; }
  body.gatepass-offline .fallback, body.gatepass-offline #embeddableSandbox { display: none; }
  #gatepass-offline { font-family: sans-serif; padding: 1em; }
  #gatepass-offline pre, #gatepass-offline textarea { font-family: monospace; white-space: pre-wrap; word-break: break-all; }
  #gatepass-offline textarea { width: 100%; height: 10em; }
</style>
<section id="gatepass-offline" hidden>
  <h1>gatepass</h1>
  <p>Apollo Sandbox cannot be loaded (it comes from a CDN, and this browser seems offline). Query the API here instead${token ? ', with the dev token' : ''}.</p>
  <h2>curl</h2>
  <pre id="gatepass-curl">${escapeHtml(curl)}</pre>
  <h2>Query</h2>
  <form id="gatepass-form">
    <textarea name="query" spellcheck="false">${escapeHtml(query)}</textarea>
    <p><button type="submit">Run</button></p>
  </form>
  <pre id="gatepass-result"></pre>
</section>
<script nonce="${nonce}">
  (function () {
    var headers = ${JSON.stringify({ 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) })};
    function offline() {
      document.body.classList.add('gatepass-offline');
      document.getElementById('gatepass-offline').hidden = false;
    }
    // Sandbox defines window.EmbeddedSandbox once its CDN script has loaded.
    window.addEventListener('load', function () { if (!window.EmbeddedSandbox) offline(); });
    document.getElementById('gatepass-form').addEventListener('submit', function (event) {
      event.preventDefault();
      var query = event.target.elements.query.value;
      var out = document.getElementById('gatepass-result');
      fetch(${JSON.stringify(url)}, { method: 'POST', headers: headers, body: JSON.stringify({ query: query }) })
        .then(function (res) {
          return res.text().then(function (text) {
            var pretty = text;
            try { pretty = JSON.stringify(JSON.parse(text), null, 2); } catch (error) { /* not JSON: as it came */ }
            out.textContent = res.status + '\\n' + pretty;
          });
        })
        .catch(function (error) { out.textContent = String(error); });
    });
  })();
</script>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
