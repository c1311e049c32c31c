/*
 * The admin console (/ and /admin): sign in (a pasted local token in the embedded default; a Supabase Auth magic
 * link when SUPABASE_URL is set), then positions, candidates, invites, interviews (filters, paging, start one in
 * this browser, cancel) and an interview's report (transcript, evaluation with evidence highlighted, recording,
 * retry, human overrides). Every call goes to the documented HTTP API (docs/openapi.yaml) with the staff token.
 */
import { api, $, el, showOnly } from '/assets/api.js';

const VIEWS = ['view-signin', 'view-sessions', 'view-positions', 'view-candidates', 'view-invites', 'view-notice',
  'view-report'];
const PAGE = 20;
const TOKEN_KEY = 'ii.staff-token';
const state = window.consoleState = { offset: 0, total: 0, positions: [], candidates: [] };

const token = () => sessionStorage.getItem(TOKEN_KEY);
const call = (method, path, body) => api(method, path, { token: token(), body });
const names = (items) => new Map(items.map(i => [i.id, i]));
const when = (iso) => iso ? new Date(iso).toLocaleString() : '';

function flash(text) { $('flash').textContent = text; $('failure').textContent = ''; }
function failure(e) {
  $('failure').textContent = (e.message || 'Something went wrong') + (e.code ? ' (' + e.code + ')' : '')
    + (e.requestId ? ' - request ' + e.requestId : '');
  if (e.status === 401) signOut();
}
const guard = (work) => (event) => {
  if (event && event.preventDefault) event.preventDefault();
  return Promise.resolve().then(() => work(event)).catch(failure);
};

// ---- sign-in ---------------------------------------------------------------------------------------------------

async function signIn(candidate) {
  await api('GET', '/api/positions', { token: candidate }); // proves the token works before keeping it
  sessionStorage.setItem(TOKEN_KEY, candidate);
  $('token').value = '';
  $('failure').textContent = '';
  $('nav').hidden = false;
  $('sign-out').hidden = false;
  await refreshCatalog();
  route();
}

function signOut() {
  sessionStorage.removeItem(TOKEN_KEY);
  $('nav').hidden = true;
  $('sign-out').hidden = true;
  showOnly(VIEWS, 'view-signin');
}

async function setUpSignIn() {
  const config = await api('GET', '/api/console/config');
  state.config = config;
  if (config.auth === 'supabase' && config.supabase_url && config.supabase_anon_key) {
    $('magic-form').hidden = false;
    $('token-help').textContent = 'Or paste a Supabase access token.';
  }
  if (config.auth === 'supabase' && config.supabase_url && config.supabase_anon_key
      && (config.oauth_providers || []).length) {
    $('oauth-buttons').replaceChildren(...config.oauth_providers.map(provider => el('button', { type: 'button',
      class: 'oauth', text: 'Sign in with ' + providerName(provider), onclick: guard(() => startOAuth(provider)) })));
    $('oauth-buttons').hidden = false;
  }
  if (await takeOAuthCode()) return true;
  return takeFragmentToken();
}

const PKCE_KEY = 'ii.pkce-verifier';

function providerName(provider) {
  const known = { github: 'GitHub', gitlab: 'GitLab', google: 'Google', azure: 'Microsoft', linkedin_oidc: 'LinkedIn' };
  return known[provider] || provider.charAt(0).toUpperCase() + provider.slice(1);
}

function base64url(bytes) {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * OAuth through the project's Auth with PKCE (what supabase-js's signInWithOAuth does with flowType 'pkce'): a
 * random verifier stays in this tab; Auth gets only its SHA-256 and sends the browser to the provider, then back here
 * with ?code=..., which only this tab's verifier can exchange.
 */
async function startOAuth(provider) {
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const challenge = base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
  sessionStorage.setItem(PKCE_KEY, verifier);
  const url = state.config.supabase_url.replace(/\/$/, '') + '/auth/v1/authorize?provider='
    + encodeURIComponent(provider) + '&redirect_to=' + encodeURIComponent(location.origin + '/admin')
    + '&code_challenge=' + challenge + '&code_challenge_method=s256';
  location.assign(url);
}

/** Back from the provider: exchange the code with this tab's verifier at /auth/v1/token?grant_type=pkce. */
async function takeOAuthCode() {
  const query = new URLSearchParams(location.search);
  const code = query.get('code');
  const failed = query.get('error_description') || query.get('error');
  if (!code && !failed) return false;
  history.replaceState(null, '', location.pathname + location.hash); // the code leaves the address bar
  const verifier = sessionStorage.getItem(PKCE_KEY);
  sessionStorage.removeItem(PKCE_KEY);
  if (failed) throw new Error('The sign-in was not completed: ' + failed);
  if (!verifier) throw new Error('This sign-in was not started in this tab. Please sign in again.');
  const { supabase_url: url, supabase_anon_key: key } = state.config;
  const reply = await fetch(url.replace(/\/$/, '') + '/auth/v1/token?grant_type=pkce', {
    method: 'POST', headers: { apikey: key, 'Content-Type': 'application/json' },
    body: JSON.stringify({ auth_code: code, code_verifier: verifier }) });
  const body = await reply.json().catch(() => ({}));
  if (!reply.ok || !body.access_token) {
    throw new Error('The sign-in could not be completed (' + reply.status + '). Please sign in again.');
  }
  await signIn(body.access_token);
  return true;
}

/** Supabase Auth's magic link comes back with the session in the fragment (#access_token=...). */
async function takeFragmentToken() {
  const fragment = new URLSearchParams(location.hash.slice(1));
  const accessToken = fragment.get('access_token');
  if (!accessToken) return false;
  history.replaceState(null, '', location.pathname); // the token leaves the address bar and the history
  await signIn(accessToken);
  return true;
}

$('token-form').addEventListener('submit', guard(() => signIn($('token').value.trim())));
$('magic-form').addEventListener('submit', guard(async () => {
  const { supabase_url: url, supabase_anon_key: key } = state.config;
  const redirect = location.origin + '/admin';
  const reply = await fetch(url.replace(/\/$/, '') + '/auth/v1/otp?redirect_to=' + encodeURIComponent(redirect), {
    method: 'POST', headers: { apikey: key, 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: $('magic-email').value.trim(), create_user: false, data: {} }) });
  if (!reply.ok) throw new Error('The sign-in link could not be sent (' + reply.status + ')');
  flash('Check your email for the sign-in link.');
}));
$('sign-out').addEventListener('click', signOut);

// ---- navigation ------------------------------------------------------------------------------------------------

function route() {
  if (!token()) { signOut(); return; }
  const [view, id] = (location.hash.slice(1) || 'sessions').split('/');
  document.querySelectorAll('#nav a').forEach(a => {
    if (a.dataset.view === view) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  });
  const show = { sessions: loadSessions, positions: loadPositions, candidates: loadCandidates, invites: loadInvites,
    notice: loadNotice, report: () => loadReport(id) }[view] || loadSessions;
  showOnly(VIEWS, 'view-' + (view in { sessions: 1, positions: 1, candidates: 1, invites: 1, notice: 1, report: 1 }
    ? view : 'sessions'));
  guard(show)();
}
window.addEventListener('hashchange', () => {
  if (location.hash.includes('access_token=')) guard(takeFragmentToken)();
  else route();
});

async function refreshCatalog() {
  state.positions = (await call('GET', '/api/positions')).items;
  state.candidates = (await call('GET', '/api/candidates')).items;
  const options = (select, items, label, any) => {
    const previous = select.value;
    select.replaceChildren(...(any ? [el('option', { value: '', text: any })] : []),
      ...items.map(i => el('option', { value: i.id, text: label(i) })));
    if ([...select.options].some(o => o.value === previous)) select.value = previous;
  };
  options($('start-candidate'), state.candidates, c => c.name);
  options($('invite-candidate'), state.candidates, c => c.name);
  options($('start-position'), state.positions, p => p.title);
  options($('invite-position'), state.positions, p => p.title);
  options($('filter-position'), state.positions, p => p.title, 'Any');
}

// ---- interviews ------------------------------------------------------------------------------------------------

async function loadSessions() {
  await refreshCatalog();
  const query = new URLSearchParams({ limit: PAGE, offset: state.offset });
  if ($('filter-status').value) query.set('status', $('filter-status').value);
  if ($('filter-position').value) query.set('position_id', $('filter-position').value);
  if ($('filter-from').value) query.set('from', $('filter-from').value);
  if ($('filter-to').value) query.set('to', $('filter-to').value);
  const page = await call('GET', '/api/sessions?' + query);
  state.total = page.total;
  const candidates = names(state.candidates);
  const positions = names(state.positions);
  $('sessions-rows').replaceChildren(...page.items.map(s => el('tr', { dataset: { session: s.id } },
    el('td', { text: (candidates.get(s.candidate_id) || {}).name || 'Unknown candidate' }),
    el('td', { text: (positions.get(s.position_id) || {}).title || 'Unknown position' }),
    el('td', { text: s.status }),
    el('td', { text: when(s.created_at) }),
    el('td', {}, el('a', { href: '#report/' + s.id, text: 'Report' }), ' ',
      ['provisioning', 'ready', 'active', 'ending', 'created'].includes(s.status)
        ? el('button', { type: 'button', class: 'secondary', text: 'Cancel',
          'aria-label': 'Cancel the interview of ' + ((candidates.get(s.candidate_id) || {}).name || ''),
          onclick: guard(async () => {
            if (!confirm('Cancel this interview? Its runner and video are removed.')) return;
            await call('POST', '/api/sessions/' + s.id + '/cancel');
            flash('Interview cancelled.');
            await loadSessions();
          }) }) : null))));
  if (!page.items.length) {
    $('sessions-rows').replaceChildren(el('tr', {}, el('td', { colspan: 5, text: 'No interviews match.' })));
  }
  $('page-info').textContent = page.total === 0 ? '' : (state.offset + 1) + '–'
    + (state.offset + page.items.length) + ' of ' + page.total;
  $('page-prev').disabled = state.offset === 0;
  $('page-next').disabled = state.offset + PAGE >= page.total;
}

$('filter-form').addEventListener('submit', guard(() => { state.offset = 0; return loadSessions(); }));
$('page-prev').addEventListener('click', guard(() => { state.offset = Math.max(0, state.offset - PAGE); return loadSessions(); }));
$('page-next').addEventListener('click', guard(() => { state.offset += PAGE; return loadSessions(); }));
$('start-form').addEventListener('submit', guard(async () => {
  const started = await call('POST', '/api/sessions', { candidate_id: $('start-candidate').value,
    position_id: $('start-position').value, settings: { architecture: $('start-architecture').value },
    recording_grant: 'after_ready' }); // the room asks for the recording's grant once it has joined (ADR 0028)
  // The room reads the session from this tab's storage: the candidate token never appears in a URL.
  sessionStorage.setItem('ii.room', JSON.stringify(started));
  location.assign('/room');
}));

// ---- positions and candidates ----------------------------------------------------------------------------------

function competencyRow(name = '', weight = 1) {
  const index = $('competencies').children.length + 1;
  return el('div', { class: 'grid competency' },
    el('div', { class: 'field' }, el('label', { for: 'competency-name-' + index, text: 'Competency ' + index }),
      el('input', { type: 'text', id: 'competency-name-' + index, class: 'competency-name', value: name,
        maxlength: 100 })),
    el('div', { class: 'field' }, el('label', { for: 'competency-weight-' + index, text: 'Weight' }),
      el('input', { type: 'number', id: 'competency-weight-' + index, class: 'competency-weight', min: 1, max: 10,
        value: weight })));
}

async function loadPositions() {
  if (!$('competencies').children.length) $('competencies').append(competencyRow());
  await refreshCatalog();
  $('positions-list').replaceChildren(...state.positions.map(p => el('li', {},
    el('strong', { text: p.title }), ' — ',
    p.competencies.map(c => c.name + ' (weight ' + c.weight + ')').join(', '))));
}
$('add-competency').addEventListener('click', () => $('competencies').append(competencyRow()));
$('position-form').addEventListener('submit', guard(async () => {
  const competencies = [...document.querySelectorAll('#competencies .competency')].map(row => ({
    name: row.querySelector('.competency-name').value.trim(),
    weight: Number(row.querySelector('.competency-weight').value || 1) })).filter(c => c.name);
  await call('POST', '/api/positions', { title: $('position-title').value.trim(),
    description: $('position-description').value.trim(), competencies });
  $('position-form').reset();
  $('competencies').replaceChildren(competencyRow());
  flash('Position created.');
  await loadPositions();
}));

async function loadCandidates() {
  await refreshCatalog();
  $('candidates-list').replaceChildren(...state.candidates.map(c => el('li', { text: c.name
    + (c.email ? ' <' + c.email + '>' : '') })));
}
$('candidate-form').addEventListener('submit', guard(async () => {
  await call('POST', '/api/candidates', { name: $('candidate-name').value.trim(),
    email: $('candidate-email').value.trim() || undefined });
  $('candidate-form').reset();
  flash('Candidate added.');
  await loadCandidates();
}));

// ---- invites ---------------------------------------------------------------------------------------------------

async function loadInvites() {
  await refreshCatalog();
  const invites = (await call('GET', '/api/invites')).items;
  const candidates = names(state.candidates);
  const positions = names(state.positions);
  $('invites-rows').replaceChildren(...invites.map(i => el('tr', { dataset: { invite: i.id } },
    el('td', { text: (candidates.get(i.candidate_id) || {}).name || '' }),
    el('td', { text: (positions.get(i.position_id) || {}).title || '' }),
    el('td', { class: 'invite-status', text: i.status }),
    el('td', { text: when(i.expires_at) }),
    el('td', {}, i.session_id ? el('a', { href: '#report/' + i.session_id, text: 'Report' }) : null,
      i.status === 'pending' ? el('button', { type: 'button', class: 'secondary', text: 'Revoke',
        'aria-label': 'Revoke the invite of ' + ((candidates.get(i.candidate_id) || {}).name || ''),
        onclick: guard(async () => {
          await call('POST', '/api/invites/' + i.id + '/revoke');
          flash('Invite revoked.');
          await loadInvites();
        }) }) : null))));
}
$('invite-form').addEventListener('submit', guard(async () => {
  const invite = await call('POST', '/api/invites', { candidate_id: $('invite-candidate').value,
    position_id: $('invite-position').value, valid_for_hours: Number($('invite-hours').value || 168),
    settings: { architecture: $('invite-architecture').value } });
  $('invite-link').value = invite.url;
  $('invite-created').hidden = false;
  flash('Invite created. Copy the link now: it is not shown again.');
  await loadInvites();
}));
$('copy-link').addEventListener('click', guard(async () => {
  $('invite-link').select();
  try { await navigator.clipboard.writeText($('invite-link').value); } catch (e) { document.execCommand('copy'); }
  flash('Link copied.');
}));

// ---- notice ----------------------------------------------------------------------------------------------------

async function loadNotice() {
  const notice = await call('GET', '/api/consent-notice');
  $('notice-ai').value = notice.ai_notice;
  $('notice-recording').value = notice.recording_notice;
}
$('notice-form').addEventListener('submit', guard(async () => {
  await call('PUT', '/api/consent-notice', { ai_notice: $('notice-ai').value,
    recording_notice: $('notice-recording').value });
  flash('Notice saved. Candidates see it from now on.');
}));

// ---- report ----------------------------------------------------------------------------------------------------

async function loadReport(id) {
  const report = await call('GET', '/api/sessions/' + encodeURIComponent(id) + '/report');
  if (report.evaluation && report.evaluation.status === 'succeeded') {
    report.overrides = (await call('GET', '/api/sessions/' + encodeURIComponent(id) + '/evaluation/overrides')).items;
  }
  state.report = report;
  const session = report.session;
  $('report-title').textContent = report.candidate.name + ' — ' + report.position.title;
  $('report-summary').textContent = 'Status: ' + session.status + (session.end_reason ? ' (' + session.end_reason
    + ')' : '') + '. Started ' + when(session.created_at) + '. Reference ' + session.id + '.';
  const started = Date.parse(session.connected_at || session.created_at);
  $('transcript').replaceChildren(...report.transcript.map(entry => {
    const seconds = Math.max(0, Math.round((Date.parse(entry.spoken_at) - started) / 1000));
    const stamp = Math.floor(seconds / 60) + ':' + String(seconds % 60).padStart(2, '0');
    return el('li', { id: 'entry-' + entry.key, tabindex: -1, dataset: { key: entry.key, seconds } },
      el('button', { type: 'button', class: 'quote small seek', text: stamp,
        'aria-label': 'Play the recording from ' + stamp, onclick: () => seek(seconds) }), ' ',
      el('span', { class: 'who', text: entry.speaker === 'ai' ? 'Interviewer' : 'Candidate' }),
      el('span', { class: 'text', text: entry.text }),
      entry.source === 'client' ? el('span', { class: 'badge', text: 'unverified',
        title: 'Only the browser reported this line; the server-side capture did not confirm it' }) : null,
      entry.status && entry.status !== 'complete' ? el('span', { class: 'badge', text: entry.status }) : null);
  }));
  if (!report.transcript.length) $('transcript').append(el('li', { text: 'No transcript was recorded.' }));
  renderEvaluation(report);
  renderRecording(report);
}

function renderEvaluation(report) {
  const evaluation = report.evaluation;
  const box = $('evaluation');
  const actions = $('report-actions');
  actions.replaceChildren();
  if (!evaluation) {
    box.replaceChildren(el('p', { text: 'Not evaluated yet.' }));
    return;
  }
  if (evaluation.status === 'failed') {
    box.replaceChildren(el('p', { class: 'error', text: 'The evaluation failed: ' + (evaluation.failure_reason || '') }));
    actions.append(el('button', { type: 'button', id: 'retry-evaluation', text: 'Retry the evaluation',
      onclick: guard(async () => {
        await call('POST', '/api/sessions/' + report.session.id + '/evaluation/retry');
        flash('Evaluation retried.');
        await loadReport(report.session.id);
      }) }));
    return;
  }
  const overrides = new Map((report.overrides || []).map(o => [o.competency, o])); // the newest wins
  box.replaceChildren(
    el('p', {}, el('strong', { text: 'Recommendation: ' }), (evaluation.recommendation || '').replace(/_/g, ' ')),
    el('p', { text: evaluation.summary || '' }),
    ...evaluation.scores.map((score, index) => {
      const override = overrides.get(score.competency);
      return el('article', { class: 'score', dataset: { competency: score.competency } },
        el('h3', { text: score.competency }),
        el('p', {}, 'Model score: ', el('strong', { class: 'model-score', text: score.score + ' / 5' }),
          override ? el('span', { class: 'override' }, ' — reviewer score: ', el('strong', { text: override.score
            + ' / 5' }), ' (' + override.reason + ', ' + override.actor + ')') : null),
        el('p', { text: score.rationale }),
        el('ul', {}, ...(score.evidence || []).map(e => el('li', {}, el('button', { type: 'button', class: 'quote',
          text: '“' + e.quote + '”', onclick: () => highlight(e.entry) })))),
        el('details', {}, el('summary', { text: 'Override this score' }),
          el('form', { class: 'grid override-form', onsubmit: guard(async (event) => {
            const form = event.target;
            await call('POST', '/api/sessions/' + report.session.id + '/evaluation/overrides', {
              competency: score.competency, score: Number(form.querySelector('select').value),
              reason: form.querySelector('input').value });
            flash('Override saved beside the model\'s score.');
            await loadReport(report.session.id);
          }) },
          el('div', { class: 'field' }, el('label', { for: 'override-score-' + index, text: 'Score' }),
            el('select', { id: 'override-score-' + index }, ...[1, 2, 3, 4, 5].map(n => el('option', { value: n,
              text: String(n) })))),
          el('div', { class: 'field' }, el('label', { for: 'override-reason-' + index, text: 'Reason' }),
            el('input', { type: 'text', id: 'override-reason-' + index, required: true, maxlength: 1000 })),
          el('button', { type: 'submit', text: 'Save override' }))));
    }));
}

/** A quote's line: scrolled to, highlighted, focused (and the recording sought to it). */
function highlight(key) {
  document.querySelectorAll('#transcript li.highlight').forEach(li => li.classList.remove('highlight'));
  const line = document.getElementById('entry-' + key);
  if (!line) return;
  line.classList.add('highlight');
  line.scrollIntoView({ block: 'center' });
  line.focus();
  const video = document.querySelector('#recording-player video');
  if (video) video.currentTime = Number(line.dataset.seconds || 0);
}

function renderRecording(report) {
  const player = $('recording-player');
  const assets = report.recording && report.recording.assets;
  const source = assets && (assets.mp4 || assets.hls);
  player.replaceChildren(report.recording ? el('h2', { text: 'Recording' }) : '',
    source ? el('video', { controls: true, src: source, preload: 'metadata', width: 480 })
      : report.recording ? el('p', { text: 'The recording is ' + (report.recording.phase || 'not available')
        + '.' }) : '',
    callAudio(report.session && report.session.call_audio));
  document.querySelectorAll('#transcript .seek').forEach(b => { b.disabled = !source; });
}

/** A proxied call's own audio, recorded by its runner (ADR 0021): where it is, or why it is not there. */
function callAudio(audio) {
  if (!audio) return '';
  const state = audio.uploaded_at ? 'stored ' + new Date(audio.uploaded_at).toLocaleString()
    : audio.failure ? 'not stored (' + audio.failure + ')' : 'being uploaded by the runner';
  return el('p', { class: 'call-audio', text: 'Server-side call audio (both sides, as the interviewer heard them and'
    + ' as the candidate heard them): ' + state + ', api.video video ' + audio.video_id + '.' });
}

/** Click-to-seek from a transcript line's time. */
function seek(seconds) {
  const video = document.querySelector('#recording-player video');
  if (!video) return;
  video.currentTime = Number(seconds || 0);
  video.play().catch(() => {});
}

// ---- start -----------------------------------------------------------------------------------------------------

(async () => {
  try {
    if (await setUpSignIn()) return;
    if (token()) {
      $('nav').hidden = false;
      $('sign-out').hidden = false;
      await refreshCatalog();
      route();
    } else {
      signOut();
    }
  } catch (e) {
    failure(e);
    signOut();
  }
})();
