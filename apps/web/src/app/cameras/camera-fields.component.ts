import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { FormsModule } from '@angular/forms';
import type { CameraForm } from './camera-form';
import { SOURCE_KINDS, sourceKind } from './source-fields';

let seq = 0;

/** The camera form fields of one wizard step (`basic` or `connection`), with per-field errors. */
@Component({
  selector: 'cs-camera-fields',
  imports: [FormsModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @let f = form();
    @let e = errors();
    @if (section() === 'basic') {
      <div class="mb-3">
        <label class="form-label" [for]="id + 'name'">Name <span aria-hidden="true">*</span></label>
        <input class="form-control" [id]="id + 'name'" name="name" required maxlength="128" autocomplete="off" [class.is-invalid]="!!e['name']"
          [attr.aria-describedby]="e['name'] ? id + 'name-err' : null" [ngModel]="f.name()" (ngModelChange)="f.name.set($event)" data-testid="field-name" />
        @if (e['name']) { <div class="invalid-feedback" [id]="id + 'name-err'">{{ e['name'] }}</div> }
      </div>
      <div class="mb-3">
        <label class="form-label" [for]="id + 'location'">Location</label>
        <input class="form-control" [id]="id + 'location'" name="location" maxlength="255" [class.is-invalid]="!!e['location']"
          [ngModel]="f.location()" (ngModelChange)="f.location.set($event)" placeholder="e.g. North gate, level 1" />
        @if (e['location']) { <div class="invalid-feedback">{{ e['location'] }}</div> }
      </div>
      <div class="mb-3">
        <label class="form-label" [for]="id + 'capacity'">Safe capacity (people)</label>
        <input class="form-control" type="number" min="1" step="1" [id]="id + 'capacity'" name="capacity" [class.is-invalid]="!!e['capacity']"
          [ngModel]="f.capacity()" (ngModelChange)="f.capacity.set($event === '' ? null : $event)" />
        <div class="form-text">From the venue’s safety plan; used for utilisation %.</div>
        @if (e['capacity']) { <div class="invalid-feedback d-block">{{ e['capacity'] }}</div> }
      </div>
      <div class="row g-2 mb-3">
        <div class="col-6">
          <label class="form-label" [for]="id + 'lat'">Latitude (optional)</label>
          <input class="form-control" type="number" min="-90" max="90" step="any" [id]="id + 'lat'" name="latitude" [class.is-invalid]="!!e['latitude']"
            [ngModel]="f.latitude()" (ngModelChange)="f.latitude.set($event === '' || $event === null ? null : +$event)" data-testid="camera-latitude" />
          @if (e['latitude']) { <div class="invalid-feedback">{{ e['latitude'] }}</div> }
        </div>
        <div class="col-6">
          <label class="form-label" [for]="id + 'lon'">Longitude (optional)</label>
          <input class="form-control" type="number" min="-180" max="180" step="any" [id]="id + 'lon'" name="longitude" [class.is-invalid]="!!e['longitude']"
            [ngModel]="f.longitude()" (ngModelChange)="f.longitude.set($event === '' || $event === null ? null : +$event)" data-testid="camera-longitude" />
          @if (e['longitude']) { <div class="invalid-feedback">{{ e['longitude'] }}</div> }
        </div>
      </div>
      <div class="form-check form-switch">
        <input class="form-check-input" type="checkbox" role="switch" [id]="id + 'active'" [ngModel]="f.isActive()" (ngModelChange)="f.isActive.set($event)" />
        <label class="form-check-label" [for]="id + 'active'">Active (start monitoring when saved)</label>
      </div>
    } @else {
      <fieldset class="mb-3">
        <legend class="form-label fs-6">Source type</legend>
        <div class="d-flex flex-wrap gap-2">
          @for (k of kinds; track k.type) {
            <input type="radio" class="btn-check" [name]="id + 'stype'" [id]="id + 'st-' + k.type" [value]="k.type"
              [checked]="f.sourceType() === k.type" (change)="f.sourceType.set(k.type)" />
            <label class="btn btn-outline-primary btn-sm" [for]="id + 'st-' + k.type">{{ k.label }}</label>
          }
        </div>
      </fieldset>
      <div class="mb-3">
        <label class="form-label" [for]="id + 'url'">{{ kind().field }} <span aria-hidden="true">*</span></label>
        <input class="form-control font-monospace" [id]="id + 'url'" name="sourceUrl" maxlength="2048" autocomplete="off" spellcheck="false"
          [class.is-invalid]="!!e['sourceUrl']" [placeholder]="kind().placeholder" [attr.aria-describedby]="id + 'url-hint'"
          [ngModel]="f.sourceUrl()" (ngModelChange)="f.sourceUrl.set($event)" data-testid="field-source-url" />
        <div class="form-text" [id]="id + 'url-hint'">{{ kind().hint }}</div>
        @if (e['sourceUrl']) { <div class="invalid-feedback d-block" data-testid="error-source-url">{{ e['sourceUrl'] }}</div> }
      </div>
      @if (kind().credentials) {
        <div class="row g-2 mb-3">
          <div class="col-sm-6">
            <label class="form-label" [for]="id + 'user'">Username</label>
            <input class="form-control" [id]="id + 'user'" name="username" maxlength="128" autocomplete="off" [class.is-invalid]="!!e['username']"
              [ngModel]="f.username()" (ngModelChange)="f.username.set($event)" />
            @if (e['username']) { <div class="invalid-feedback">{{ e['username'] }}</div> }
          </div>
          <div class="col-sm-6">
            <label class="form-label" [for]="id + 'pass'">Password</label>
            <input class="form-control" type="password" [id]="id + 'pass'" name="password" maxlength="256" autocomplete="new-password"
              [class.is-invalid]="!!e['password']" [placeholder]="editing() ? 'unchanged' : ''" [ngModel]="f.password()" (ngModelChange)="f.password.set($event)" />
            @if (e['password']) { <div class="invalid-feedback">{{ e['password'] }}</div> }
          </div>
          <div class="form-text">Stored encrypted on the server and never shown again.</div>
        </div>
      }
      @if (f.sourceType() === 'rtsp') {
        <div class="mb-3">
          <label class="form-label" [for]="id + 'transport'">RTSP transport</label>
          <select class="form-select" [id]="id + 'transport'" [ngModel]="f.transport()" (ngModelChange)="f.transport.set($event)">
            <option value="tcp">TCP (reliable, recommended)</option>
            <option value="udp">UDP (lower latency)</option>
          </select>
        </div>
      }
      @if (f.sourceType() === 'file') {
        <div class="form-check mb-3">
          <input class="form-check-input" type="checkbox" [id]="id + 'loop'" [ngModel]="f.loop()" (ngModelChange)="f.loop.set($event)" />
          <label class="form-check-label" [for]="id + 'loop'">Play in a loop</label>
        </div>
      }
      <div class="row g-2">
        <div class="col-sm-4">
          <label class="form-label" [for]="id + 'fps'">Target FPS</label>
          <input class="form-control" type="number" min="0.1" max="30" step="0.5" [id]="id + 'fps'" [class.is-invalid]="!!e['targetFps']"
            [ngModel]="f.targetFps()" (ngModelChange)="f.targetFps.set($event === '' ? null : $event)" />
          @if (e['targetFps']) { <div class="invalid-feedback">{{ e['targetFps'] }}</div> }
        </div>
        <div class="col-sm-4">
          <label class="form-label" [for]="id + 'w'">Width (px)</label>
          <input class="form-control" type="number" min="160" max="7680" step="1" [id]="id + 'w'" placeholder="source" [class.is-invalid]="!!e['resolutionWidth']"
            [ngModel]="f.width()" (ngModelChange)="f.width.set($event === '' ? null : $event)" />
          @if (e['resolutionWidth']) { <div class="invalid-feedback">{{ e['resolutionWidth'] }}</div> }
        </div>
        <div class="col-sm-4">
          <label class="form-label" [for]="id + 'h'">Height (px)</label>
          <input class="form-control" type="number" min="90" max="4320" step="1" [id]="id + 'h'" placeholder="source" [class.is-invalid]="!!e['resolutionHeight']"
            [ngModel]="f.height()" (ngModelChange)="f.height.set($event === '' ? null : $event)" />
          @if (e['resolutionHeight']) { <div class="invalid-feedback">{{ e['resolutionHeight'] }}</div> }
        </div>
      </div>
    }
  `,
})
export class CameraFieldsComponent {
  readonly form = input.required<CameraForm>();
  readonly section = input.required<'basic' | 'connection'>();
  readonly errors = input<Record<string, string | undefined>>({});
  readonly editing = input(false);
  protected readonly kinds = SOURCE_KINDS;
  protected readonly id = `camf${++seq}-`;
  protected readonly kind = computed(() => sourceKind(this.form().sourceType()));
}
