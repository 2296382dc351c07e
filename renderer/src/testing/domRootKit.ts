// Test support only, in testing/ (never imported by the app): the renderer's tests that need a DOM.
// React trees rendered with react-dom/client into happy-dom's document, effects and all (the
// renderer's tests that need a DOM: focus, keys, live regions). Call useDomRoots() at the top of
// a test file: it sets React's act environment for the file and unmounts what was rendered after
// each test (a tree left mounted keeps its listeners on the window).
import { act, type ReactElement } from 'react';
import { afterAll, afterEach, beforeAll } from 'vitest';

const globals = globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean };
const mounted: { unmount(): void }[] = [];

export function useDomRoots(): void {
  beforeAll(() => {
    globals.IS_REACT_ACT_ENVIRONMENT = true;
  });
  afterAll(() => {
    delete globals.IS_REACT_ACT_ENVIRONMENT;
  });
  afterEach(async () => {
    await act(async () => mounted.splice(0).forEach((root) => root.unmount()));
    document.body.replaceChildren();
  });
}

/** Renders `element` into a new container in the document (inside act: its effects have run). */
export async function renderInDom(element: ReactElement): Promise<HTMLDivElement> {
  const { createRoot } = await import('react-dom/client');
  const container = document.createElement('div');
  document.body.appendChild(container);
  const root = createRoot(container);
  mounted.push(root);
  await act(async () => root.render(element));
  return container;
}
