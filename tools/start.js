// `npm start`: installs and builds when needed, then opens the desktop app. Where no Electron
// binary is available it says so in one line and opens the same console through the loopback
// web host instead. With no reachable broker it starts the clearly labelled demo mode.
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { ROOT, ensureDependencies, ensureBuilt } = require('./ensureSetup');

const args = process.argv.slice(2);
const amqpUrl = process.env.PAYOPS_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

function electronBinary() {
  try {
    const pathFile = path.join(ROOT, 'node_modules', 'electron', 'path.txt');
    const bin = path.join(ROOT, 'node_modules', 'electron', 'dist', fs.readFileSync(pathFile, 'utf8').trim());
    return fs.existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

function brokerReachable(url) {
  return new Promise((resolve) => {
    let host = '127.0.0.1';
    let port = 5672;
    try {
      const u = new URL(url);
      host = u.hostname;
      port = Number(u.port || (u.protocol === 'amqps:' ? 5671 : 5672));
    } catch {
      resolve(false);
      return;
    }
    const socket = net.connect({ host, port, timeout: 1500 }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
    socket.on('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

async function main() {
  ensureDependencies();
  ensureBuilt();
  const demo = args.includes('--demo') || !(await brokerReachable(amqpUrl));
  const electron = electronBinary();
  if (electron && (process.env.DISPLAY || process.env.WAYLAND_DISPLAY || process.platform !== 'linux')) {
    const child = spawn(electron, [ROOT, ...(demo ? ['--demo'] : [])], { stdio: 'inherit' });
    child.on('exit', (code) => process.exit(code ?? 0));
    return;
  }
  console.log(electron
    ? 'No display for the desktop app here: opening the same console through the loopback web host.'
    : 'No Electron binary here (installed with ELECTRON_SKIP_BINARY_DOWNLOAD or offline): opening the same console through the loopback web host.');
  const serveArgs = [path.join(ROOT, 'bin', 'payops.js'), 'serve', '--port', process.env.PAYOPS_PORT ?? '0'];
  if (demo) {
    console.log(`No broker reachable at ${amqpUrl.replace(/:[^:@/]*@/, ':***@')}: starting in DEMO mode (built-in simulator, clearly labelled).`);
    serveArgs.push('--demo');
  }
  // The URL (and its password) goes through the environment, never the command line (ps).
  const env = { ...process.env, PAYOPS_AMQP_URL: demo ? '' : amqpUrl };
  const child = spawn(process.execPath, [...serveArgs, ...args.filter((a) => a !== '--demo')], { stdio: 'inherit', env });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code) => process.exit(code ?? 0));
}

main().catch((err) => {
  console.error(`payops start: ${err.message}`);
  process.exit(1);
});
