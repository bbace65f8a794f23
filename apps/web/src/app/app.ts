import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { RouterOutlet } from '@angular/router';
import { ThemeService } from './shell/theme.service';

/** Root: the login/change-password pages render alone, everything else inside the shell (header + nav). */
@Component({
  selector: 'cs-root',
  imports: [RouterOutlet],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<router-outlet />`,
})
export class App {
  constructor() {
    inject(ThemeService).apply();
  }
}
