/**
 * The official `openai` and `@anthropic-ai/sdk` packages for e2e/llm.spec.ts's test pages, bundled
 * by support/bundle.ts; the page's scripts find them as `window.OpenAI` and `window.Anthropic`.
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';

Object.assign(globalThis, { OpenAI, Anthropic });
