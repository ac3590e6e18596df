/**
 * Property names private to the page agent's bundle (dist/content-scripts/page-agent.js), which
 * vite.config.ts has the minifier shorten: the agent runs in every frame, and these names were a few
 * hundred of its bytes. Each is a property only of the agent's own objects (its channel,
 * its records of requests and sources); every occurrence in the bundle is renamed alike, so none may
 * also name a property of the browser's objects, of a message (src/protocol.ts, src/model.ts) or of
 * what the replay agent reads, nor be read by a computed key. build/agent-private-names.test.ts
 * checks the first three.
 */
export const AGENT_PRIVATE_NAMES = [
  // content-scripts/agent/channel.ts
  'nextConnectionId',
  'listenToRelay',
  'startConnection',
  'pushBytes',
  'pushText',
  'finishBody',
  'pushEvent',
  'endConnection',
  'sendReplay',
  // content-scripts/agent/stream-capture.ts
  'isEnded',
  // content-scripts/agent/fetch-tap.ts
  'readFailure',
  // content-scripts/agent/xhr-tap.ts
  'recordedMethod',
  'isSent',
  'sentAt',
  'decided',
  'bodyCapture',
  'readChars',
  // content-scripts/agent/eventsource-tap.ts
  'createdAt',
  'isStarted',
  'sourceCapture',
  'listened',
] as const;

/** The names as the minifier's `mangleProps.include` takes them. */
export const agentPrivateNamesPattern = (): RegExp => new RegExp(`^(?:${AGENT_PRIVATE_NAMES.join('|')})$`);
