/*
 * The interview room: one page for both flows. An invite link (/interview/<token>) and a session staff started
 * (/room, with the session handed over by the console in sessionStorage) go through the same steps:
 *
 *   lobby (who, what, how long, the notice) -> consent -> microphone check (and camera preview when the interview
 *   is recorded) -> Start -> the call -> thank you.
 *
 * Opening the page reads the lobby only (POST /api/invites/lobby, GET /api/sessions/{id}/lobby): nothing starts
 * and nothing is used up until Start, which sends the consent with the one consuming call (redeem) or, in the
 * staff flow, records it (POST /api/sessions/{id}/consent) before the room joins. During the call the page joins
 * the session's runner over WebSocket (docs/protocol.md, unchanged), negotiates the WebRTC call through the runner's
 * SDP relay, shows live captions from the oai-events data channel, forwards what it sees (deduplicated by OpenAI's
 * item ids; anything not acknowledged is sent again after a reconnect), counts down to the runner's deadline and
 * shows the peer connection's real state. Every failure is told in the candidate's words (messages.js).
 */
import { api, ApiError, $, el, showOnly } from '/assets/api.js';
import { candidateMessage } from '/assets/messages.js';
import { VideoRecorder } from '/assets/recorder.js';

const SECTIONS = ['loading', 'lobby', 'call', 'done', 'problem'];
const MAX_RENEGOTIATIONS = 3;

const state = window.interview = {
  phase: 'loading', status: 'starting', answerApplied: false, durable: new Set(), pending: new Map(),
  errors: [], shown: [], items: new Map(), captions: new Map(), reconnects: 0, socketOpen: false, ended: false,
  micChecked: false, micPeak: 0, connection: 'new', renegotiations: 0, offerSent: false,
};

let mode;          // 'invite' or 'staff'
let inviteToken;   // invite flow
let room;          // staff flow: what POST /api/sessions returned, handed over by the console
let lobby;
let media;         // microphone (and camera when recorded)
let pc;
let socket;
let websocketUrl;
let reconnectTimer;
let countdownTimer;
let recorder;
let audioContext;

function phase(name) {
  state.phase = name;
  showOnly(SECTIONS, name);
  $('main').focus({ preventScroll: true });
}

/** A full-page problem in the candidate's words; the reference lets support find the session. */
function problem(code, reference, retry) {
  const [title, advice] = candidateMessage(code);
  state.shown.push(code);
  $('problem-title').textContent = title;
  $('problem-text').textContent = advice;
  $('problem-reference-line').hidden = !reference;
  $('problem-reference').textContent = reference || '';
  $('retry').hidden = !retry;
  $('retry').onclick = retry || null;
  document.title = title;
  state.stopped = true; // nothing reconnects or renegotiates behind a problem page
  stopEverything();
  phase('problem');
}

function candidateToken() {
  return room ? new URL(room.websocket_url).searchParams.get('token') : null;
}

// ---- lobby -----------------------------------------------------------------------------------------------------

async function loadLobby() {
  if (location.pathname.startsWith('/interview/')) {
    mode = 'invite';
    inviteToken = decodeURIComponent(location.pathname.slice('/interview/'.length));
    lobby = await api('POST', '/api/invites/lobby', { body: { token: inviteToken } });
  } else {
    mode = 'staff';
    try { room = JSON.parse(sessionStorage.getItem('ii.room') || 'null'); } catch (e) { room = null; }
    if (!room || !room.session_id || !room.websocket_url) {
      throw new ApiError(404, 'invite.invalid_token', 'no session handed over');
    }
    lobby = await api('GET', '/api/sessions/' + encodeURIComponent(room.session_id) + '/lobby',
      { token: candidateToken() });
  }
  state.lobby = lobby;
  const context = lobby.interview_context;
  document.title = 'Interview: ' + context.position.title + ' at ' + context.company.name;
  $('lobby-title').textContent = context.position.title + ' at ' + context.company.name;
  $('lobby-who').textContent = 'Hello ' + context.candidate.name + '. This is your interview for the position of '
    + context.position.title + ' at ' + context.company.name + '.';
  $('lobby-duration').textContent = 'It takes at most ' + context.settings.max_duration_minutes + ' minutes.';
  $('lobby-recording').textContent = lobby.recorded
    ? 'The interview is recorded on video: your camera and microphone are used.'
    : 'The interview is not recorded on video; only your voice is used.';
  $('notice').textContent = lobby.notice.text;
  $('notice-version').textContent = lobby.notice.version;
  if (lobby.recorded) {
    $('consent-label').textContent = 'I have read this notice and agree to be interviewed and evaluated by AI, '
      + 'and to the video recording.';
  }

  switch (lobby.state) {
    case 'ready':
      phase('lobby');
      break;
    case 'live': {
      // Started earlier (a reload, a second visit): consent was given at the start; rejoin.
      $('consent').checked = true;
      $('consent').disabled = true;
      $('start').textContent = 'Rejoin the interview';
      $('start-hint').textContent = 'Your interview has already started. Test your microphone, then rejoin.';
      $('decline').hidden = true;
      phase('lobby');
      if (sessionStorage.getItem(liveKey())) {
        // This tab was in the call before the reload: resume at once.
        await checkDevices();
        if (state.micChecked) await start();
      }
      break;
    }
    case 'finished':
      finished(lobby.reference, 'This interview has already finished. Thank you for taking part.');
      break;
    default:
      problem(lobby.state === 'revoked' ? 'invite.revoked' : 'invite.expired', lobby.reference);
  }
}

/** Marks this tab as in the call, so a reload resumes at once (per link or per staff-started session). */
function liveKey() {
  return 'ii.live.' + (mode === 'invite' ? location.pathname : room.session_id);
}

function updateStart() {
  const ready = $('consent').checked && state.micChecked;
  $('start').disabled = !ready;
  $('start-hint').hidden = ready;
}

async function checkDevices() {
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia || !window.RTCPeerConnection) {
    problem('browser.unsupported');
    return;
  }
  $('mic-status').textContent = 'Asking for your microphone…';
  try {
    if (media) media.getTracks().forEach(t => t.stop());
    media = await navigator.mediaDevices.getUserMedia({
      audio: { echoCancellation: true, noiseSuppression: true },
      video: lobby.recorded ? { width: { ideal: 640 }, height: { ideal: 360 } } : false,
    });
  } catch (e) {
    const code = e.name === 'NotAllowedError' || e.name === 'SecurityError' ? 'mic.denied'
      : e.name === 'NotReadableError' || e.name === 'AbortError' ? 'mic.busy' : 'mic.missing';
    const [title, advice] = candidateMessage(code);
    state.shown.push(code);
    $('mic-status').textContent = title + '. ' + advice;
    $('mic-status').classList.add('error');
    state.micChecked = false;
    updateStart();
    return;
  }
  $('mic-status').classList.remove('error');
  if (lobby.recorded && media.getVideoTracks().length) {
    $('preview').srcObject = new MediaStream(media.getVideoTracks());
    $('preview').hidden = false;
  }
  watchLevel(media);
  state.videoTracks = media.getVideoTracks().length;
  state.micChecked = true;
  $('mic-status').textContent = 'Your microphone works. Speak to see the level move.';
  updateStart();
}

/** A live level meter from the microphone (RMS of the waveform), also kept in state for tests. */
function watchLevel(stream) {
  const Context = window.AudioContext || window.webkitAudioContext;
  if (!Context) return;
  if (audioContext) audioContext.close();
  audioContext = new Context();
  const analyser = audioContext.createAnalyser();
  analyser.fftSize = 1024;
  audioContext.createMediaStreamSource(new MediaStream(stream.getAudioTracks())).connect(analyser);
  const samples = new Float32Array(analyser.fftSize);
  const meter = $('mic-level');
  const tick = () => {
    if (!audioContext || audioContext.state === 'closed') return;
    analyser.getFloatTimeDomainData(samples);
    let sum = 0;
    for (const s of samples) sum += s * s;
    const level = Math.min(1, Math.sqrt(sum / samples.length) * 4);
    meter.value = level;
    meter.textContent = Math.round(level * 100) + '%';
    state.micLevel = level;
    state.micPeak = Math.max(state.micPeak, level);
    setTimeout(tick, 100);
  };
  audioContext.resume().catch(() => {});
  tick();
}

function consentBody() {
  const agreed = $('consent').checked;
  return { notice_version: lobby.notice.version, ai_evaluation: agreed, recording: lobby.recorded && agreed };
}

async function start() {
  $('start').disabled = true;
  try {
    let started;
    if (mode === 'invite') {
      // The recording's grant is asked for once joined (startRecording): the start waits for no video provider.
      started = await api('POST', '/api/invites/redeem', { body: { token: inviteToken, consent: consentBody(),
        recording_grant: 'after_ready' } });
    } else {
      if (lobby.state === 'ready') {
        await api('POST', '/api/sessions/' + encodeURIComponent(room.session_id) + '/consent',
          { token: candidateToken(), body: consentBody() });
        started = room;
      } else {
        started = await rejoinAsStaff();
      }
    }
    await join(started);
  } catch (e) {
    state.errors.push(e.code || e.message);
    if (e instanceof ApiError) problem(e.code, lobby && lobby.reference, () => location.reload());
    else problem('service.unavailable', lobby && lobby.reference, () => location.reload());
  }
}

/**
 * Staff come back to an interview they started (a reload; its runner may be gone, as when its control plane
 * restarted): as a candidate redeems the invite again, the console's token asks the control plane for the session's
 * runner, which hands back the one still running or a fresh one carrying on the same session and transcript. Without
 * the console's token (the room was handed to someone else) the runner the console handed over is used.
 */
async function rejoinAsStaff() {
  const staffToken = sessionStorage.getItem('ii.staff-token');
  if (!staffToken) return room;
  room = await api('POST', '/api/sessions/' + encodeURIComponent(room.session_id) + '/rejoin', { token: staffToken });
  sessionStorage.setItem('ii.room', JSON.stringify(room));
  return room;
}

function decline() {
  // Nothing was started and nothing is used up: the link stays valid if the candidate changes their mind.
  stopEverything();
  $('problem-title').textContent = 'You chose not to take part';
  $('problem-text').textContent = 'Nothing was started and nothing was recorded. If you change your mind, open '
    + 'the link again while it is valid. If you would like to be interviewed by a person instead, contact the '
    + 'company that invited you.';
  $('problem-reference-line').hidden = false;
  $('problem-reference').textContent = lobby.reference;
  $('retry').hidden = true;
  state.declined = true;
  state.stopped = true;
  phase('problem');
}

// ---- the call --------------------------------------------------------------------------------------------------

async function join(started) {
  state.session = started.session_id;
  websocketUrl = started.websocket_url;
  sessionStorage.setItem(liveKey(), '1');
  if (audioContext) { audioContext.close(); audioContext = null; }
  phase('call');
  $('connection').hidden = false;
  status('Connecting to your interviewer…');
  if (started.recording && started.recording.enabled && media.getVideoTracks().length && !recorder) {
    startRecording(started.recording);
  }
  await newCall();
  connectSocket();
}

async function newCall() {
  if (pc) pc.close();
  state.answerApplied = false;
  state.offerSent = false;
  pc = new RTCPeerConnection();
  const events = pc.createDataChannel('oai-events'); // before createOffer: the offer must carry it
  events.onmessage = (e) => { try { state.onServerEvent(JSON.parse(e.data)); } catch (err) { /* not JSON */ } };
  pc.ontrack = (e) => { $('voice').srcObject = e.streams[0]; };
  media.getAudioTracks().forEach(track => pc.addTrack(track, media)); // audio only: video goes to api.video
  pc.onconnectionstatechange = () => {
    state.connection = pc.connectionState;
    indicator();
    if (pc.connectionState === 'connected') status('You are connected. The interviewer will speak first.');
    if (pc.connectionState === 'failed' && !state.ended) renegotiate();
  };
  await pc.setLocalDescription(await pc.createOffer());
  await new Promise(done => {
    if (pc.iceGatheringState === 'complete') return done();
    pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && done());
    setTimeout(done, 2000);
  });
  sendOffer();
}

/** The call failed (not the socket): negotiate a new one through the runner, which keeps the transcript. */
async function renegotiate() {
  if (state.ended || state.stopped) return;
  if (state.renegotiations >= MAX_RENEGOTIATIONS) {
    status('The call keeps failing. Check your connection, then reload this page to continue.');
    return;
  }
  state.renegotiations += 1;
  status('The call was interrupted. Reconnecting the call…');
  await newCall();
}

function sendOffer() {
  if (!state.offerSent && pc && pc.localDescription && send({ type: 'sdp_offer', sdp: pc.localDescription.sdp })) {
    state.offerSent = true;
  }
}

function send(message) {
  if (socket && socket.readyState === WebSocket.OPEN) {
    socket.send(JSON.stringify(message));
    return true;
  }
  return false;
}

function flushPending() {
  if (state.pending.size) send({ type: 'transcript_update', entries: [...state.pending.values()] });
}

function connectSocket() {
  clearTimeout(reconnectTimer);
  socket = new WebSocket(websocketUrl);
  socket.onopen = () => {
    state.socketOpen = true;
    if (state.reconnects > 0) status('Reconnected. Your interview continues.');
    state.reconnects = 0;
    if (!state.answerApplied) state.offerSent = false; // the answer never came: offer again
    sendOffer();
    flushPending();
    $('end').disabled = false;
    indicator();
  };
  socket.onmessage = (e) => { try { onRunnerMessage(JSON.parse(e.data)); } catch (err) { state.errors.push(err.message); } };
  socket.onclose = (e) => {
    state.socketOpen = false;
    indicator();
    if (state.ended || state.stopped) return;
    if (e.code === 4001) {
      state.replaced = true;
      stopEverything();
      status('This interview was opened in another window or tab. Continue there, or reload this page to '
        + 'continue here.');
      return;
    }
    if (e.code === 1008) {
      problem('service.unavailable', state.session, () => location.reload());
      return;
    }
    state.reconnects += 1;
    if (state.reconnects >= 2) checkStillLive();
    const delay = Math.min(1000 * 2 ** Math.min(state.reconnects - 1, 4), 10000);
    status(navigator.onLine === false
      ? 'You are offline. The interview continues as soon as your connection is back.'
      : 'The connection to the interview was lost. Reconnecting… (attempt ' + state.reconnects + ')');
    reconnectTimer = setTimeout(connectSocket, delay);
  };
}

/**
 * The runner's socket keeps failing: ask the control plane whether the interview is still on (staff may have ended
 * or cancelled it, or its runner may be gone). A finished interview ends the page instead of reconnecting forever.
 */
async function checkStillLive() {
  try {
    const token = new URL(websocketUrl).searchParams.get('token');
    const session = await api('GET', '/api/sessions/' + encodeURIComponent(state.session), { token });
    if (!['created', 'provisioning', 'ready', 'active', 'ending'].includes(session.status)) {
      finish(session.status === 'completed' ? 'completed' : 'over');
    }
  } catch (e) {
    // Offline or the control plane is unreachable too: keep trying to reconnect.
  }
}

window.addEventListener('online', () => {
  if (state.phase === 'call' && !state.ended && !state.socketOpen && !state.replaced) connectSocket();
});

function onRunnerMessage(message) {
  switch (message.type) {
    case 'status':
      state.status = message.status;
      if (message.deadline) countdown(message.deadline);
      // Ended elsewhere (no reason, or the call was ended or cancelled by the company): the candidate hears it is over.
      if (message.status === 'ended') {
        finish(!message.reason || message.reason === 'call_ended' || message.reason === 'staff_ended'
          ? 'over' : message.reason);
      }
      if (message.status === 'active' && state.connection !== 'connected') {
        status('The interview has started. Connecting the audio…');
      }
      indicator();
      break;
    case 'sdp_answer':
      pc.setRemoteDescription({ type: 'answer', sdp: message.sdp })
        .then(() => { state.answerApplied = true; state.signalingState = pc.signalingState; })
        .catch(e => { state.errors.push('answer: ' + e.message); renegotiate(); });
      break;
    case 'transcript_ack':
      [...(message.stored || []), ...(message.duplicates || [])].forEach(key => {
        state.durable.add(key);
        state.pending.delete(key);
      });
      break;
    case 'error':
      onRunnerError(message);
      break;
    default:
      break;
  }
}

function onRunnerError(error) {
  state.errors.push(error.code);
  const code = error.code || '';
  if (code === 'session.not_live') {
    finish('over');
  } else if (code === 'realtime.not_configured' || code.startsWith('openai.') || code.startsWith('sdp.')) {
    if (error.retryable && state.renegotiations < MAX_RENEGOTIATIONS) {
      status('The interviewer is not reachable yet. Trying again…');
      setTimeout(renegotiate, 2000);
    } else {
      problem('service.unavailable', state.session, () => location.reload());
    }
  }
  // protocol.*, invalid.*, control_plane.unreachable and runner.stopping are the page's or the runner's business: the
  // runner keeps what it has and this page sends anything unacknowledged again (a stopping runner's close, 1012,
  // follows, and the page reconnects); nothing the candidate must act on.
}

function indicator() {
  const pill = $('connection');
  let text;
  let tone;
  if (state.ended) { text = 'Interview ended'; tone = ''; }
  else if (!state.socketOpen) { text = 'Reconnecting…'; tone = 'warn'; }
  else if (state.connection === 'connected') { text = 'Connected'; tone = 'ok'; }
  else if (state.connection === 'failed') { text = 'Call failed'; tone = 'bad'; }
  else if (state.connection === 'disconnected') { text = 'Connection unstable'; tone = 'warn'; }
  else { text = 'Connecting…'; tone = 'warn'; }
  pill.textContent = text;
  pill.className = 'pill ' + tone;
  state.indicator = text;
}

function status(text) {
  $('call-status').textContent = text;
  state.statusText = text;
}

function countdown(deadline) {
  const end = Date.parse(deadline);
  if (Number.isNaN(end)) return;
  state.deadline = deadline;
  clearInterval(countdownTimer);
  const render = () => {
    const left = Math.max(0, Math.round((end - Date.now()) / 1000));
    const text = Math.floor(left / 60) + ':' + String(left % 60).padStart(2, '0');
    $('countdown').textContent = text;
    $('countdown').setAttribute('aria-label', Math.floor(left / 60) + ' minutes ' + (left % 60) + ' seconds left');
    state.countdown = text;
    if (left === 0) clearInterval(countdownTimer);
  };
  render();
  countdownTimer = setInterval(render, 1000);
}

// ---- captions and what the page forwards -----------------------------------------------------------------------

function caption(itemId, speaker, text, final) {
  let line = state.captions.get(itemId);
  if (!line) {
    line = el('p', { class: speaker, dataset: { item: itemId } }, el('span', { class: 'who',
      text: speaker === 'ai' ? 'Interviewer: ' : 'You: ' }), el('span', { class: 'text' }));
    state.captions.set(itemId, line);
    $('captions').append(line);
  }
  line.querySelector('.text').textContent = text;
  if (final) line.dataset.final = 'true';
  $('captions').scrollTop = $('captions').scrollHeight;
}

function record(itemId, speaker, text) {
  caption(itemId, speaker, text, true);
  if (state.durable.has(itemId)) return;
  const item = state.items.get(itemId) || {};
  const entry = { item_id: itemId, previous_item_id: item.previous || null, speaker, text,
    timestamp: new Date().toISOString() };
  state.pending.set(itemId, entry);
  send({ type: 'transcript_update', entries: [entry] });
}

/** One Realtime server event from the data channel (exposed for tests that cannot reach OpenAI). */
/**
 * What the current call has received: DTLS-protected bytes (audio, RTCP, data channel) and audio packets. Whether
 * anything arrives at all is what the tests, and support, ask of a call that says "connected".
 */
state.received = async () => {
  const got = { bytes: 0, audioPackets: 0 };
  if (!pc) return got;
  (await pc.getStats()).forEach(r => {
    if (r.type === 'transport') got.bytes += r.bytesReceived || 0;
    if (r.type === 'inbound-rtp' && r.kind === 'audio') got.audioPackets += r.packetsReceived || 0;
  });
  return got;
};

state.onServerEvent = (event) => {
  switch (event.type) {
    case 'conversation.item.added':
      if (event.item && event.item.type === 'message') {
        state.items.set(event.item.id, { previous: event.previous_item_id, role: event.item.role, text: '' });
      }
      break;
    case 'response.output_audio_transcript.delta':
    case 'conversation.item.input_audio_transcription.delta': {
      const item = state.items.get(event.item_id) || { text: '' };
      item.text = (item.text || '') + (event.delta || '');
      state.items.set(event.item_id, item);
      if (!state.captions.has(event.item_id) || !state.captions.get(event.item_id).dataset.final) {
        caption(event.item_id, event.type.startsWith('response') ? 'ai' : 'candidate', item.text, false);
      }
      break;
    }
    case 'conversation.item.input_audio_transcription.completed':
      record(event.item_id, 'candidate', event.transcript);
      break;
    case 'response.output_audio_transcript.done':
      record(event.item_id, 'ai', event.transcript);
      break;
    case 'proxy.upstream_status': // the runner's own (proxy architecture, ADR 0023): its socket to OpenAI dropped
      state.upstream = event.status;
      (state.upstreamLog = state.upstreamLog || []).push(event.status);
      if (event.status === 'reconnecting') status('The connection to the interviewer dropped. Reconnecting…');
      else if (event.status === 'reconnected') status('Reconnected. Your interview continues.');
      break;
    default:
      break;
  }
};

// ---- recording -------------------------------------------------------------------------------------------------

/**
 * Records into the session's video. A start asked for 'after_ready' names where to ask for the grant instead of
 * carrying it (ADR 0028): asked here, while the call is being set up, so the start waited for no video provider.
 */
async function startRecording(grant) {
  try {
    const config = await api('GET', '/api/room/config');
    if (!config.upload_url) return;
    // The grant is given once per session: asked for only by a room that can upload. A tab that takes this one over
    // finds it given (409) and does not record either.
    if (!grant.upload_token && grant.grant_url) {
      grant = await api('POST', grant.grant_url, { token: new URL(websocketUrl).searchParams.get('token') });
    }
    // Over, stopped behind a problem page, taken over by another tab, or already recording, meanwhile: the tracks
    // may be stopped, and an unused grant's video stays empty (the end reports no video for it).
    if (state.ended || state.stopped || state.replaced || recorder) return;
    recorder = new VideoRecorder({ stream: media, uploadUrl: config.upload_url, uploadToken: grant.upload_token,
      partBytes: config.upload_part_bytes,
      videoId: grant.video_id, onStatus: (text) => {
        $('recording-status').hidden = false;
        $('recording-status').textContent = text;
      } });
    state.recorder = recorder;
    recorder.start();
  } catch (e) {
    state.errors.push('recording: ' + (e.code || e.message));
  }
}

// ---- the end ---------------------------------------------------------------------------------------------------

async function endByCandidate() {
  $('confirm-end').close();
  $('end').disabled = true;
  status('Ending the interview…');
  flushPending();
  const finalTranscript = [...state.pending.values()];
  // The api.video video this browser uploads to (its upload may still be finishing): the runner forwards it with
  // the end, and the session keeps the report (docs/protocol.md).
  const videoId = recorder && recorder.videoId ? recorder.videoId : undefined;
  if (!send({ type: 'end_session', final_transcript: finalTranscript, video_id: videoId })) {
    // The runner's socket is down: end through the control plane instead (the runner still flushes its turns).
    try {
      const token = new URL(websocketUrl).searchParams.get('token');
      await api('POST', '/api/sessions/' + encodeURIComponent(state.session) + '/end', { token, body: videoId ? { video_id: videoId } : {} });
      finish('candidate_ended');
    } catch (e) {
      state.errors.push(e.code);
      status('The interview could not be ended right now. We keep trying; you may also just close this page.');
      $('end').disabled = false;
    }
  }
}

async function finish(reason) {
  if (state.ended) return;
  state.ended = true;
  state.status = 'ended';
  state.endReason = reason;
  clearTimeout(reconnectTimer);
  clearInterval(countdownTimer);
  sessionStorage.removeItem(liveKey());
  if (recorder) {
    $('done-text').textContent = 'Your interview is complete. Your video is still uploading: please keep this page '
      + 'open for a moment.';
  }
  finished(state.session, reason === 'time_budget_spent'
    ? 'The time for this interview is up, and your interview is complete.'
    : reason === 'over' ? 'This interview has ended. Thank you for your time.' : 'Your interview is complete.');
  if (recorder) {
    // An interview the company ended ('over') keeps that message: its recording is discarded with it, so an upload
    // that fails now is no news for the candidate.
    const tellUpload = reason !== 'over';
    try {
      await recorder.stop();
      if (tellUpload) $('done-text').textContent = 'Your interview is complete and your video was uploaded.';
    } catch (e) {
      state.errors.push('recording: ' + e.message);
      if (tellUpload) {
        $('done-text').textContent = 'Your interview is complete. The video could not be fully uploaded; the '
          + 'company still has your interview and its transcript.';
      }
    }
  }
  stopEverything();
}

function finished(reference, text) {
  $('done-text').textContent = text;
  $('done-reference').textContent = reference || '';
  document.title = 'Thank you';
  phase('done');
  if (!recorder) stopEverything();
}

function stopEverything() {
  clearTimeout(reconnectTimer);
  clearInterval(countdownTimer);
  const over = state.ended || state.replaced || state.stopped || state.phase !== 'call';
  if (socket && socket.readyState <= WebSocket.OPEN && over) {
    socket.onclose = null;
    socket.close(1000);
  }
  if (pc && (state.ended || state.stopped || state.phase !== 'call')) { pc.close(); pc = null; }
  if (audioContext) { audioContext.close(); audioContext = null; }
  if (media && (!recorder || state.ended)) media.getTracks().forEach(t => t.stop());
  state.socketOpen = socket ? socket.readyState === WebSocket.OPEN : false;
  if (!$('connection').hidden) indicator();
}

// ---- wiring ----------------------------------------------------------------------------------------------------

$('consent').addEventListener('change', updateStart);
$('mic-check').addEventListener('click', checkDevices);
$('start').addEventListener('click', start);
$('decline').addEventListener('click', decline);
$('end').addEventListener('click', () => $('confirm-end').showModal());
$('confirm-yes').addEventListener('click', endByCandidate);
$('confirm-no').addEventListener('click', () => $('confirm-end').close());
$('mute').addEventListener('click', () => {
  const muted = $('mute').getAttribute('aria-pressed') !== 'true';
  media.getAudioTracks().forEach(t => { t.enabled = !muted; });
  $('mute').setAttribute('aria-pressed', String(muted));
  $('mute').textContent = muted ? 'Unmute' : 'Mute';
  state.muted = muted;
  status(muted ? 'Your microphone is muted.' : 'Your microphone is on.');
});

if (!window.RTCPeerConnection || !window.WebSocket || !window.fetch) {
  problem('browser.unsupported');
} else {
  loadLobby().catch(e => {
    state.errors.push(e.code || e.message);
    problem(e instanceof ApiError ? e.code : 'service.unavailable', null,
      e instanceof ApiError && e.status >= 500 || (e instanceof ApiError && e.status === 0)
        ? () => location.reload() : null);
  });
}
