/**
 * Page agent: runs in the page's MAIN world at `document_start`, in every frame, before any page
 * script. It patches `fetch` and `XMLHttpRequest` and taps `text/event-stream` (and line-delimited
 * JSON) bodies as the page reads them, wraps `EventSource` to see what it dispatches, and hands
 * batches of capture items to the relay over a private MessagePort.
 *
 * It must be invisible to the page: same bytes, chunking, errors, cancellation and backpressure.
 * Everything it uses is taken from the page's globals now, before page scripts can replace them.
 */
import { type AgentChannel, createAgentChannel } from './agent/channel';
import { installEventSourceTap } from './agent/eventsource-tap';
import { installFetchTap } from './agent/fetch-tap';
import { createReplayHook } from './agent/replay-hook';
import { installXhrTap } from './agent/xhr-tap';

const channel: AgentChannel = createAgentChannel(window);
const replayAgent = createReplayHook(channel);
installFetchTap(window, channel, replayAgent);
installXhrTap(window, channel, replayAgent);
installEventSourceTap(window, channel, replayAgent);
