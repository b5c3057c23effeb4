/**
 * Sequence mode of the live digit page in a real Chromium (Debian's /usr/bin/chromium, driven by
 * playwright-core), with the lab's own recogniser (lab/models/recognizer.json): FSDD test
 * utterances of one speaker joined into a number go in through Chromium's fake microphone, which
 * loops a 48 kHz WAV made here; the page must show partial digits while the number is spoken and
 * the whole number once the speaker pauses. A dropped multi-digit WAV must show each digit with
 * its times, as Node decodes them; the single-digit mode must still answer after a switch back.
 *
 * The recordings are chosen in Node first (ConnectedDigits decodes them right as files and as a
 * simulated microphone stream), so a failure here is the page's, not the model's.
 *
 * Needs `npm run build` (lab/dist/web) and Chromium; SPEECHCORE_CHROMIUM overrides the executable.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { sharedDir } from './helpers/shared.ts';
import { afterOperation, dropFile, guardedContext, openPage } from './helpers/browser.ts';
import { ConnectedDigits, decodeWav, encodeWav, Recognizer, resample, type DigitsResult } from '../bindings/index.ts';
import { startServer, type RunningServer } from '../lab/src/serve/server.ts';

const CHROMIUM = process.env.SPEECHCORE_CHROMIUM ?? '/usr/bin/chromium';
const WEB_ROOT = fileURLToPath(new URL('../lab/dist/web/', import.meta.url));
const MODEL = fileURLToPath(new URL('../lab/models/recognizer.json', import.meta.url));
const RECORDINGS = join(sharedDir, 'data/fsdd/recordings');
/** FSDD's test split of the lab: indices 0–4 of every speaker (fsdd-split.json). */
const SPEAKERS = ['george', 'jackson', 'lucas', 'nicolas', 'theo', 'yweweler'];
const BASE_FLAGS = ['--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-default-apps'];
/** The page's defaults (app.ts): the pause that ends an utterance, the quiet that ends a recording. */
const PAGE_ENDPOINT_S = 0.5;
const PAGE_PAUSE_S = 2;
/** What the fake microphone speaks, and a different number for the file drop. */
const SPOKEN = '40729';
const DROPPED = '8316';
const GAP_S = 0.3;

const tmp = mkdtempSync(join(tmpdir(), 'speechcore-digits-'));
const S = suite('browser: sequence mode of the live page');
const timings: Record<string, string> = {};
let server: RunningServer;
let browser: Browser;
let decoder: ConnectedDigits;
let recognizer: Recognizer;
let micWav: string;
let micName = '';
let drop8k: { name: string; bytes: Uint8Array; want: DigitsResult };
let single: { name: string; bytes: Buffer; digit: number };

/** `digits` of `speaker`'s take `index`, joined with GAP_S of silence and `lead`/`tail` s of it around, at 8 kHz. */
function joined(digits: string, speaker: string, index: number, lead: number, tail: number): Float32Array {
  const parts = [...digits].map((d) => decodeWav(readFileSync(join(RECORDINGS, `${d}_${speaker}_${index}.wav`))).samples);
  const gap = Math.round(GAP_S * 8000);
  const y = new Float32Array(Math.round((lead + tail) * 8000) + parts.reduce((n, p) => n + p.length, 0) + gap * (parts.length - 1));
  let o = Math.round(lead * 8000);
  for (const p of parts) { y.set(p, o); o += p.length + gap; }
  return y;
}

/** The page's microphone path simulated: 2048-sample blocks at `rate` into a digit stream. */
function streamed(y48: Float32Array, rate: number): { finals: string[]; partialsBeforeFinal: string[] } {
  const x = rate === 48000 ? y48 : resample(y48, { origSr: 48000, targetSr: rate, resType: 'kaiser_best' });
  const s = decoder.stream({ sampleRate: rate, endpoint: PAGE_ENDPOINT_S });
  const finals: string[] = [], partials = new Set<string>();
  for (let i = 0; i < x.length; i += 2048) {
    const u = s.push(x.subarray(i, i + 2048));
    finals.push(...u.finals.map((f) => f.digits).filter((d) => d));
    if (!finals.length && u.partial.digits) partials.add(u.partial.digits);
  }
  finals.push(...s.flush().map((f) => f.digits).filter((d) => d));
  return { finals, partialsBeforeFinal: [...partials] };
}

/** Runs `act`, then waits until the page has finished one more operation; returns its message. */
const after = async (page: Page, act: () => Promise<unknown>, timeout = 20_000): Promise<string> => (await afterOperation(page, act, timeout)).message;

/** Drops a WAV on the drop zone as a user's drag does; returns the page's message. */
const drop = async (page: Page, name: string, bytes: Uint8Array): Promise<string> => (await dropFile(page, name, bytes, 'audio/wav', 20_000)).message;

const open = async (ctx: BrowserContext): Promise<Page> => (await openPage(ctx, server.url)).page;

/** A context that refuses (and records) every request off this machine. */
const guarded = (offsite: string[]): Promise<BrowserContext> => guardedContext(browser, offsite);

S.before(async () => {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: install Debian's chromium or set SPEECHCORE_CHROMIUM`);
  assert.ok(existsSync(join(WEB_ROOT, 'index.html')), `${WEB_ROOT}index.html is missing: run npm run build`);
  assert.ok(existsSync(MODEL), `${MODEL} is missing: run npm run model`);
  const text = readFileSync(MODEL, 'utf8');
  recognizer = Recognizer.fromJSON(text, { source: 'recognizer.json' });
  decoder = ConnectedDigits.fromRecognizer(recognizer);
  // The microphone's number: the first take (speakers, then indices, in order) that the decoder
  // gets right as a file and as a stream at both usual device rates, one final, with partials
  // before it (so the page's display is what is tested).
  const t0 = performance.now();
  let mic: Float32Array | null = null;
  for (const speaker of SPEAKERS) {
    for (let index = 0; index < 5 && !mic; index++) {
      const y = joined(SPOKEN, speaker, index, 1, 1);
      if (decoder.decode(y, 8000).digits !== SPOKEN) continue;
      const y48 = resample(y, { origSr: 8000, targetSr: 48000, resType: 'kaiser_best' });
      const ok = [48000, 44100].every((rate) => {
        const r = streamed(y48, rate);
        return r.finals.join('|') === SPOKEN && r.partialsBeforeFinal.length >= 2;
      });
      if (ok) { mic = y; micName = `${speaker}_${index}`; }
    }
    if (mic) break;
  }
  assert.ok(mic, `no take of ${SPOKEN} decodes right as a file and as a stream`);
  // 1 s of silence before the number and 4 s after: the page stops PAGE_PAUSE_S after the final
  // (which comes PAGE_ENDPOINT_S after the last digit), before the looping file speaks again.
  const tail = new Float32Array(Math.round((4 - 1) * 8000));
  const withTail = new Float32Array(mic!.length + tail.length);
  withTail.set(mic!);
  micWav = join(tmp, 'mic.wav');
  writeFileSync(micWav, encodeWav(resample(withTail, { origSr: 8000, targetSr: 48000, resType: 'kaiser_best' }), 48000));

  // The dropped number: the first other speaker's take that decodes right, as an 8 kHz file.
  for (const speaker of SPEAKERS.filter((s) => !micName.startsWith(s))) {
    for (let index = 0; index < 5 && !drop8k; index++) {
      const y = joined(DROPPED, speaker, index, 0.5, 0.5);
      const want = decoder.decode(y, 8000);
      if (want.digits === DROPPED) drop8k = { name: `${DROPPED}-${speaker}_${index}.wav`, bytes: encodeWav(y, 8000), want };
    }
    if (drop8k) break;
  }
  assert.ok(drop8k, `no take of ${DROPPED} decodes right`);
  for (const speaker of SPEAKERS) {
    const bytes = readFileSync(join(RECORDINGS, `3_${speaker}_0.wav`));
    if (recognizer.recognize(decodeWav(bytes).samples, 8000).digit === 3) { single = { name: `3_${speaker}_0.wav`, bytes, digit: 3 }; break; }
  }
  assert.ok(single, 'a single digit the recogniser gets right');
  timings['choosing the recordings (Node)'] = `${((performance.now() - t0) / 1000).toFixed(2)} s: microphone ${SPOKEN} by ${micName}, drop ${drop8k.name}`;

  const models = join(tmp, 'models');
  mkdirSync(models);
  writeFileSync(join(models, 'recognizer.json'), text);
  server = await startServer({ port: 0, models, root: WEB_ROOT });
  browser = await chromium.launch({
    executablePath: CHROMIUM, timeout: 30_000,
    args: [...BASE_FLAGS, '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${micWav}`],
  });
});

S.after(async () => {
  await browser?.close().catch(() => {});
  await server?.close();
  rmSync(tmp, { recursive: true, force: true });
  process.stdout.write(`\n  sequence-mode timings (Chromium ${browser?.version() ?? '?'}):\n${Object.entries(timings).map(([k, v]) => `    ${k.padEnd(34)} ${v}`).join('\n')}\n`);
});

S('the microphone: partial digits appear while the number is spoken, then the whole number, final after the pause', async () => {
  const offsite: string[] = [];
  const ctx = await guarded(offsite);
  const page = await open(ctx);
  await page.check('[data-testid=mode-sequence]');
  assert.is(await page.isVisible('[data-testid=sequence-box]'), true);
  assert.is(await page.isVisible('[data-testid=prediction]'), false, 'the single-digit result is hidden in sequence mode');
  // What the display showed, every time it changed. (No named functions in here: tsx would wrap
  // them in a helper the page does not have.)
  await page.evaluate(() => {
    const w = window as any;
    w.__shown = [];
    const final = document.querySelector('[data-testid=sequence-final]')!, partial = document.querySelector('[data-testid=sequence-partial]')!;
    const o = new MutationObserver(() => w.__shown.push({ t: performance.now(), final: final.textContent, partial: partial.textContent }));
    for (const el of [final, partial]) o.observe(el, { childList: true, characterData: true, subtree: true });
  });
  const message = await after(page, () => page.click('[data-testid=record]'), 40_000);
  const shown: { t: number; final: string; partial: string }[] = await page.evaluate(() => (window as any).__shown);
  const firstFinal = shown.findIndex((s) => s.final !== '');
  assert.ok(firstFinal > 0, `a final was shown (${JSON.stringify(shown)}); page says "${message}"`);
  const partials = [...new Set(shown.slice(0, firstFinal).map((s) => s.partial).filter((p) => p))];
  assert.ok(partials.length >= 2, `partial digits grew before the final: ${JSON.stringify(partials)}`);
  assert.ok(partials.some((p) => SPOKEN.startsWith(p) && p.length < SPOKEN.length), `a partial is a prefix of ${SPOKEN}: ${JSON.stringify(partials)}`);
  assert.is(await page.textContent('[data-testid=sequence-final]'), SPOKEN, `page says "${message}"`);
  assert.is(await page.textContent('[data-testid=sequence-partial]'), '');
  assert.match(message, new RegExp(`Heard “${[...SPOKEN].join(' ')}” \\(5 digits.*\\)\\. Stopped after ${PAGE_PAUSE_S} s of quiet\\.`));
  assert.is(await page.$$eval('[data-testid=sequence-words] li', (li) => li.length), SPOKEN.length);
  assert.is(await page.getAttribute('[data-testid=sequence-final]', 'aria-live'), 'polite');
  assert.is(await page.getAttribute('[data-testid=sequence-partial]', 'aria-hidden'), 'true');
  assert.is(await page.isDisabled('[data-testid=mode-one]'), false, 'the mode switch is usable again');
  const view = await page.evaluate(() => (window as any).__speechcore.sequence);
  const ms = view.timings.blockMs.slice().sort((a: number, b: number) => a - b);
  const lead = shown[firstFinal]!.t - shown.find((s) => s.partial)!.t;
  timings['microphone'] = `${micName} → "${view.final}" (${view.utterances} utterance(s)); partials ${partials.join(' → ')}, the first ${(lead / 1000).toFixed(2)} s before the final`;
  timings['worker per 2048-sample block'] = `${ms[ms.length >> 1].toFixed(2)} ms median, ${ms[ms.length - 1].toFixed(1)} ms max (${ms.length} blocks)`;
  timings['final: endpoint → shown'] = `${view.timings.endpointToShownMs.map((v: number) => v.toFixed(0)).join(', ')} ms after its block arrived; ` +
    `${view.timings.speechEndToShownS.map((v: number) => v.toFixed(2)).join(', ')} s after its last digit ended (pause rule ${PAGE_ENDPOINT_S} s)`;
  assert.equal(offsite, []);
  await ctx.close();
});

S('Stop in the middle of a number ends the recording with the digits heard so far, final', async () => {
  const offsite: string[] = [];
  const ctx = await guarded(offsite);
  const page = await open(ctx);
  await page.check('[data-testid=mode-sequence]');
  const before = await page.evaluate(() => (window as any).__speechcore.finished as number);
  await page.click('[data-testid=record]');
  await page.waitForFunction(() => document.querySelector('[data-testid=sequence-partial]')!.textContent !== '', null, { timeout: 20_000 });
  assert.is(await page.isDisabled('[data-testid=mode-one]'), true, 'no mode switch while recording');
  await page.click('[data-testid=record]');
  await page.waitForFunction((n) => (window as any).__speechcore.finished > n, before, { timeout: 5_000 });
  const final = await page.textContent('[data-testid=sequence-final]') ?? '';
  assert.match(final, /^\d+$/, 'the utterance under way is decoded at the stop');
  assert.is(await page.textContent('[data-testid=sequence-partial]'), '');
  assert.match(await page.textContent('[data-testid=message]') ?? '', new RegExp(`^Heard “${[...final].join(' ')}” \\(\\d digits?\\)\\.$`));
  assert.is((await page.textContent('[data-testid=record]'))?.trim(), 'Record');
  timings['stopped mid-number'] = `"${final}"`;
  assert.equal(offsite, []);
  await ctx.close();
});

S('a dropped multi-digit WAV shows each digit with its times, as Node decodes it; one-digit mode still answers', async () => {
  const offsite: string[] = [];
  const ctx = await guarded(offsite);
  const page = await open(ctx);
  await page.check('[data-testid=mode-sequence]');
  const message = await drop(page, drop8k.name, drop8k.bytes);
  assert.is(await page.textContent('[data-testid=sequence-final]'), DROPPED, `page says "${message}"`);
  assert.match(message, new RegExp(`Heard “${[...DROPPED].join(' ')}” \\(4 digits\\) in ${drop8k.name.replace('.', '\\.')}`));
  const view = await page.evaluate(() => (window as any).__speechcore.sequence);
  assert.is(view.words.length, drop8k.want.words.length);
  drop8k.want.words.forEach((w, i) => {
    const got = view.words[i];
    assert.is(got.digit, w.digit);
    assert.ok(Math.abs(got.start - w.start) < 1e-9 && Math.abs(got.end - w.end) < 1e-9, `word ${i}: ${got.start}–${got.end} s in the page, ${w.start}–${w.end} s in Node`);
  });
  const items = await page.$$eval('[data-testid=sequence-words] li', (li) => li.map((e) => e.textContent));
  assert.is(items.length, DROPPED.length);
  assert.match(items[0]!, new RegExp(`^${DROPPED[0]} ${drop8k.want.words[0]!.start.toFixed(2)}–${drop8k.want.words[0]!.end.toFixed(2)} s`));
  assert.is(await page.isVisible('[data-testid=sequence-waveform]'), true);
  timings['file drop'] = `${drop8k.name} → "${view.final}" in ${view.timings.fileDigitsMs.toFixed(1)} ms (both passes)`;

  await page.check('[data-testid=mode-one]');
  assert.is(await page.isVisible('[data-testid=sequence-box]'), false);
  await drop(page, single.name, single.bytes);
  assert.is(await page.textContent('[data-testid=prediction]'), String(single.digit));
  assert.equal(offsite, []);
  await ctx.close();
});

S.run();
