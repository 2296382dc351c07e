// The replay view's recent captures and demo capture when their read fails. Before, a failed
// read of replay.recent said "None yet." under Recent captures and "The PaySim demo capture is
// not installed." beside its button (an error line at the top of the view was the only sign it
// was not so): an operator was told there was nothing to replay. Now the section says the read
// failed and offers to read again, and nothing is said of the demo capture it could not learn of.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { createReplayStore, type ReplayClient } from '../store/replay';
import { DemoCaptureNote, RecentCapturesSection } from './ReplayOpen';

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
const failing: ReplayClient = { invoke: (async () => { throw new Error('the engine is not running'); }) as ReplayClient['invoke'] };

describe('a failed read of the recent captures', () => {
  it('is kept as that read\'s failure, not as "nothing recent"', async () => {
    const store = createReplayStore(failing);
    await store.getState().loadRecent();
    expect(store.getState()).toMatchObject({ recent: [], recentLoaded: false, recentError: 'the engine is not running' });
  });

  it('is said in the section with a way to read again, and the demo capture is not called missing', () => {
    const section = renderToStaticMarkup(<RecentCapturesSection recent={[]} loaded={false} error="the engine is not running" opening={false} onReplay={() => undefined} onRetry={() => undefined} />);
    expect(text(section)).toContain('Recent captures unavailable: the engine is not running.');
    expect(section).toMatch(/<button[^>]*>Try again<\/button>/);
    expect(text(section)).not.toContain('None yet');
    expect(text(section)).not.toContain('Loading');
    expect(text(renderToStaticMarkup(<DemoCaptureNote demoCapture={null} loaded={false} />))).not.toContain('not installed');
  });

  it('keeps loading, none and the demo capture missing apart after a read that answered', () => {
    const section = (loaded: boolean) => text(renderToStaticMarkup(<RecentCapturesSection recent={[]} loaded={loaded} error={null} opening={false} onReplay={() => undefined} onRetry={() => undefined} />));
    expect(section(false)).toContain('Loading…');
    expect(section(true)).toContain('None yet.');
    expect(text(renderToStaticMarkup(<DemoCaptureNote demoCapture={null} loaded />))).toContain('The PaySim demo capture is not installed.');
  });
});
