import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type BoardCase, type BoardResult, launchChromium, runBoard } from './board.js';
import { VIEWPORT } from './board-scene.js';
import { type ExcalidrawBoardResult, runExcalidrawBoard } from './excalidraw-board.js';
import { runTraffic, type TrafficLoad, type TrafficResult } from './loadgen.js';
import { type ColdLoadResult, type IdleResult, runColdLoad, runIdle } from './scenarios.js';
import { SERVERS, type ServerSpec, startServer } from './servers.js';
import { median } from './stats.js';

const USAGE = `Usage: pnpm bench [options]
  --runs <n>        runs of each load and server; figures are medians (default 1)
  --duration <ms>   sending time of each traffic run (default 10000)
  --generators <n>  processes the traffic generator runs as (default 2)
  --loads <list>    loads to run, e.g. 1,2,3a,3b,3c,4,5,board (default all)
  --servers <list>  servers to run (default all: ${SERVERS.map((s) => s.name).join(', ')})
  --quick           short runs and a small cold load, to check the harness
  --update-readme   write the summary into README.md's performance section
`;

const TRAFFIC: Record<string, TrafficLoad & { title: string }> = {
  '1': {
    name: 'l1',
    title: 'Load 1: 1 room × 50 clients, 5 senders at 20/s',
    rooms: 1,
    clientsPerRoom: 50,
    sendersPerRoom: 5,
    rate: 20,
  },
  '2': {
    name: 'l2',
    title: 'Load 2: 100 rooms × 10 clients, 2 senders each at 10/s',
    rooms: 100,
    clientsPerRoom: 10,
    sendersPerRoom: 2,
    rate: 10,
  },
  '3a': {
    name: 'l3a',
    title: 'Load 3: 1 room × 200 clients, all sending at 1/s',
    rooms: 1,
    clientsPerRoom: 200,
    sendersPerRoom: 200,
    rate: 1,
  },
  '3b': {
    name: 'l3b',
    title: 'Load 3: 1 room × 200 clients, all sending at 2/s',
    rooms: 1,
    clientsPerRoom: 200,
    sendersPerRoom: 200,
    rate: 2,
  },
  '3c': {
    name: 'l3c',
    title: 'Load 3: 1 room × 200 clients, all sending at 5/s',
    rooms: 1,
    clientsPerRoom: 200,
    sendersPerRoom: 200,
    rate: 5,
  },
};

function parse() {
  try {
    const { values } = parseArgs({
      options: {
        runs: { type: 'string', default: '1' },
        duration: { type: 'string', default: '10000' },
        generators: { type: 'string', default: '2' },
        loads: { type: 'string', default: '1,2,3a,3b,3c,4,5,board' },
        servers: { type: 'string', default: SERVERS.map((s) => s.name).join(',') },
        quick: { type: 'boolean', default: false },
        'update-readme': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    if (values.help) {
      process.stdout.write(USAGE);
      process.exit(0);
    }
    const servers = values.servers.split(',').map((name) => {
      const spec = SERVERS.find((s) => s.name === name);
      if (!spec) throw new Error(`unknown server ${name}`);
      return spec;
    });
    const loads = values.loads.split(',');
    for (const load of loads)
      if (!TRAFFIC[load] && !['4', '5', 'board'].includes(load)) throw new Error(`unknown load ${load}`);
    const runs = Number(values.runs);
    const duration = Number(values.duration);
    if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs takes a whole number >= 1');
    if (!Number.isFinite(duration) || duration < 500) throw new Error('--duration takes milliseconds >= 500');
    const generators = Number(values.generators);
    if (!Number.isInteger(generators) || generators < 1)
      throw new Error('--generators takes a whole number >= 1');
    return {
      runs,
      duration: values.quick ? 3000 : duration,
      generators,
      loads,
      servers,
      quick: values.quick,
      updateReadme: values['update-readme'],
    };
  } catch (error) {
    process.stderr.write(`bench: ${(error as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
}

const fmt = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '–');
const log = (line: string) => process.stderr.write(`${line}\n`);

type Median<T> = { [K in keyof T]: T[K] extends number ? number : T[K] extends object ? Median<T[K]> : T[K] };

function medianOf<T>(runs: T[]): Median<T> {
  const first = runs[0] as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(first)) {
    if (typeof value === 'number') out[key] = median(runs.map((r) => (r as Record<string, number>)[key]!));
    else if (Array.isArray(value))
      out[key] = value.map((_, i) => medianOf(runs.map((r) => (r as Record<string, unknown[]>)[key]![i])));
    else if (value && typeof value === 'object')
      out[key] = medianOf(runs.map((r) => (r as Record<string, object>)[key]!));
    // Text fields (correctness) keep the worst: anything but 'ok' wins.
    else out[key] = runs.map((r) => (r as Record<string, unknown>)[key]).find((v) => v !== 'ok') ?? value;
  }
  return out as Median<T>;
}

function ratioLine(metric: string, ours: number, theirs: number): string {
  return `${metric} ${Number.isFinite(ours / theirs) ? (ours / theirs).toFixed(2) : '–'}×`;
}

/** Animation frames each board view is panned and zoomed for. */
const BOARD_FRAMES = 240;

async function main() {
  const options = parse();
  const startedAt = new Date();
  const report: Record<string, unknown> = {
    startedAt: startedAt.toISOString(),
    machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version },
    options: { ...options, servers: options.servers.map((spec) => spec.name) },
    results: {},
  };
  const results = report.results as Record<string, Record<string, unknown>>;
  const md: string[] = [];

  for (const loadKey of options.loads) {
    if (loadKey === 'board') {
      const cases: BoardCase[] = options.quick
        ? [
            { strokes: 1000, scene: 'walk', zooms: [0.25] },
            { strokes: 5000, scene: 'walk', zooms: [0.25, 2] },
          ]
        : [
            { strokes: 1000, scene: 'walk', zooms: [0.25] },
            { strokes: 10_000, scene: 'walk', zooms: [0.25, 2] },
            { strokes: 50_000, scene: 'walk', zooms: [0.25, 2] },
            { strokes: 50_000, scene: 'grid', zooms: [1] },
          ];
      log('\n== Board: headless Chromium');
      const runs: BoardResult[] = [];
      for (let run = 0; run < options.runs; run++) {
        const server = await startServer(SERVERS.find((s) => s.name === 'inkroom')!);
        try {
          runs.push(await runBoard(server, cases, BOARD_FRAMES, log));
        } finally {
          await server.dispose();
        }
      }
      // Excalidraw on the same scenes, where it can run (up to 10,000 strokes), in the same run.
      const peerCases = cases.filter((c) => c.scene === 'walk' && c.strokes <= 10_000);
      const peerRuns: ExcalidrawBoardResult[][] = [];
      for (let run = 0; run < options.runs; run++) {
        const browser = await launchChromium();
        try {
          const results: ExcalidrawBoardResult[] = [];
          for (const c of peerCases) {
            const result = await runExcalidrawBoard(
              browser,
              c.strokes,
              c.zooms.map((zoom) => ({ zoom })),
              BOARD_FRAMES,
            );
            log(`   excalidraw ${c.strokes}: ${JSON.stringify(result)}`);
            results.push(result);
          }
          peerRuns.push(results);
        } finally {
          await browser.close();
        }
      }
      const peerMedians = peerCases.map((_, i) => medianOf(peerRuns.map((r) => r[i]!)));
      const peerOf = (strokes: number) => peerMedians.find((m) => m.strokes === strokes);
      const sizeMedians = cases.map((_, i) => medianOf(runs.map((r) => r.sizes[i]!)));
      const latency = medianOf(runs.map((r) => r.strokeLatencyMs));
      results.board = {
        runs,
        excalidraw: peerRuns,
        median: { sizes: sizeMedians, strokeLatencyMs: latency, excalidraw: peerMedians },
      };
      md.push(
        `**Board in headless Chromium** (${VIEWPORT.width}×${VIEWPORT.height}; pen strokes of 50 points, about 250 px long, widths 2–8, over 5000×5000 board px, each drawn on top of the last; opened looked at as the row's first zoom, as Excalidraw is; the camera moving in a figure eight and zooming ±15 % every frame for ${BOARD_FRAMES} frames; median of ${options.runs}; the grid row is the old sparse scene of short strokes; times from navigation start)`,
        '',
        '| strokes | zoom | in view | frame p50 / p95 ms | Excalidraw frame p50 / p95 ms | complete frames | scene paint p50 / p95 ms | opening: strokes shown / all painted ms (Excalidraw all) | longest task opening / while arriving ms (Excalidraw) | JS heap MiB per 10k | ink: move to frame p95 ms, late |',
        '|---|---|---|---|---|---|---|---|---|---|---|',
      );
      for (const m of sizeMedians) {
        const peer = m.scene === 'walk' ? peerOf(m.strokes) : undefined;
        for (const [i, view] of m.views.entries()) {
          const first = i === 0;
          const peerView = peer?.views.find((v) => v.zoom === view.zoom);
          md.push(
            `| ${m.strokes.toLocaleString('en')}${m.scene === 'grid' ? ' (grid)' : ''} | ${view.zoom * 100} % | ${view.inView >= 0 ? view.inView.toLocaleString('en') : '–'} | ${fmt(view.frameMs.p50)} / ${fmt(view.frameMs.p95)} | ${peerView ? `${fmt(peerView.frameMs.p50)} / ${fmt(peerView.frameMs.p95)}` : '–'} | ${fmt(view.completeFrames * 100, 0)} % | ${fmt(view.paintMs.p50)} / ${fmt(view.paintMs.p95)} | ${first ? `${fmt(m.load.firstStrokesMs, 0)} / ${fmt(m.load.loadedMs, 0)} (${peer ? fmt(peer.firstPaintMs, 0) : '–'})` : ''} | ${first ? `${fmt(m.load.longestTaskMs, 0)} / ${fmt(m.load.longestLoadingTaskMs, 0)} (${peer ? fmt(peer.longestTaskMs, 0) : '–'})` : ''} | ${first ? fmt((m.heapMB * 10_000) / m.strokes, 1) : ''} | ${first ? `${fmt(m.ink.p95)}, ${m.ink.late}/${m.ink.moves}` : ''} |`,
          );
        }
      }
      md.push(
        '',
        `Stroke latency, pointer up in one page to painted in another: p50 ${fmt(latency.p50)} ms, p95 ${fmt(latency.p95)} ms.`,
        '',
      );
      continue;
    }
    const traffic = TRAFFIC[loadKey];
    // Idle connections are counted at 10,000 (1,000 rooms of 10), 2,000 with --quick.
    const idleRooms = options.quick ? 200 : 1000;
    const title =
      traffic?.title ??
      (loadKey === '4'
        ? `Load 4: ${(idleRooms * 10).toLocaleString('en')} idle clients across ${idleRooms.toLocaleString('en')} rooms`
        : '');
    const strokes = options.quick ? 1000 : 10_000;
    const coldTitle = `Load 5: cold load of ${strokes.toLocaleString('en')} strokes × 50 points`;
    log(`\n== ${traffic ? title : loadKey === '4' ? title : coldTitle}`);
    const perServer = new Map<ServerSpec, unknown[]>();
    for (let run = 0; run < options.runs; run++) {
      for (const spec of options.servers) {
        if (loadKey === '5' && !spec.persistent) continue;
        if (spec.loads && !spec.loads.includes(loadKey)) continue;
        const server = await startServer(spec);
        let current = server;
        try {
          let result: unknown;
          if (traffic) result = await runTraffic(server, traffic, options.duration, options.generators);
          else if (loadKey === '4') result = await runIdle(server, idleRooms, 10);
          else {
            const cold = await runColdLoad(server, strokes, 50);
            current = cold.server;
            result = cold.result;
          }
          log(`   ${spec.name} run ${run + 1}: ${JSON.stringify(result)}`);
          perServer.set(spec, [...(perServer.get(spec) ?? []), result]);
        } finally {
          await current.dispose();
        }
      }
    }
    const medians = new Map([...perServer].map(([spec, runs]) => [spec.name, medianOf(runs as never[])]));
    results[loadKey] = Object.fromEntries(
      [...perServer].map(([spec, runs]) => [spec.name, { runs, median: medians.get(spec.name) }]),
    );
    const ink = medians.get('inkroom') as unknown;
    if (traffic) {
      md.push(
        `**${title}** (${options.duration / 1000} s, median of ${options.runs}, the generator in ${options.generators} process${options.generators > 1 ? 'es' : ''})`,
        '',
      );
      md.push(
        '| server | sent/s | delivered/s | delivered | p50 ms | p95 ms | p99 ms | max ms | server CPU % | peak RSS MB | late joiner |',
      );
      md.push('|---|---|---|---|---|---|---|---|---|---|---|');
      for (const [name, m] of medians as Map<string, Median<TrafficResult>>) {
        const flag = m.generatorLimited ? ' (generator-limited)' : '';
        md.push(
          `| ${name}${flag} | ${fmt(m.sentPerSec, 0)} | ${fmt(m.deliveredPerSec, 0)} | ${fmt(m.deliveryRatio * 100, 1)} % | ${fmt(m.latencyMs.p50)} | ${fmt(m.latencyMs.p95)} | ${fmt(m.latencyMs.p99)} | ${fmt(m.latencyMs.max)} | ${fmt(m.serverCpuPercent, 0)} | ${fmt(m.serverPeakRssMB, 0)} | ${m.lateJoiner} |`,
        );
      }
      for (const [name, m] of medians as Map<string, Median<TrafficResult>>) {
        const processes = Object.entries(m.processCpuPercent);
        if (processes.length < 2) continue;
        md.push(
          '',
          `${name}: CPU per process ${processes.map(([process, percent]) => `${process} ${fmt(percent, 0)} %`).join(', ')}.${
            ink
              ? ` Against one Inkroom process on LevelDB: ${ratioLine('delivered/s', m.deliveredPerSec, (ink as Median<TrafficResult>).deliveredPerSec)}, ${ratioLine('p50', m.latencyMs.p50, (ink as Median<TrafficResult>).latencyMs.p50)}, ${ratioLine('p99', m.latencyMs.p99, (ink as Median<TrafficResult>).latencyMs.p99)}, ${ratioLine('CPU', m.serverCpuPercent, (ink as Median<TrafficResult>).serverCpuPercent)}`
              : ''
          }`,
        );
      }
      if (ink) {
        const i = ink as Median<TrafficResult>;
        for (const [name, m] of medians as Map<string, Median<TrafficResult>>) {
          if (name === 'inkroom' || (m.processCpuPercent && Object.keys(m.processCpuPercent).length > 1))
            continue;
          md.push(
            '',
            `Inkroom / ${name}: ${ratioLine('CPU', i.serverCpuPercent, m.serverCpuPercent)}, ${ratioLine('p99', i.latencyMs.p99, m.latencyMs.p99)}, ${ratioLine('peak RSS', i.serverPeakRssMB, m.serverPeakRssMB)}`,
          );
        }
      }
    } else if (loadKey === '4') {
      md.push(
        `**${title}** (median of ${options.runs})`,
        '',
        '| server | connections | RSS before MB | RSS after MB | KB per connection |',
        '|---|---|---|---|---|',
      );
      for (const [name, m] of medians as Map<string, Median<IdleResult>>) {
        md.push(
          `| ${name} | ${m.connections} | ${fmt(m.rssBeforeMB)} | ${fmt(m.rssAfterMB)} | ${fmt(m.bytesPerConnection / 1024)} |`,
        );
      }
    } else {
      md.push(
        `**${coldTitle}** (median of ${options.runs})`,
        '',
        '| server | load ms | RSS after MB | disk MB | complete |',
        '|---|---|---|---|---|',
      );
      for (const [name, m] of medians as Map<string, Median<ColdLoadResult>>) {
        md.push(
          `| ${name} | ${fmt(m.loadMs, 0)} | ${fmt(m.serverRssAfterMB)} | ${fmt(m.diskBytes / 2 ** 20, 2)} | ${m.lateJoiner} |`,
        );
      }
    }
    md.push('');
  }

  const summary = md.join('\n');
  process.stdout.write(`\n${summary}\n`);
  const resultsDir = fileURLToPath(new URL('../results/', import.meta.url));
  await mkdir(resultsDir, { recursive: true });
  const file = `${resultsDir}${startedAt.toISOString().replace(/[:.]/g, '-')}.json`;
  await writeFile(file, `${JSON.stringify({ ...report, summary }, null, 2)}\n`);
  log(`results saved to ${file}`);
  if (options.updateReadme) {
    const readmePath = fileURLToPath(new URL('../../README.md', import.meta.url));
    const readme = await readFile(readmePath, 'utf8');
    const begin = '<!-- bench:begin -->';
    const end = '<!-- bench:end -->';
    if (!readme.includes(begin) || !readme.includes(end)) throw new Error('README.md has no bench markers');
    const stamp = `Measured ${startedAt.toISOString().slice(0, 10)} on ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}.`;
    const updated = `${readme.slice(0, readme.indexOf(begin) + begin.length)}\n${stamp}\n\n${summary}\n${readme.slice(readme.indexOf(end))}`;
    await writeFile(readmePath, updated);
    log('README.md performance section updated');
  }
}

await main();
