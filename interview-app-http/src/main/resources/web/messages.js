/*
 * What a candidate is told when something goes wrong: what happened and what to do, in plain words. Stable error
 * codes (docs/openapi.yaml, docs/protocol.md) map to these; an unknown code gets the generic service message. The
 * code itself is never shown alone, and operator hints (configuration, keys) never reach a candidate.
 */
export const CANDIDATE_MESSAGES = {
  'invite.invalid_token': ['This link does not work',
    'The address may be incomplete. Open the link from your invitation email again, or ask the company for a new invitation.'],
  'invite.expired': ['This invitation has expired',
    'Please contact the company that invited you and ask for a new link.'],
  'invite.revoked': ['This invitation was withdrawn',
    'The company withdrew this invitation. If you think this is a mistake, please contact them.'],
  'invite.used': ['This interview is over',
    'This link was already used for your interview. There is nothing more to do.'],
  'session.not_live': ['This interview is over',
    'The interview has ended. There is nothing more to do.'],
  'consent.required': ['Your agreement is needed',
    'The interview can only start after you have read the notice and ticked the box.'],
  'consent.stale_notice': ['The notice has changed',
    'The company updated its notice since you opened this page. Please reload the page and read it again.'],
  'mic.denied': ['Microphone access was blocked',
    'Allow this page to use your microphone (look for the camera or lock icon in the address bar), then try again.'],
  'mic.missing': ['No microphone found',
    'Connect a microphone or headset, or use a device that has one, then try again.'],
  'mic.busy': ['Your microphone is in use',
    'Another application is using the microphone. Close it (for example a video call) and try again.'],
  'browser.unsupported': ['This browser cannot run the interview',
    'Please open the link in a current version of Chrome, Edge, Firefox or Safari on a computer or phone.'],
  'service.unavailable': ['The interview service is not available right now',
    'This is not a problem on your side. Please try again in a few minutes; if it keeps happening, contact the company that invited you.'],
  'network.unreachable': ['You appear to be offline',
    'Check your internet connection, then reload this page.'],
  'rate_limited': ['Too many interviews are starting right now',
    'Please wait a minute and try again.'],
};

/** [title, advice] for a code; anything unknown (including operator-side failures) is "service unavailable". */
export function candidateMessage(code) {
  if (CANDIDATE_MESSAGES[code]) return CANDIDATE_MESSAGES[code];
  if (code && code.startsWith('rate_limit')) return CANDIDATE_MESSAGES.rate_limited;
  return CANDIDATE_MESSAGES['service.unavailable'];
}
