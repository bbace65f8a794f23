import { type Provider } from '@angular/core';
import { ApiConfiguration } from '../../generated';

/**
 * Root URL of the generated client. The spec's paths already start with `/api`, so the default '' calls the origin
 * that served the page (the api serves the app); it also guards against a `servers: [{url: '/'}]` entry in the
 * spec, which would otherwise produce protocol-relative `//api/...` URLs.
 */
export function provideApiClient(rootUrl = ''): Provider {
  return { provide: ApiConfiguration, useValue: { rootUrl } satisfies ApiConfiguration };
}
