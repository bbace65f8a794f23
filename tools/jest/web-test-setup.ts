// Console unit tests: Angular's TestBed in jsdom, zoneless like the app (apps/web/src/app/app.config.ts).
import { setupZonelessTestEnv } from 'jest-preset-angular/setup-env/zoneless';

setupZonelessTestEnv();
