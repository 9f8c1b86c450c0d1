// The browser, proxy and scale-out tests drive real programs: headless Chromium, nginx, Redis and
// Valkey. Before the tests run, make sure they are here: CHROMIUM_PATH (or Debian's `chromium`),
// Debian's `nginx`, `redis-server` (or REDIS_SERVER_PATH) and `valkey-server` (or
// VALKEY_SERVER_PATH: Redis 7.2's commands, which Debian 12's Redis 7.0 lacks), installed when we
// may (root with apt-get), with one `apt-get update` for all.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

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
  {
    name: 'Valkey',
    package: 'valkey-server',
    // Debian 12 has it in its backports only; later releases in main.
    backports: 'bookworm',
    paths: [process.env.VALKEY_SERVER_PATH, '/usr/bin/valkey-server', '/usr/local/bin/valkey-server'],
  },
];

/** The Debian release this machine runs (VERSION_CODENAME), or null. */
function codename() {
  try {
    return /^VERSION_CODENAME=(\w+)/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? null;
  } catch {
    return null;
  }
}

/**
 * Debian's backports for `release`, as an apt source: a backport is installed only when asked
 * for by name (`package/release-backports`), so nothing else on the machine changes.
 */
function addBackports(release) {
  const sources = `/etc/apt/sources.list.d/${release}-backports.sources`;
  if (existsSync(sources)) return;
  writeFileSync(
    sources,
    `Types: deb\nURIs: http://deb.debian.org/debian\nSuites: ${release}-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n`,
  );
}

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
        )} (Debian/Ubuntu: sudo apt-get install -y ${missing.map((need) => need.package).join(' ')}), or set CHROMIUM_PATH / NGINX_PATH / REDIS_SERVER_PATH / VALKEY_SERVER_PATH.\n`,
    );
    process.exit(1);
  }
  const release = codename();
  const packages = missing.map((need) =>
    need.backports === release ? `${need.package}/${release}-backports` : need.package,
  );
  process.stdout.write(`Installing ${packages.join(' and ')} for the tests (apt-get install)...\n`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const need of missing) if (need.backports === release) addBackports(release);
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
