import type { Alert, AlertEvent } from '@crowdsafe/contracts';
import type { AuthUser } from './access';

/** The alert engine's model (@crowdsafe/alerting), defined once in the contracts. */
export type EngineAlert = Alert;
export type EngineAlertEvent = AlertEvent;

export interface AlertEventContext {
  /**
   * Lazily renders the annotated JPEG (boxes, track ids, ROI/zones) of the frame that was current when the event was
   * produced; null when there is none (no frame processed yet). Called at most once, only when a snapshot is saved.
   */
  snapshot?: () => Promise<Buffer | null>;
  /** Users-table id of the person who acknowledged/resolved (null/absent: system or unauthenticated). */
  actorId?: string | null;
}

/**
 * Where a camera's alert engine sends its events (implemented by libs/server/alerts: persist, snapshot, WebSocket
 * `alert`, notifications). `handle` never throws and never blocks the caller: the camera pipeline goes on whatever
 * the database or the notifier do. The returned promise settles once the event is persisted and published (for
 * callers that answer a request with the result, e.g. acknowledge).
 */
export abstract class AlertEventSink {
  abstract handle(event: EngineAlertEvent, context?: AlertEventContext): Promise<void>;
}

/** Result of an operator command on an alert (WebSocket ack / REST). */
export type AlertCommandResult =
  | { ok: true; alertId: string }
  | { ok: false; status: 400 | 404 | 409 | 503; error: string };

/** Acknowledge / resolve requests (implemented by libs/server/alerts; used by the WebSocket gateway). */
export abstract class AlertCommands {
  abstract acknowledge(alertId: string, user: AuthUser | undefined, notes?: string): Promise<AlertCommandResult>;
  abstract resolve(alertId: string, user: AuthUser | undefined, notes?: string): Promise<AlertCommandResult>;
}

/**
 * Where the WebSocket gateway finds the alert commands. The commands depend (through the cameras and the ClusterBus)
 * on the gateway itself, so neither can take the other in its constructor: the realtime module provides this empty
 * slot (no dependencies), the alerts module fills it when it initialises, and the gateway reads it per command. A
 * process without the alerts module leaves it empty (the gateway answers "not available").
 */
export class AlertCommandsSlot {
  private commands: AlertCommands | null = null;

  /** Called once by the module that provides the commands. */
  fill(commands: AlertCommands): void {
    this.commands = commands;
  }

  get(): AlertCommands | null {
    return this.commands;
  }
}
