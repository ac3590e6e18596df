import { memo } from 'react';
import ReactMarkdown, { type Components } from 'react-markdown';
import remarkGfm from 'remark-gfm';
import remend from 'remend';
import { t } from '../../src/i18n';

interface MarkdownNode {
  type: string;
  value?: string;
  children?: MarkdownNode[];
}

/**
 * Raw HTML in the answer is shown as the characters the model sent, never as markup: each HTML
 * node of the Markdown tree becomes a text node with the same value.
 */
function remarkHtmlAsText() {
  const walk = (node: MarkdownNode) => {
    if (node.type === 'html') node.type = 'text';
    node.children?.forEach(walk);
  };
  return walk;
}

// Links are shown with their address, never followed: a click in the panel must not open page
// content. Images are not fetched (the panel loads nothing the page chose): their alt text is shown.
const COMPONENTS: Components = {
  a: ({ href, children }) => (
    <span className="md-link" title={t('llmLinkTitle', href ?? '')}>
      {children}
    </span>
  ),
  img: ({ alt, src }) => (
    <span className="md-image" title={typeof src === 'string' ? src : undefined}>
      [{t('llmImage', alt ?? '')}]
    </span>
  ),
};

const REMARK_PLUGINS = [remarkGfm, remarkHtmlAsText];

/**
 * Markdown text rendered with `react-markdown` (GitHub-flavoured: tables, task lists,
 * strikethrough). While the text is still streaming, `remend` (the healer of the Streamdown
 * renderer, made for streaming text) closes what the model has opened but not yet closed, so a
 * half-written `**bold` or code fence does not flicker as raw syntax.
 */
export const Markdown = memo(function Markdown({ text, live }: { text: string; live: boolean }) {
  const source = live ? remend(text, { htmlTags: false, linkMode: 'text-only' }) : text;
  return (
    <ReactMarkdown remarkPlugins={REMARK_PLUGINS} components={COMPONENTS} skipHtml={false}>
      {source}
    </ReactMarkdown>
  );
});
