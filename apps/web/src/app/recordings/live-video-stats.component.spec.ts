import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { RecordingsApi } from '@crowdsafe/web-data-access';
import { of } from 'rxjs';
import { CameraDirectory } from '../live/camera-directory.service';
import { LiveVideoStatsComponent } from './live-video-stats.component';

// The first render compiles the template: slow on a loaded machine.
jest.setTimeout(60_000);

interface LiveHlsCameraStatsDto {
  cameraId: string;
  viewers: number;
  bytesPerS: number;
  transcode: 'running' | 'idle' | 'none';
}

describe('LiveVideoStatsComponent', () => {
  it.each<{ name: string; stats: LiveHlsCameraStatsDto[]; rows: string[] }>([
    { name: 'nothing', stats: [], rows: ['No HLS viewers in the last 10 s.'] },
    { name: 'a copied stream nobody watches is not listed', stats: [{ cameraId: 'c1', viewers: 0, bytesPerS: 0, transcode: 'none' }], rows: ['No HLS viewers in the last 10 s.'] },
    { name: 'an idle on-demand transcode is listed', stats: [{ cameraId: 'c1', viewers: 0, bytesPerS: 0, transcode: 'idle' }], rows: ['Gate|0|0.00 Mbit/s|idle (starts with a viewer)'] },
    {
      name: 'watched: viewers, bandwidth, transcoding',
      stats: [
        { cameraId: 'c1', viewers: 3, bytesPerS: 125_000, transcode: 'running' },
        { cameraId: 'c2', viewers: 1, bytesPerS: 62_500, transcode: 'none' },
      ],
      rows: ['Gate|3|1.00 Mbit/s|transcoding', 'c2|1|0.50 Mbit/s|stream copy'],
    },
  ])('$name', async ({ stats, rows }) => {
    TestBed.configureTestingModule({
      providers: [
        { provide: RecordingsApi, useValue: { liveHlsStats: jest.fn(() => of(stats)), storage: jest.fn(() => of(null)) } },
        { provide: CameraDirectory, useValue: { ensureLoaded: jest.fn(), byId: signal(new Map([['c1', { id: 'c1', name: 'Gate' }]])) } },
      ],
    });
    const f = TestBed.createComponent(LiveVideoStatsComponent);
    await f.whenStable();
    f.detectChanges();
    const got = [...(f.nativeElement as HTMLElement).querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim()).join('|'));
    expect(got).toEqual(rows);
    f.destroy();
  });
});
