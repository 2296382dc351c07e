// The application menu as data. main.ts turns it into a Menu; commands for the renderer are
// sent as a 'menu' push on the push channel.
import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommandName } from '../../shared/menuPush';

/** A menu item's command, one of the 'menu' push's (shared/menuPush.ts). */
export type MenuCommand = MenuCommandName;

export interface MenuOptions {
  appName: string;
  isMac: boolean;
  /** Development build: Reload and DevTools are offered. */
  isDev: boolean;
  send(command: MenuCommand): void;
}

export function buildMenuTemplate(o: MenuOptions): MenuItemConstructorOptions[] {
  const cmd = (label: string, command: MenuCommand, accelerator?: string): MenuItemConstructorOptions => ({
    label,
    ...(accelerator ? { accelerator } : {}),
    click: () => o.send(command),
  });
  const template: MenuItemConstructorOptions[] = [];
  if (o.isMac) {
    template.push({
      label: o.appName,
      submenu: [
        { role: 'about' },
        { type: 'separator' },
        cmd('Settings…', 'view.settings', 'Cmd+,'),
        { type: 'separator' },
        { role: 'services' },
        { type: 'separator' },
        { role: 'hide' },
        { role: 'hideOthers' },
        { role: 'unhide' },
        { type: 'separator' },
        { role: 'quit' },
      ],
    });
  }
  template.push({ label: '&File', submenu: [o.isMac ? { role: 'close' } : { role: 'quit' }] });
  template.push({
    label: '&Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'selectAll' },
    ],
  });
  const view: MenuItemConstructorOptions[] = [
    cmd('Dashboard', 'view.dashboard', 'CmdOrCtrl+1'),
    cmd('Alerts', 'view.alerts', 'CmdOrCtrl+2'),
    cmd('Explorer', 'view.explorer', 'CmdOrCtrl+3'),
    cmd('Settings', 'view.settings', 'CmdOrCtrl+4'),
    { type: 'separator' },
    cmd('Pause / Resume Live View', 'live.togglePause', 'CmdOrCtrl+P'),
    cmd('Toggle Theme', 'theme.toggle', 'CmdOrCtrl+Shift+L'),
    { type: 'separator' },
    { role: 'resetZoom' },
    { role: 'zoomIn' },
    { role: 'zoomOut' },
    { type: 'separator' },
    { role: 'togglefullscreen' },
  ];
  if (o.isDev) {
    view.push({ type: 'separator' }, { role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' });
  }
  template.push({ label: '&View', submenu: view });
  template.push({ label: '&Window', submenu: o.isMac ? [{ role: 'minimize' }, { role: 'zoom' }, { type: 'separator' }, { role: 'front' }] : [{ role: 'minimize' }, { role: 'close' }] });
  return template;
}
