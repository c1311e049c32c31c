// The control plane and OpenAI as far as a runner at rest needs them (runner-start-ab.sh), on loopback: the
// assignment (GET /internal/runner/assignment), OpenAI's API root without a key (404, the relay warm-up's probe), and
// a transcript acknowledgement for anything else.   node runner-fakes.js <port>
const http = require('http');
const assignment = JSON.stringify({status: 'ready', stored_entries: 0, deadline: null, realtime: {
  instructions: 'Be brief.', voice: 'marin', model: 'gpt-realtime', transcription_model: 'gpt-4o-transcribe',
  transcription_language: 'en', max_duration_seconds: 1800, safety_identifier: 'bench'}});
const s = http.createServer((req, res) => {
  let body = []; req.on('data', c => body.push(c)); req.on('end', () => {
    if (req.url.startsWith('/internal/runner/assignment')) { res.writeHead(200, {'content-type': 'application/json'}); res.end(assignment); return; }
    if (req.url.startsWith('/v1')) { res.writeHead(404, {'content-type': 'application/json'}); res.end('{"error":{"message":"no","type":"invalid_request_error"}}'); return; }
    res.writeHead(200, {'content-type': 'application/json'}); res.end('{"stored":[],"duplicates":[]}');
  });
});
s.listen(+process.argv[2], '127.0.0.1');
