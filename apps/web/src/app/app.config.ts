import { provideHttpClient, withFetch, withInterceptors } from '@angular/common/http';
import {
  type ApplicationConfig,
  provideBrowserGlobalErrorListeners,
  provideZonelessChangeDetection,
} from '@angular/core';
import { provideRouter, withComponentInputBinding } from '@angular/router';
import { apiErrorInterceptor, authInterceptor, provideApiClient } from '@crowdsafe/web-data-access';
import { routes } from './app.routes';

export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideZonelessChangeDetection(),
    provideRouter(routes, withComponentInputBinding()),
    // Interceptor order: outermost first. The auth-refresh interceptor goes BEFORE apiErrorInterceptor so it still
    // sees raw 401 HttpErrorResponses; apiErrorInterceptor stays last and turns every failure into an ApiError.
    provideHttpClient(withFetch(), withInterceptors([authInterceptor, apiErrorInterceptor])),
    provideApiClient(),
  ],
};
