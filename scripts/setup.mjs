#!/usr/bin/env node
// Brings the checkout to a runnable state before `npm test`, `npm start` and `npm run bench`:
//   node scripts/setup.mjs --for test|start|bench
//
// It checks, in this order, fixes what it may and otherwise stops with the exact command to run:
//   1. Node 20.19+ (package.json's engines). Never installed here: that is the user's choice.
//   2. The system tools the run needs: Java 17+ for the Firestore emulator; `jar` (from the JDK)
//      when scripts/emulator-env.mjs still has to build its wrapper jar around the Cloud SDK's
//      Firestore emulator; Chromium for the browser tier (tests/e2e, and the bench's console
//      section). When something is missing and we are root with apt-get (our machines, CI), it
//      is installed; otherwise the script exits at once, listing everything that is missing.
//   3. node_modules: installed with `npm ci` when missing or not what package-lock.json says.
// When everything is there it only reads a few files (no JVM, no npm): tens of milliseconds.
//
// Plain Node with no dependencies: it runs before node_modules exists.
// MW_SKIP_BROWSER=1 drops the Chromium check for `--for test` (scripts/test.mjs then leaves
// tests/e2e out and says so).
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const MIN_NODE = [20, 19];
const MIN_JAVA = 17;
// Keep in step with scripts/emulator-env.mjs: when this jar exists, that script builds a wrapper
// jar with the JDK's `jar` tool (once; it lives in .cache/ afterwards).
const SDK_FIRESTORE_JAR = '/usr/lib/google-cloud-sdk/platform/cloud-firestore-emulator/cloud-firestore-emulator.jar';
const WRAPPER_JAR = join(ROOT, '.cache', 'firestore-emulator', 'cloud-firestore-emulator-wrapper.jar');
// tests/support/browser.ts launches CHROMIUM_PATH, else this.
const DEFAULT_CHROMIUM = '/usr/bin/chromium';

const APT = {
  jre: 'openjdk-17-jre-headless',
  jdk: 'openjdk-17-jdk-headless', // the JRE plus `jar`
  chromium: 'chromium',
};

/** MW_SKIP_BROWSER=1 (or true/yes): run without Chromium and without the browser tier. */
export function browserSkipped(env = process.env) {
  return /^(1|true|yes)$/i.test(env.MW_SKIP_BROWSER ?? '');
}
export const BROWSER_SKIPPED_LINE = 'browser tier skipped (MW_SKIP_BROWSER=1): tests/e2e not run';

const say = (line) => console.log(`setup: ${line}`);

function isExecutableFile(path) {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Like `command -v`, without spawning a shell. */
function onPath(name) {
  const exts = process.platform === 'win32' ? ['.exe', '.cmd', ''] : [''];
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    for (const ext of exts) if (isExecutableFile(join(dir, name + ext))) return join(dir, name + ext);
  }
  return undefined;
}

function versionAtLeast(version, [major, minor]) {
  const [a, b] = version.split('.').map(Number);
  return a > major || (a === major && b >= minor);
}

/**
 * The Java version behind `java`. A JDK/JRE install has a `release` file next to `bin/`
 * (JAVA_VERSION="17.0.15"): reading it costs nothing, where `java -version` starts a JVM. Only
 * when there is no such file (macOS's /usr/bin/java stub, odd layouts) do we ask java itself.
 */
function javaVersion(javaBin) {
  try {
    const home = dirname(dirname(realpathSync(javaBin)));
    const m = /^JAVA_VERSION="([^"]+)"/m.exec(readFileSync(join(home, 'release'), 'utf8'));
    if (m) return m[1];
  } catch {
    // no release file: ask java
  }
  const r = spawnSync(javaBin, ['-version'], { encoding: 'utf8', timeout: 20_000 });
  return /version "([^"]+)"/.exec(`${r.stderr ?? ''}${r.stdout ?? ''}`)?.[1];
}

function javaMajor(version) {
  const [a, b] = version.split(/[.+_-]/).map(Number);
  return a === 1 ? b : a; // "1.8.0_392" is Java 8
}

/**
 * Is node_modules what package-lock.json describes? Returns undefined when it is, else why not.
 *
 * npm ci / npm install write node_modules/.package-lock.json (the "hidden lockfile"): the
 * lockfile's entries for exactly the packages they put on disk. We compare its entries with
 * package-lock.json's, by content, rather than comparing mtimes:
 *  - mtimes lie both ways: `git clone`/`checkout`/`stash` give package-lock.json the time of the
 *    checkout, so an unchanged lockfile looks newer than an install made before it (a needless
 *    minute of npm ci), and the two files are written by the same npm step ~40 ms apart, so
 *    their order is not something to rely on;
 *  - a content check also sees an install made by hand (`npm ci`, `npm install`), not only ours,
 *    so there is no stamp file of our own to keep in step.
 * Lockfile entries missing from the hidden one are fine when `optional` (npm skips optional
 * packages for other platforms, e.g. esbuild's 20-odd binaries). Every package the hidden
 * lockfile lists must still exist on disk (catches a deleted folder). ~10 ms for 1,100 packages.
 */
export function nodeModulesProblem(root = ROOT) {
  if (!existsSync(join(root, 'node_modules'))) return 'node_modules is missing';
  const hiddenPath = join(root, 'node_modules', '.package-lock.json');
  if (!existsSync(hiddenPath)) return 'node_modules was not installed by npm 7+ (no node_modules/.package-lock.json)';
  let want, have;
  try {
    want = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')).packages ?? {};
    have = JSON.parse(readFileSync(hiddenPath, 'utf8')).packages ?? {};
  } catch (e) {
    return `could not read the lockfiles (${e.message})`;
  }
  // The fields that say which code is on disk. `resolved` is left out for registry packages: a
  // mirror or registry override may rewrite it while the bytes (integrity) stay the same.
  const fingerprint = (e) =>
    JSON.stringify([
      e.version,
      e.integrity,
      e.link,
      e.link ? e.resolved : undefined,
      e.dependencies,
      e.devDependencies,
      e.optionalDependencies,
      e.peerDependencies,
    ]);
  for (const [key, entry] of Object.entries(want)) {
    if (key === '') continue; // the root project itself
    const got = have[key];
    if (!got) {
      if (entry.optional) continue;
      return `${key} is in package-lock.json but not installed`;
    }
    if (fingerprint(got) !== fingerprint(entry)) return `${key} differs from package-lock.json`;
  }
  for (const key of Object.keys(have)) {
    if (!(key in want)) return `${key} is installed but no longer in package-lock.json`;
    if (!existsSync(join(root, key))) return `${key} is listed as installed but its folder is gone`;
  }
  return undefined;
}

/** What the run needs from the system, and what is missing. */
function checkSystem(purpose) {
  const missing = []; // { what, why, apt?: package, manual?: command, hint?: how to do without }
  const found = {};

  // Java 17+, and `jar` when emulator-env.mjs still has to build its wrapper jar.
  const needsJar =
    !process.env.FIRESTORE_EMULATOR_BINARY_PATH && existsSync(SDK_FIRESTORE_JAR) && !existsSync(WRAPPER_JAR);
  const java = onPath('java');
  const version = java ? javaVersion(java) : undefined;
  const javaOk = version !== undefined && javaMajor(version) >= MIN_JAVA;
  if (!javaOk) {
    missing.push({
      what: java ? `Java ${MIN_JAVA}+ (found ${version ?? 'an unreadable version'} at ${java})` : `Java ${MIN_JAVA}+`,
      why: 'the Firestore emulator runs on it',
      apt: needsJar ? APT.jdk : APT.jre,
    });
  } else {
    found.java = version;
    if (needsJar && !onPath('jar')) {
      missing.push({
        what: '`jar` (from the JDK)',
        why: `scripts/emulator-env.mjs wraps ${SDK_FIRESTORE_JAR} with it`,
        apt: APT.jdk,
      });
    }
  }

  // Chromium, for the browser tier (tests/e2e) and the bench's console section.
  const benchSections = process.env.BENCH_ONLY?.split(',');
  const needsBrowser =
    purpose === 'test'
      ? !browserSkipped()
      : purpose === 'bench'
        ? !benchSections || benchSections.includes('console')
        : false;
  if (needsBrowser) {
    const custom = process.env.CHROMIUM_PATH;
    const elsewhere = onPath('chromium') ?? onPath('chromium-browser');
    const skipHint = purpose === 'test' ? 'MW_SKIP_BROWSER=1 npm test' : 'BENCH_ONLY=api,chat,relay npm run bench';
    if (custom) {
      if (isExecutableFile(custom)) found.chromium = custom;
      else
        missing.push({
          what: `Chromium at CHROMIUM_PATH=${custom}`,
          why: `no executable file there (unset it to use ${DEFAULT_CHROMIUM}, or point it at a Chromium binary)`,
          manual: 'unset CHROMIUM_PATH',
          hint: skipHint,
        });
    } else if (isExecutableFile(DEFAULT_CHROMIUM)) {
      found.chromium = DEFAULT_CHROMIUM;
    } else if (elsewhere) {
      missing.push({
        what: `Chromium at ${DEFAULT_CHROMIUM} (found ${elsewhere})`,
        why: `the browser tests launch ${DEFAULT_CHROMIUM} unless CHROMIUM_PATH says otherwise`,
        manual: `CHROMIUM_PATH=${elsewhere} npm ${purpose === 'test' ? 'test' : 'run bench'}`,
        hint: skipHint,
      });
    } else {
      missing.push({ what: 'Chromium', why: 'the browser tests drive it', apt: APT.chromium, hint: skipHint });
    }
  }
  return { missing, found, needsBrowser };
}

/** The apt packages for what is missing (the JDK includes the JRE: never both). */
function aptPackagesFor(missing) {
  const packages = [...new Set(missing.filter((m) => m.apt).map((m) => m.apt))];
  return packages.includes(APT.jdk) ? packages.filter((p) => p !== APT.jre) : packages;
}

function aptCommand(packages, sudo) {
  const s = sudo ? 'sudo ' : '';
  return `${s}apt-get update && ${s}apt-get install -y ${packages.join(' ')}`;
}

/** The exact thing to run for what we can't install ourselves. */
function manualInstructions(missing) {
  const lines = [];
  const aptPackages = aptPackagesFor(missing);
  if (aptPackages.length > 0) {
    if (onPath('apt-get')) {
      lines.push(`  run:  ${aptCommand(aptPackages, process.getuid?.() !== 0)}`);
    } else if (process.platform === 'darwin') {
      if (aptPackages.some((p) => p.startsWith('openjdk')))
        lines.push('  run:  brew install openjdk@17   (then put its bin/ first on PATH, as brew prints)');
      if (aptPackages.includes(APT.chromium))
        lines.push(
          '  run:  brew install --cask chromium && export CHROMIUM_PATH=/Applications/Chromium.app/Contents/MacOS/Chromium',
        );
    } else {
      if (aptPackages.some((p) => p.startsWith('openjdk')))
        lines.push(
          `  install a Java ${MIN_JAVA}+ JDK with your package manager (e.g. java-17-openjdk-devel) so that \`java\` and \`jar\` are on PATH`,
        );
      if (aptPackages.includes(APT.chromium))
        lines.push('  install Chromium with your package manager and set CHROMIUM_PATH to its binary');
    }
  }
  for (const m of missing) if (m.manual) lines.push(`  run:  ${m.manual}`);
  for (const hint of new Set(missing.map((m) => m.hint).filter(Boolean)))
    lines.push(`  or run without the browser:  ${hint}`);
  return lines;
}

function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit', ...options });
  return r.status === 0 && !r.error;
}

function fail(lines) {
  for (const line of lines) console.error(line);
  process.exit(1);
}

export function setup(purpose) {
  const t0 = performance.now();

  // 1. Node. Nothing else matters if this is wrong (and npm ci may not even work).
  const nodeVersion = process.versions.node;
  if (!versionAtLeast(nodeVersion, MIN_NODE)) {
    fail([
      `setup: Node ${MIN_NODE.join('.')}+ is needed; this is Node ${nodeVersion} (${process.execPath}).`,
      '  install Node 20.19+ or 22 (https://nodejs.org, or `nvm install 22`), then run the same command again',
    ]);
  }

  // 2. System tools: install them if we may, else stop now (before a minute of npm ci).
  let system = checkSystem(purpose);
  if (system.missing.length > 0) {
    const installable = system.missing.every((m) => m.apt);
    const canInstall = installable && process.getuid?.() === 0 && onPath('apt-get') !== undefined;
    if (!canInstall) {
      fail([
        `setup: can't ${purpose} yet, missing:`,
        ...system.missing.map((m) => `  - ${m.what}: ${m.why}`),
        ...manualInstructions(system.missing),
      ]);
    }
    const packages = aptPackagesFor(system.missing);
    for (const m of system.missing) say(`installing ${m.apt} for ${m.what} (${m.why})`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const t = performance.now();
    say('apt-get update -qq');
    if (!run('apt-get', ['update', '-qq'], { env })) fail(['setup: `apt-get update` failed (see above)']);
    say(`apt-get install -y -qq ${packages.join(' ')}`);
    if (!run('apt-get', ['install', '-y', '-qq', ...packages], { env }))
      fail([`setup: \`apt-get install ${packages.join(' ')}\` failed (see above)`]);
    say(`installed ${packages.join(', ')} in ${((performance.now() - t) / 1000).toFixed(0)} s`);
    system = checkSystem(purpose);
    if (system.missing.length > 0) {
      fail([
        'setup: still missing after apt-get install:',
        ...system.missing.map((m) => `  - ${m.what}: ${m.why}`),
        ...manualInstructions(system.missing),
      ]);
    }
  }

  // 3. npm dependencies.
  const stale = nodeModulesProblem();
  if (stale) {
    say(`${stale}: npm ci --no-audit --no-fund`);
    const t = performance.now();
    // Under `npm test`, npm_execpath is the npm that is running us: use the same one.
    const npmCli = process.env.npm_execpath;
    const ok = npmCli?.endsWith('.js')
      ? run(process.execPath, [npmCli, 'ci', '--no-audit', '--no-fund'])
      : run('npm', ['ci', '--no-audit', '--no-fund'], { shell: process.platform === 'win32' });
    if (!ok) fail(['setup: `npm ci --no-audit --no-fund` failed (see above); fix that and run the same command again']);
    say(`npm ci took ${((performance.now() - t) / 1000).toFixed(0)} s`);
    const still = nodeModulesProblem();
    if (still) say(`warning: after npm ci, ${still} (continuing; tell whoever owns scripts/setup.mjs)`);
  }

  const parts = [`Node ${nodeVersion}`, `Java ${system.found.java}`];
  if (system.needsBrowser) parts.push(`Chromium ${system.found.chromium}`);
  parts.push('node_modules matches package-lock.json');
  say(`ready to ${purpose} in ${Math.round(performance.now() - t0)} ms: ${parts.join(', ')}`);
  if (purpose === 'test' && browserSkipped()) say(BROWSER_SKIPPED_LINE);
}

const PURPOSES = ['test', 'start', 'bench'];
if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  const args = process.argv.slice(2);
  const i = args.findIndex((a) => a === '--for' || a.startsWith('--for='));
  const purpose = i < 0 ? undefined : args[i].startsWith('--for=') ? args[i].slice(6) : args[i + 1];
  if (!PURPOSES.includes(purpose)) {
    console.error(`usage: node scripts/setup.mjs --for ${PURPOSES.join('|')}`);
    process.exit(2);
  }
  setup(purpose);
}
