// The 'menu' push: what the desktop's main process tells the renderer beside the engine's
// pushes. An application-menu command, the alert a desktop notification's click opens (its key:
// the renderer selects it in the Alerts view, as an Alertmanager or Grafana link opens the
// alert), or a link the app would not open (its host and why, so the operator is told where
// they clicked rather than nothing happening). The renderer checks each against this schema
// when it arrives and drops what does not fit.
import { z } from 'zod';

/** The application menu's commands (electron/desktop/menu.ts). */
export const MENU_COMMANDS = ['view.dashboard', 'view.alerts', 'view.explorer', 'view.settings', 'live.togglePause', 'theme.toggle'] as const;
export type MenuCommandName = (typeof MENU_COMMANDS)[number];

/**
 * Why the desktop app did not open a link (electron/desktop/navigation.ts): its host is not on
 * the allow-list (PAYOPS_EXTERNAL_HOSTS adds hosts), it is not https, it carries a login, it
 * names a port, or it is not a URL at all.
 */
export const LINK_REFUSALS = ['host', 'scheme', 'credentials', 'port', 'invalid'] as const;
export type LinkRefusal = (typeof LINK_REFUSALS)[number];

/** The environment variable that adds hosts to the desktop app's link allow-list. */
export const EXTERNAL_HOSTS_ENV = 'PAYOPS_EXTERNAL_HOSTS';

export const menuPushSchema = z.discriminatedUnion('command', [
  z.object({ command: z.enum(MENU_COMMANDS) }).strict(),
  // As long as the alerts requests take a key (shared/alertsApi.ts).
  z.object({ command: z.literal('alert.open'), key: z.string().min(1).max(400) }).strict(),
  // A host name (at most 253 characters), or "" when the link had none (not a URL).
  z.object({ command: z.literal('link.blocked'), host: z.string().max(253), reason: z.enum(LINK_REFUSALS) }).strict(),
]);
export type MenuPush = z.infer<typeof menuPushSchema>;
export type LinkBlocked = Extract<MenuPush, { command: 'link.blocked' }>;

/** `payload` as a menu push, or null when it is not one (the renderer acts on nothing else). */
export function parseMenuPush(payload: unknown): MenuPush | null {
  const parsed = menuPushSchema.safeParse(payload);
  return parsed.success ? parsed.data : null;
}
