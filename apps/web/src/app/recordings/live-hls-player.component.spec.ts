import { TestBed } from '@angular/core/testing';
import { ApiError, RecordingsApi } from '@crowdsafe/web-data-access';
import { Subject, of, throwError } from 'rxjs';
import { LiveHlsPlayerComponent } from './live-hls-player.component';

jest.setTimeout(60_000);

describe('LiveHlsPlayerComponent', () => {
  let api: { liveHlsTicket: jest.Mock; liveHlsReady: jest.Mock };

  beforeAll(() => {
    HTMLMediaElement.prototype.load = () => undefined; // jsdom has no media playback (video.js calls load()).
  });

  beforeEach(() => {
    api = { liveHlsTicket: jest.fn(() => of({ url: '/api/live-hls/c1/index.m3u8?ticket=t' })), liveHlsReady: jest.fn(() => of(undefined)) };
    TestBed.configureTestingModule({ providers: [{ provide: RecordingsApi, useValue: api }] });
  });

  async function render() {
    const f = TestBed.createComponent(LiveHlsPlayerComponent);
    f.componentRef.setInput('cameraId', 'c1');
    await f.whenStable();
    const el = f.nativeElement as HTMLElement;
    return { f, el, q: (id: string) => el.querySelector(`[data-testid="${id}"]`) as HTMLElement | null };
  }

  it('waits for the playlist, then plays the ticketed URL', async () => {
    const { el, q } = await render();
    expect(api.liveHlsReady).toHaveBeenCalledWith('/api/live-hls/c1/index.m3u8?ticket=t');
    expect(el.querySelector('video')).not.toBeNull();
    expect(q('live-hls-starting')).toBeNull();
  });

  it('while the transcode starts: a status line and no player yet', async () => {
    const ready = new Subject<void>();
    api.liveHlsReady.mockReturnValue(ready);
    const { f, el, q } = await render();
    expect(q('live-hls-starting')?.textContent).toContain('Starting the live stream');
    expect(el.querySelector('video')).toBeNull();
    ready.next();
    ready.complete();
    f.detectChanges();
    expect(q('live-hls-starting')).toBeNull();
    expect(el.querySelector('video')).not.toBeNull();
  });

  it.each([
    ['the ticket is refused', () => api.liveHlsTicket.mockReturnValue(throwError(() => new ApiError(404, 'Camera c1 has no live HLS output', 'Not Found', null))), 'no live HLS output'],
    ['the transcode never starts', () => api.liveHlsReady.mockReturnValue(throwError(() => new ApiError(503, 'All 4 live transcodes are busy', 'Service Unavailable', null))), 'busy'],
  ] as const)('%s: the message, no player', async (_n, arrange, text) => {
    arrange();
    const { el } = await render();
    expect(el.querySelector('[role="alert"]')?.textContent).toContain(text);
    expect(el.querySelector('video')).toBeNull();
  });
});
