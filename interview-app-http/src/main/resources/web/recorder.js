/*
 * Records the camera (and microphone) with MediaRecorder and uploads it to api.video while the interview runs,
 * with the delegated upload token the session was given (the API key never reaches the browser).
 *
 * api.video's progressive upload (POST /upload?token=..., multipart `file` and `videoId`): every part but the last
 * is sent with `Content-Range: part N/*`, the last with `part N/N`, which finalises the video. Parts are at least
 * `partBytes` (api.video wants 5 MiB, except the last). A part whose upload fails is sent again, the same bytes
 * under the same number, with backoff; parts go one at a time, in order. Audio stays on the WebRTC call for the
 * interview itself; this copy is for the people who review it.
 */
export class VideoRecorder {
  constructor({ stream, uploadUrl, uploadToken, videoId, partBytes = 5 * 1024 * 1024, onStatus = () => {},
    maxAttempts = 6 }) {
    this.stream = stream;
    this.url = uploadUrl + (uploadUrl.includes('?') ? '&' : '?') + 'token=' + encodeURIComponent(uploadToken);
    this.videoId = videoId;
    this.partBytes = partBytes;
    this.onStatus = onStatus;
    this.maxAttempts = maxAttempts;
    this.buffer = [];
    this.buffered = 0;
    this.held = null;       // the newest complete part: sent once we know it is not the last
    this.part = 0;
    this.queue = Promise.resolve();
    this.sent = [];         // {part, bytes, attempts, last} for tests and status
    this.failed = null;
  }

  static supported() {
    return typeof window.MediaRecorder === 'function';
  }

  start() {
    const types = ['video/webm;codecs=vp8,opus', 'video/webm;codecs=vp9,opus', 'video/webm', 'video/mp4'];
    const mimeType = types.find(t => MediaRecorder.isTypeSupported(t)) || '';
    this.mimeType = mimeType || 'video/webm';
    this.recorder = new MediaRecorder(this.stream, mimeType ? { mimeType } : undefined);
    this.recorder.ondataavailable = (e) => this.collect(e.data);
    this.stopped = new Promise(resolve => { this.recorder.onstop = resolve; });
    this.recorder.start(1000);
    this.onStatus('Recording');
  }

  collect(blob) {
    if (!blob || blob.size === 0) return;
    this.buffer.push(blob);
    this.buffered += blob.size;
    if (this.buffered >= this.partBytes) {
      const part = new Blob(this.buffer, { type: this.mimeType });
      this.buffer = [];
      this.buffered = 0;
      if (this.held) this.enqueue(this.held, false);
      this.held = part;
    }
  }

  /** Stops recording and resolves once the last part has finalised the video (rejects if a part never made it). */
  async stop() {
    if (this.recorder && this.recorder.state !== 'inactive') {
      this.recorder.stop();
      await this.stopped;
    }
    const rest = new Blob([...(this.held ? [this.held] : []), ...this.buffer], { type: this.mimeType });
    this.held = null;
    this.buffer = [];
    if (rest.size > 0) this.enqueue(rest, true);
    this.onStatus('Uploading your video…');
    await this.queue;
    if (this.failed) throw this.failed;
    this.onStatus('Video uploaded');
    return this.videoId;
  }

  enqueue(blob, last) {
    const number = ++this.part;
    this.queue = this.queue.then(() => this.failed ? undefined : this.upload(blob, number, last));
  }

  async upload(blob, number, last) {
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      const form = new FormData();
      if (this.videoId) form.append('videoId', this.videoId);
      form.append('file', blob, 'interview.webm');
      try {
        const reply = await fetch(this.url, { method: 'POST', body: form, credentials: 'omit',
          headers: { 'Content-Range': 'part ' + number + '/' + (last ? number : '*') } });
        if (reply.ok) {
          const body = await reply.json().catch(() => ({}));
          if (body && body.videoId) this.videoId = body.videoId;
          this.sent.push({ part: number, bytes: blob.size, attempts: attempt, last });
          return;
        }
        if (reply.status < 500 && reply.status !== 429 && reply.status !== 408) {
          throw Object.assign(new Error('the upload was refused (' + reply.status + ')'), { final: true });
        }
      } catch (e) {
        if (e.final) { this.failed = e; return; }
      }
      this.onStatus('Video upload interrupted, retrying…');
      await new Promise(r => setTimeout(r, Math.min(500 * 2 ** (attempt - 1), 8000)));
    }
    this.failed = new Error('part ' + number + ' could not be uploaded');
  }
}
