#!/usr/bin/env node
/**
 * `npm test`: the two jest projects of jest.config.js at once, each in a jest
 * process of its own: `suite` on two workers, its report shown as it runs;
 * `heavy` one file at a time, its report shown when it has finished. Arguments
 * go to both (`npm test -- test/e2e/faults.test.ts` runs that file in the
 * project it belongs to). Fails if either fails.
 */
import { spawn } from 'node:child_process';
import { setPriority } from 'node:os';

const SUITE_NICENESS = 5;
/** Storms at full scale on a slow, loaded machine, with 503s sent again after Retry-After: minutes, not seconds. */
const HEAVY_TEST_TIMEOUT_MS = 180_000;

const args = process.argv.slice(2);
// Every DynamoDB Local the tests start (and the `npm start` they run) compiles with the JIT's first tier only: its runs
// are seconds to minutes, which never repay the second tier's compiling. Measured here: half the CPU to start, a third
// to a half less for the same requests (docs/performance.md). `npm start` and the bench keep the JVM's default.
process.env.JDK_JAVA_OPTIONS = [process.env.JDK_JAVA_OPTIONS, '-XX:TieredStopAtLevel=1'].filter(Boolean).join(' ');
const jest = (project, extra, stdio) =>
  spawn(process.execPath, ['node_modules/jest/bin/jest.js', '--selectProjects', project, '--passWithNoTests', ...extra, ...args], {
    stdio,
    env: process.env,
  });

const started = Date.now();
const heavy = jest('heavy', ['--runInBand', `--testTimeout=${HEAVY_TEST_TIMEOUT_MS}`], ['ignore', 'pipe', 'pipe']);
let heavyReport = '';
heavy.stdout.on('data', (d) => (heavyReport += d));
heavy.stderr.on('data', (d) => (heavyReport += d));
const exitOf = (child) => new Promise((done) => child.once('exit', (code, signal) => done(signal ? 1 : code ?? 1)));
const heavyExit = exitOf(heavy);
const suite = jest('suite', [], 'inherit');
// The heavy files are the longer chain and cannot share out their work: the suite (and all it starts) yields the cores
// to them when both want them, and takes what they leave (they wait on their database much of the time).
setPriority(suite.pid, SUITE_NICENESS);
const suiteExit = exitOf(suite);

// Ctrl-C reaches both jest processes through the process group; nothing to forward.
const suiteCode = await suiteExit;
const heavyCode = await heavyExit;
process.stderr.write(`\n---- heavy tests (one at a time, each with its own DynamoDB Local) ----\n${heavyReport}`);
const seconds = Math.round((Date.now() - started) / 1000);
process.stderr.write(`\nnpm test: suite ${suiteCode === 0 ? 'passed' : 'FAILED'}, heavy ${heavyCode === 0 ? 'passed' : 'FAILED'} (${seconds} s)\n`);
process.exit(suiteCode || heavyCode);
