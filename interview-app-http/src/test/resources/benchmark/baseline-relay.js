// The baseline of the relay benchmark: the simplest hand-written SDP relay, shaped like OpenAI's own sample servers.
// The browser POSTs its SDP offer; the server forwards it as multipart (part "sdp" and part "session") to OpenAI's
// GA calls endpoint with the server's key and returns the answer. No npm packages: Node's http, fetch and FormData.
// Written for the comparison only (docs/performance.md): no auth, no transcript, no persistence.
//   OPENAI_BASE_URL=http://127.0.0.1:9999 OPENAI_API_KEY=sk-... PORT=0 node baseline-relay.js
'use strict';
const http = require('node:http');

const base = process.env.OPENAI_BASE_URL || 'https://api.openai.com';
const key = process.env.OPENAI_API_KEY;
const session = JSON.stringify({
  type: 'realtime',
  model: 'gpt-realtime',
  instructions: 'You are a friendly interviewer.',
  audio: { output: { voice: 'alloy' } },
});

async function relay(offer) {
  const form = new FormData();
  form.set('sdp', new Blob([offer], { type: 'application/sdp' }));
  form.set('session', new Blob([session], { type: 'application/json' }));
  const response = await fetch(`${base}/v1/realtime/calls`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${key}` },
    body: form,
  });
  return { status: response.status, body: await response.text() };
}

const server = http.createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/session') {
    res.writeHead(404).end();
    return;
  }
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', async () => {
    try {
      const answer = await relay(Buffer.concat(chunks).toString('utf8'));
      if (answer.status !== 201 && answer.status !== 200) {
        res.writeHead(502, { 'Content-Type': 'application/json' }).end(answer.body);
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/sdp' }).end(answer.body);
    } catch (error) {
      res.writeHead(502, { 'Content-Type': 'text/plain' }).end(String(error));
    }
  });
});

// Idle keep-alive connections are kept for two minutes (Node's default closes them after 5 s, which raced the
// benchmark's clients reusing them between measures).
server.keepAliveTimeout = 120000;
server.headersTimeout = 121000;

server.listen(Number(process.env.PORT || 0), '127.0.0.1', () => {
  console.log(`BASELINE_LISTENING port=${server.address().port}`);
});
