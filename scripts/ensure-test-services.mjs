// The browser, proxy and scale-out tests drive real programs: headless Chromium, nginx and Redis.
// Before the tests run, make sure they are here: CHROMIUM_PATH (or Debian's `chromium`), Debian's
// `nginx` and `redis-server` (or REDIS_SERVER_PATH), installed when we may (root with apt-get),
// with one `apt-get update` for all.
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';

const NEEDS = [
  {
    name: 'Chromium',
    package: 'chromium',
    paths: [
      process.env.CHROMIUM_PATH,
      '/usr/bin/chromium',
      '/usr/bin/chromium-browser',
      '/usr/bin/google-chrome',
    ],
  },
  { name: 'nginx', package: 'nginx', paths: [process.env.NGINX_PATH, '/usr/sbin/nginx', '/usr/bin/nginx'] },
  {
    name: 'Redis',
    package: 'redis-server',
    paths: [process.env.REDIS_SERVER_PATH, '/usr/bin/redis-server', '/usr/local/bin/redis-server'],
  },
];

const found = (need) => need.paths.find((path) => path && existsSync(path));
const missing = NEEDS.filter((need) => !found(need));

if (missing.length > 0) {
  const canInstall = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
  if (!canInstall) {
    process.stderr.write(
      `The tests need ${missing.map((need) => need.name).join(' and ')}: install ${missing
        .map((need) => need.package)
        .join(
          ' ',
        )} (Debian/Ubuntu: sudo apt-get install -y ${missing.map((need) => need.package).join(' ')}), or set CHROMIUM_PATH / NGINX_PATH / REDIS_SERVER_PATH.\n`,
    );
    process.exit(1);
  }
  const packages = missing.map((need) => need.package);
  process.stdout.write(`Installing ${packages.join(' and ')} for the tests (apt-get install)...\n`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  // Packages must not start services (nginx's would take port 80, Redis's 6379): the tests start
  // their own.
  const policy = '/usr/sbin/policy-rc.d';
  const ownPolicy = !existsSync(policy);
  if (ownPolicy) writeFileSync(policy, '#!/bin/sh\nexit 101\n', { mode: 0o755 });
  try {
    execFileSync('apt-get', ['install', '-y', '-qq', ...packages], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env,
    });
  } finally {
    if (ownPolicy) rmSync(policy, { force: true });
  }
  for (const need of missing) {
    if (!found(need)) {
      process.stderr.write(`apt-get finished but no ${need.name} was found.\n`);
      process.exit(1);
    }
  }
}
