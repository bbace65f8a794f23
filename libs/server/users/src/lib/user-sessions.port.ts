/**
 * What the users feature needs from the session layer (implemented by libs/server/auth's SessionService and
 * provided globally by AuthModule): end every session of a user whose role, status or password changed.
 */
export abstract class UserSessionRevoker {
  abstract revokeUser(userId: string, reason: string): Promise<void>;
  /** Updates the must-change-password flag carried by the user's live sessions. */
  abstract setMustChangePassword(userId: string, value: boolean): Promise<void>;
}
